package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A guard remembers the chains its registry resolved and their trust ({@code ChainMemo}) across
 * statements; what it decides must not depend on what it decided before. Sequences of statements
 * naming chains in every form (ARNs, aliases, chain names, DEFAULT, 'SESSION', spellings Redshift
 * refuses, CATALOG_ROLE beside them, several literals, CREDENTIALS, a procedure body that cannot be
 * rewritten), run by users the roles' trust tells apart, on two clusters of different regions and
 * none, are decided by one guard and each by a new guard, in both registry forms and with the
 * rewrites of aliases and DEFAULT on and off: every verdict,
 * text sent, finding, chain and grantee must agree. Also from several threads at once.
 */
class ChainMemoProperties {
  private static final String CLUSTERS = """
      clusters:
        - id: west
          account: "111122223333"
          region: us-west-2
          attached_roles: [%1$s, %2$s]
          default_role: %1$s
        - id: euro
          account: "111122223333"
          region: eu-west-1
          attached_roles: [%1$s, %2$s, %3$s]
          default_role: %2$s
      """.formatted(Fixture.LOADER, Fixture.REGIONAL, Fixture.DETACHED);
  private static final String GRANTS = "grants:\n  - on: [default]\n    to: [PUBLIC]\n    for: [ALL]\n"
      + "  - on: [\"" + Fixture.LOADER_PARTNER + "\"]\n    to: [\"group:etl\"]\n    for: [COPY, UNLOAD]\n"
      + "  - on: [\"" + Fixture.LOADER + "\"]\n    to: [PUBLIC]\n    for: [ALL]\n";
  private static final Registry SHORT = Fixture.parse("version: 1\n" + CLUSTERS + Fixture.SHORT_ROLES
      + Fixture.CHAINS + GRANTS, null);
  private static final Registry IAM = iamForm();
  private static final Registry DEFAULT_REWRITTEN = Fixture.parse("version: 1\n" + CLUSTERS + Fixture.SHORT_ROLES
      + Fixture.CHAINS + GRANTS + "policy:\n  rewrite_default_role: true\n", null);
  private static final Registry NO_ALIASES = Fixture.parse("version: 1\n" + CLUSTERS + Fixture.SHORT_ROLES
      + Fixture.CHAINS + GRANTS + "policy:\n  rewrite_aliases: false\n  rewrite_default_role: true\n", null);
  /** The registry forms and rewrite settings a guard may run with. */
  private static final List<Registry> REGISTRIES = List.of(SHORT, IAM, DEFAULT_REWRITTEN, NO_ALIASES);

