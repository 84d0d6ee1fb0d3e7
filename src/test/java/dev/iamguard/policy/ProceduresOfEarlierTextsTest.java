package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Procedures that earlier texts created (a connection on a declared identity, which sends each
 * text alone; {@code check}, which reads its scripts as one connection runs them) are judged at a
 * CALL as one text's are: every body down the chain, for who runs it. Before 2026-12-07 a body was
 * passed over as "judged already" when its CREATE stood at the same statement number and offset of
 * its own text as a body judged before it: {@code create procedure p1() ... COPY ...} and
 * {@code create procedure p0() ... call p1() ...} sent one after the other, each alone, then
 * {@code set session authorization user3} and {@code call p0()}: p1's COPY ran as user3, whom
 * Loader does not trust, allowed (both CREATEs are statement 1 at offset 0 of their texts).
 *
 * <p>Generated: chains of 2 to 4 procedures, each calling the next (a CALL, an EXECUTEd one, an
 * EXECUTE of pieces joined by {@code ||}), the last running a COPY with Loader; every level
 * SECURITY INVOKER, or one of them SECURITY DEFINER (its creator user1 runs what is below it), and
 * that one's owner changed to user3 by an ALTER in a text of its own; created in texts laid out
 * every way (each alone, each after the same leading statement, all in one, two to a text, head
 * first or leaf first); called by user3, whom Loader does not trust, and by user2, whom it trusts.
 * The expectation is worked out from who runs the leaf, not from the guard.
 */
class ProceduresOfEarlierTextsTest {
  private static final Guard GUARD = new Guard(Fixture.registry());
  private static final String COPY = "copy t from 's3://data/in/t/' iam_role '" + Fixture.LOADER + "'";
  private static final List<String> HOPS = List.of("call %s();", "execute 'call %s()';", "execute 'call ' || '%s()';");
  private static final List<String> LAYOUTS = List.of("alone", "alone after select 1", "one text", "two to a text");

  /** A generated case: its texts, in order, the CALL's caller, and whether the leaf's COPY runs as user3. */
  record Case(String description, List<String> texts, boolean untrusted) {}

  static List<Case> cases(long seed, int count) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int depth = 2 + random.nextInt(3);
      int definer = random.nextInt(3) == 0 ? random.nextInt(depth) : -1;
      boolean ownerChanged = definer >= 0 && random.nextBoolean();
      boolean headFirst = random.nextBoolean();
      String layout = LAYOUTS.get(random.nextInt(LAYOUTS.size()));
      String caller = random.nextInt(3) == 0 ? "user2" : "user3";
      List<String> creates = new ArrayList<>();
      for (int level = 0; level < depth; level++) {
        String run = level == depth - 1 ? COPY + ";"
            : String.format(HOPS.get(random.nextInt(HOPS.size())), "c" + n + "_" + (level + 1));
        creates.add("create procedure c" + n + "_" + level + "() language plpgsql"
            + (level == definer ? " security definer" : "") + " as $$ begin " + run + " end $$");
      }
      if (!headFirst) {
        java.util.Collections.reverse(creates);
      }
      List<String> texts = switch (layout) {
        case "alone" -> new ArrayList<>(creates);
        case "alone after select 1" -> new ArrayList<>(creates.stream().map(c -> "select 1; " + c).toList());
        case "one text" -> new ArrayList<>(List.of(String.join("; ", creates)));
        default -> {
          List<String> pairs = new ArrayList<>();
          for (int i = 0; i < creates.size(); i += 2) {
            pairs.add(String.join("; ", creates.subList(i, Math.min(i + 2, creates.size()))));
          }
          yield pairs;
        }
      };
      if (ownerChanged) {
        texts.add("alter procedure c" + n + "_" + definer + "() owner to user3");
      }
      texts.add("set session authorization " + caller);
      texts.add("call c" + n + "_0()");
      // the leaf runs as the owner of the lowest definer above it, else as the caller
      String runsAs = definer < 0 ? caller : ownerChanged ? "user3" : "user1";
      cases.add(new Case("depth " + depth + ", definer at " + definer + (ownerChanged ? " given to user3" : "")
          + ", " + layout + (headFirst ? ", head first" : ", leaf first") + ", called by " + caller + ": " + texts,
          texts, runsAs.equals("user3")));
    }
    return cases;
  }

  @Test
  void aCallRunsTheBodiesOfEveryEarlierTextAsWhoRunsThem() {
    List<String> wrong = new ArrayList<>();
    int denied = 0;
    int allowed = 0;
    List<Case> cases = cases(20261207L, 400);
    for (Case c : cases) {
      Session session = Session.of("user1", null);
      Decision last = null;
      for (String text : c.texts()) {
        last = GUARD.inspect(text, session);
        session = last.sessionAfter();
      }
      boolean deniedForUser3 = last.verdict() == Verdict.DENY
          && last.findings().stream().anyMatch(f -> f.rule() == RuleId.DB_USER_NOT_TRUSTED);
      if (c.untrusted() != deniedForUser3 || !c.untrusted() && last.verdict() != Verdict.ALLOW) {
        wrong.add(c.description() + ": " + last.verdict() + " " + last.findings());
      } else if (c.untrusted()) {
        denied++;
      } else {
        allowed++;
      }
    }
    assertThat(wrong).as(wrong.size() + " of " + cases.size() + " CALLs decided otherwise than who runs the COPY")
        .isEmpty();
    assertThat(denied).as("CALLs whose COPY runs as user3").isGreaterThan(100);
    assertThat(allowed).as("CALLs whose COPY runs as user1 or user2").isGreaterThan(50);
  }
}
