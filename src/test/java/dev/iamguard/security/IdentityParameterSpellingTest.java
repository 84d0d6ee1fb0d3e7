package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-time parameters that change who runs later statements, {@code session_authorization}
 * and {@code role}, named as quoted identifiers: {@code SET "session_authorization" = 'user3'} and
 * {@code SET "ROLE" TO user3} switch the identity as the unquoted forms do (the server looks
 * parameter names up ignoring case; {@code IdentityParameterServerTest} holds PostgreSQL to every
 * spelling below). Before the fix the guard read them as ordinary SETs, so a COPY after one in the
 * same text was judged as the login user: allowed where the server would run it as user3, whom the
 * role does not trust.
 */
public class IdentityParameterSpellingTest {
  static final String COPY = "copy venue from 's3://acmedata/redshift/venue' iam_role"
      + " 'arn:aws:iam::123456789012:role/RedshiftCopyUnload'";
  static final Guard GUARD = SampleGuard.load();

  /** {@code SET [SESSION | LOCAL] <session_authorization, quoted in any case> {TO | =} user3}. */
  public static List<String> sessionAuthorizationSpellings() {
    List<String> texts = new ArrayList<>();
    for (String scope : List.of("", "session ", "LOCAL ", "/**/session/**/ ")) {
      for (String name : List.of("\"session_authorization\"", "\"SESSION_AUTHORIZATION\"", "\"Session_Authorization\"")) {
        for (String to : List.of(" to ", " = ", "=", " TO ", "\n--c\n=/* c */")) {
          for (String user : List.of("user3", "'user3'", "\"user3\"")) {
            texts.add("set " + scope + name + to + user);
          }
        }
      }
    }
    return texts;
  }

  /** {@code SET [SESSION | LOCAL] <role, quoted in any case> {TO | =} user3}. */
  public static List<String> roleSpellings() {
    List<String> texts = new ArrayList<>();
    for (String scope : List.of("", "session ", "LOCAL ")) {
      for (String name : List.of("\"role\"", "\"ROLE\"", "\"Role\"")) {
        for (String to : List.of(" to ", " = ", "/**/=/**/")) {
          for (String user : List.of("user3", "'user3'")) {
            texts.add("set " + scope + name + to + user);
          }
        }
      }
    }
    return texts;
  }

  /** {@code RESET} of either parameter, quoted: back to the login user. */
  public static List<String> resetSpellings() {
    return List.of("reset \"session_authorization\"", "RESET \"SESSION_AUTHORIZATION\"", "reset /**/ \"Session_Authorization\"",
        "reset \"role\"", "RESET \"ROLE\"", "reset\n\"Role\"");
  }

  static Session server() {
    return Session.of("user1", null).reported("user1", List.of(), List.of(), false);
  }

  static List<RuleId> rules(Decision decision) {
    return decision.findings().stream().map(Finding::rule).toList();
  }

  @Test
  void theControlIsAllowedForTheLoginUser() {
    assertThat(GUARD.inspect(COPY, server()).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(GUARD.inspect(COPY, Session.of("user1", null)).verdict()).isEqualTo(Verdict.ALLOW);
  }

  /** On a connection whose identity the server reports, a COPY after the change is not judged as the login user. */
  @Test
  void aQuotedIdentityParameterChangesWhoRunsTheRestOfTheText() {
    List<String> changes = new ArrayList<>(sessionAuthorizationSpellings());
    changes.addAll(roleSpellings());
    changes.addAll(resetSpellings());
    assertThat(changes).hasSize(180 + 54 + 6);
    for (String change : changes) {
      for (String text : List.of(change + ";\n" + COPY, "select 1; " + change + "; select 2;\n" + COPY)) {
        Decision decision = GUARD.inspect(text, server());
        assertThat(decision.verdict()).as(text).isEqualTo(Verdict.DENY);
        assertThat(rules(decision)).as(text).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
      }
    }
  }

  /** With a declared user (the CLI's --user), the session authorization is followed as in the unquoted form. */
  @Test
  void aDeclaredSessionFollowsTheQuotedSessionAuthorization() {
    for (String change : sessionAuthorizationSpellings()) {
      Decision decision = GUARD.inspect(change + ";\n" + COPY, Session.of("user1", null));
      assertThat(decision.statements()).as(change).hasSize(2);
      assertThat(decision.statements().get(0).statement().command().sessionUser()).as(change).isEqualTo("user3");
      // SET LOCAL is not followed (it lasts only as long as a transaction block the guard does not
      // track, and changes nothing outside one): what follows it is denied as run by an unknown user
      assertThat(rules(decision)).as(change).contains(change.contains("LOCAL")
          ? RuleId.IDENTITY_CHANGED_IN_TEXT : RuleId.DB_USER_NOT_TRUSTED);
    }
  }

  /**
   * {@code session_authorization} quoted with one letter replaced by a char beyond ASCII that Java's
   * case mapping makes that letter (long s, dotless i, dotted I: computed), which the server does not
   * know ("unrecognized configuration parameter", {@code CaseFoldingServerTest}): the identity stays.
   */
  static List<String> unknownParameterSpellings() {
    String name = "session_authorization";
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < name.length(); i++) {
      for (int c = 0x80; c <= 0xFFFF; c++) {
        char folded = Character.toLowerCase(Character.toUpperCase((char) c));
        char lower = Character.toLowerCase((char) c);
        if (folded == name.charAt(i) || lower == name.charAt(i)) {
          String spelled = name.substring(0, i) + (char) c + name.substring(i + 1);
          texts.add("set \"" + spelled + "\" to 'user1'");
          StringBuilder upper = new StringBuilder(); // the rest in ASCII upper case: the server compares so
          spelled.chars().forEach(ch -> upper.append((char) (ch >= 'a' && ch <= 'z' ? ch - 32 : ch)));
          texts.add("set session \"" + upper + "\" = user1");
        }
      }
    }
    return texts;
  }

  /**
   * Declared as user3, whom the role does not trust: a SET of a parameter the server does not know
   * changes nobody, so the COPY after it runs as user3 and is denied as it is after a SELECT. Java's Unicode folding read
   * {@code "\u017fession_authorization"} as the parameter and judged the COPY for user1 (allowed).
   */
  @Test
  void aParameterTheServerDoesNotKnowChangesNobody() {
    List<String> changes = unknownParameterSpellings();
    assertThat(changes).hasSizeGreaterThan(10);
    Decision asUser3 = GUARD.inspect("select 1;\n" + COPY, Session.of("user3", null));
    assertThat(asUser3.verdict()).isEqualTo(Verdict.DENY);
    assertThat(rules(asUser3)).contains(RuleId.DB_USER_NOT_TRUSTED);
    for (String change : changes) {
      Decision decision = GUARD.inspect(change + ";\n" + COPY, Session.of("user3", null));
      assertThat(decision.verdict()).as(change).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).as(change).isEqualTo(rules(asUser3));
    }
  }
}