  private static Registry iamForm() {
    try {
      Path dir = Files.createTempDirectory("iamguard-memo");
      dir.toFile().deleteOnExit();
      Fixture.writeIamDocuments(dir);
      return Fixture.parse("version: 1\n" + CLUSTERS + Fixture.IAM_ROLES + Fixture.CHAINS + GRANTS, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final List<String> ELEMENTS = List.of(Fixture.LOADER, Fixture.PARTNER, Fixture.DISTRUSTFUL,
      Fixture.RESTRICTED, Fixture.UNREACHABLE, Fixture.REGIONAL, Fixture.DETACHED, Fixture.GHOST, "loader",
      "partnerchain", Fixture.LOADER.replace("Loader", "LOADER"), Fixture.LOADER.toUpperCase(),
      Fixture.PARTNER.replace("arn:aws:", "arn:aws-cn:"), Fixture.LOADER + " ", "SESSION", "", "arn:aws:iam::1:role/x");

  /** IAM_ROLE texts: one to three elements, joined as Redshift wants and as it refuses. */
  @Provide
  Arbitrary<String> chains() {
    return Arbitraries.of(ELEMENTS).list().ofMinSize(1).ofMaxSize(3)
        .flatMap(parts -> Arbitraries.of(",", ",", ", ", ",,").map(comma -> String.join(comma, parts)));
  }

  private static final List<String> COMMANDS = List.of(
      "copy t from 's3://data/in/x' iam_role '%s'",
      "copy t from 's3://partner/in/x' iam_role '%s' csv",
      "unload ('select 1') to 's3://data/out/x' iam_role '%s'",
      "unload ('select 1') to 's3://partner/out/x' iam_role '%s'",
      "create external schema s from data catalog database 'salesdb' iam_role '%s'",
      "create external schema s from data catalog database 'partnerdb' iam_role '%s' catalog_role '%s'",
      "copy t from 's3://data/in/x' iam_role '%s' '%s'",
      "copy t from 's3://data/in/x' iam_role '%s', '%s'",
      "copy t from 's3://data/in/x' credentials 'aws_iam_role=%s'",
      "copy t from 's3://data/in/x' credentials 'aws_iam_role=%s;aws_iam_role=%s'",
      "copy t from 's3://data/in/x' iam_role default",
      // two auth clauses in one statement (CLI probe F1: the second's text was remembered as the chain of both)
      "copy t from 's3://data/in/x' iam_role '%s' iam_role '%s'",
      "unload ('select 1') to 's3://data/out/x' iam_role '%s' iam_role '%s'",
      "create external schema s from data catalog database 'salesdb' iam_role '%s' iam_role '%s'",
      "copy t from 's3://data/in/x' iam_role '%s' credentials 'aws_iam_role=%s'",
      "copy t from 's3://data/in/x' credentials 'aws_iam_role=%s' iam_role '%s'",
      "copy t from 's3://data/in/x' iam_role default iam_role '%s'",
      "copy t from 's3://data/in/x' iam_role '%s' iam_role default",
      "copy t from 's3://data/in/x' access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key 'wJalrXUtnFEMI/K7MDENG'"
          + " iam_role '%s'",
      "create procedure p() as $$ begin execute 'copy t from ''s3://data/in/x'' iam_role ''%s'''; end; $$"
          + " language plpgsql",
      "copy t from 's3://data/in/x' iam_role '%s'; copy u from 's3://data/in/y' iam_role '%s'",
      // who runs the statements changes inside the text: the trust of a remembered chain is the new user's
      "copy t from 's3://data/in/x' iam_role '%s'; set session authorization user2; copy u from 's3://partner/in/y'"
          + " iam_role '%s'",
      "set session authorization user3; copy t from 's3://data/in/x' iam_role '%s'; reset session authorization;"
          + " unload ('select 1') to 's3://data/out/y' iam_role '%s'");

  @Provide
  Arbitrary<String> statements() {
    return Combinators.combine(Arbitraries.of(COMMANDS), chains(), chains())
        .as((command, first, second) -> command.formatted(first, second));
  }

  @Provide
  Arbitrary<Session> sessions() {
    return Combinators.combine(Arbitraries.of("user1", "user2", "user3", "admin"), Arbitraries.of("west", "euro", "none"))
        .as((user, cluster) -> new Session(user, user.equals("user2") ? List.of("etl") : List.of(), List.of(),
            cluster.equals("none") ? null : cluster));
  }

  @Provide
  Arbitrary<Registry> registries() {
    return Arbitraries.of(REGISTRIES);
  }

  private record Step(String sql, Session session) {}

  @Provide
  Arbitrary<List<Step>> runs() {
    return Combinators.combine(statements(), sessions()).as(Step::new).list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 400)
  void aGuardDecidesEveryStatementAsANewGuardWould(@ForAll("runs") List<Step> run, @ForAll("registries") Registry registry) {
    Guard shared = new Guard(registry);
    for (Step step : run) {
      assertThat(describe(shared.inspect(step.sql(), step.session())))
          .as(step.sql() + " as " + step.session())
          .isEqualTo(describe(new Guard(registry).inspect(step.sql(), step.session())));
    }
  }

  /** The same statement again and again, then under every other session, on one guard. */
  @Property(tries = 200)
  void repeatingAStatementNeverChangesItsDecision(@ForAll("statements") String sql,
      @ForAll("registries") Registry registry) {
    Guard shared = new Guard(registry);
    for (Session session : List.of(new Session("user1", List.of(), List.of(), "west"),
        new Session("user2", List.of("etl"), List.of(), "west"), new Session("user1", List.of(), List.of(), "euro"),
        new Session("user3", List.of(), List.of(), "euro"), new Session(null, List.of(), List.of(), "west"),
        new Session("user1", List.of(), List.of(), null))) {
      String expected = describe(new Guard(registry).inspect(sql, session));
      for (int i = 0; i < 3; i++) {
        assertThat(describe(shared.inspect(sql, session))).as(sql + " as " + session).isEqualTo(expected);
      }
    }
  }

  /**
   * The same alias, chain name or DEFAULT where the guard can rewrite it and where it cannot (a
   * procedure body's EXECUTE text, several literals, CREDENTIALS), in both orders, on every
   * registry: each place gets its own verdict.
   */
  @Example
  void aRewriteRememberedInOnePlaceIsNotAppliedWhereItCannotBe() {
    Session session = new Session("user1", List.of(), List.of(), "west");
    for (Registry registry : REGISTRIES) {
      for (String text : List.of("loader", "partnerchain", "loader," + Fixture.PARTNER, Fixture.LOADER)) {
        List<String> places = new ArrayList<>(List.of(
            "copy t from 's3://data/in/x' iam_role '" + text + "'",
            "create procedure p() as $$ begin execute 'copy t from ''s3://data/in/x'' iam_role ''" + text
                + "'''; end; $$ language plpgsql",
            "create procedure p() as ' begin copy t from ''s3://data/in/x'' iam_role ''" + text
                + "''; end; ' language plpgsql",
            "copy t from 's3://data/in/x' iam_role '" + text + "' '" + Fixture.PARTNER + "'",
            "copy t from 's3://data/in/x' credentials 'aws_iam_role=" + text + "'",
            "copy t from 's3://data/in/x' iam_role default",
            "create procedure p() as $$ begin execute 'copy t from ''s3://data/in/x'' iam_role default'; end; $$"
                + " language plpgsql"));
        for (int order = 0; order < 2; order++) {
          Guard shared = new Guard(registry);
          for (String sql : places) {
            assertThat(describe(shared.inspect(sql, session))).as(sql)
                .isEqualTo(describe(new Guard(registry).inspect(sql, session)));
          }
          java.util.Collections.reverse(places);
        }
      }
    }
  }

  /**
   * Many chain texts that fall into the same few slots of the memo (same length and the same
   * characters where it looks), decided in turn: each one's own answer.
   */
  @Example
  void chainsSharingASlotKeepTheirOwnAnswers() {
    List<String> texts = new ArrayList<>();
    for (String name : List.of("Loader", "Louder", "Lo1der", "Ghost1", "Parter", "Loade2")) {
      texts.add("arn:aws:iam::111122223333:role/" + name);
      texts.add("arn:aws:iam::444455556666:role/" + name);
    }
    Guard shared = new Guard(SHORT);
    Session session = new Session("user1", List.of(), List.of(), "west");
    for (int round = 0; round < 3; round++) {
      for (String text : texts) {
        String sql = "copy t from 's3://data/in/x' iam_role '" + text + "'";
        assertThat(describe(shared.inspect(sql, session))).as(sql)
            .isEqualTo(describe(new Guard(SHORT).inspect(sql, session)));
      }
    }
  }

  /** Eight threads deciding different chains on one guard: each decision is the one a new guard makes. */
  @Example
  void threadsSharingAGuardGetTheirOwnDecisions() throws Exception {
    Guard shared = new Guard(SHORT);
    List<String> texts = new ArrayList<>();
    for (String first : ELEMENTS) {
      for (String second : List.of(Fixture.PARTNER, Fixture.RESTRICTED, Fixture.DISTRUSTFUL)) {
        texts.add("copy t from 's3://partner/in/x' iam_role '" + first + "," + second + "'");
      }
    }
    List<Session> sessions = List.of(new Session("user1", List.of(), List.of(), "west"),
        new Session("user2", List.of("etl"), List.of(), "euro"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int offset = thread;
        results.add(pool.submit(() -> {
          List<String> mismatches = new ArrayList<>();
          for (int i = 0; i < 2000; i++) {
            String sql = texts.get((i * 7 + offset) % texts.size());
            Session session = sessions.get((i + offset) % 2);
            String expected = describe(new Guard(SHORT).inspect(sql, session));
            String actual = describe(shared.inspect(sql, session));
            if (!actual.equals(expected)) {
              mismatches.add(sql + " as " + session + ": " + actual + " instead of " + expected);
            }
          }
          return mismatches;
        }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Everything a decision says, its statements' chains and what their grantees may read included. */
  private static String describe(Decision decision) {
    StringBuilder text = new StringBuilder().append(decision.verdict()).append('\n').append(decision.sql()).append('\n');
    for (Finding finding : decision.findings()) {
      text.append(finding.rule()).append(' ').append(finding.severity()).append(' ').append(finding.message()).append('\n');
    }
    for (StatementDecision statement : decision.statements()) {
      describe(statement, text);
    }
    return text.toString();
  }

  private static void describe(StatementDecision statement, StringBuilder text) {
    text.append(statement.verdict()).append(' ').append(statement.sql()).append(' ').append(statement.chain());
    for (String uri : List.of("s3://data/in/x", "s3://partner/in/x", "s3://data/out/x", "s3://other/x")) {
      text.append(' ').append(statement.mayRead(uri));
    }
    text.append('\n');
    for (StatementDecision inner : statement.nested()) {
      describe(inner, text);
    }
  }
}
