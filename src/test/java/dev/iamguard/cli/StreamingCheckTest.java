package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.sql.ScriptReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Issue 17: check, explain and rewrite read a script piece by piece. Whatever the piece size, the
 * reports equal those of the script read whole, and the decisions equal the guard's on the whole
 * text: the session a piece leaves (SET SESSION AUTHORIZATION, GRANT ASSUMEROLE, external schemas
 * and tables created) carries into the next, and a suppression after a piece's last statement
 * still finds it.
 */
class StreamingCheckTest {
  static final String REGISTRY = "samples/registry.yaml";
  static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  static final List<String> STATEMENTS = List.of(
      "select 1",
      "select 'a;b' /* ; */ from t -- ;\n",
      "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'",
      "copy t from 's3://acmedata/private/x' iam_role 'copy-unload'",
      "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role '" + CHAIN + "'",
      "unload ('select 1') to 's3://acmedata/exports/x_' iam_role default",
      "unload ('select 1') to 's3://acmedata/redshift/unload/x_' iam_role default",
      "set session authorization 'user2'",
      "set session authorization 'user3'",
      "reset session authorization",
      "grant assumerole on '" + CHAIN + "' to user2 for copy",
      "revoke assumerole on '" + CHAIN + "' from user1 for copy",
      "create external schema lake from data catalog database 'exampledb' iam_role '" + CHAIN + "'",
      "create external table lake.t (a int) stored as parquet location 's3://companyb/redshift/t/'",
      "create external table spectrum.u (a int) stored as parquet location 's3://acmedata/other/u/'",
      "insert into lake.t select 1",
      "insert into spectrum.u select 1",
      "copy job run load_t",
      "create procedure p() as $$ begin execute 'copy t from ''s3://x/y'' iam_role default'; end; $$ language plpgsql",
      "copy listing from 's3://acmedata/redshift/listing/' access_key_id 'AKIAIOSFODNN7EXAMPLE' "
          + "secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'");

  static final List<String> BETWEEN = List.of(";\n", "; ", ";\n\n-- note; 'x'\n", ";\n/* a /* b */ c */\n",
      "; -- iamguard:allow S3_NOT_PERMITTED legacy export, ticket 42\n",
      ";\n-- iamguard:allow S3_NOT_PERMITTED,ROLE_UNKNOWN accepted until the move\n",
      ";\n-- iamguard:allow DB_USER_NOT_TRUSTED\n", ";;\n");

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> statement = Arbitraries.of(STATEMENTS);
    Arbitrary<String> between = Arbitraries.of(BETWEEN);
    return Arbitraries.entries(statement, between).list().ofMinSize(1).ofMaxSize(14).map(list -> {
      StringBuilder out = new StringBuilder();
      for (Map.Entry<String, String> entry : list) {
        out.append(entry.getKey()).append(entry.getValue());
      }
      return out.toString();
    });
  }

  @AfterProperty
  void wholePieces() {
    ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
  }

  static CliRun run(String script, int chunk, String... args) {
    ScriptSource.chunk = chunk;
    try {
      return CliRun.withStdin(script, args);
    } finally {
      ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
    }
  }

  @Property(tries = 300)
  void everyReportOfSmallPiecesEqualsTheWholeOnes(@ForAll("scripts") String script,
      @ForAll @IntRange(min = 1, max = 120) int chunk) {
    for (String[] args : List.of(
        new String[] {"check", "--registry", REGISTRY, "--user", "user1", "--format", "json"},
        new String[] {"check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif"},
        new String[] {"check", "--registry", REGISTRY, "--user", "user1", "--verbose"},
        new String[] {"explain", "--format", "json"},
        new String[] {"rewrite", "--registry", REGISTRY, "--user", "user1", "--diff"})) {
      CliRun whole = run(script, ScriptReader.DEFAULT_CHUNK, args);
      CliRun pieces = run(script, chunk, args);
      assertThat(pieces.out()).as(String.join(" ", args)).isEqualTo(whole.out());
      assertThat(pieces.code()).isEqualTo(whole.code());
      if (whole.code() == ExitCodes.ERROR) {
        // rewrite reports denials as it meets them: pieces read before the one with a secret may have some
        assertThat(pieces.err()).endsWith(whole.err());
      } else {
        assertThat(pieces.err()).isEqualTo(whole.err());
      }
    }
  }

  /** The decisions streamed equal the guard's decision on the whole text, statement by statement. */
  @Property(tries = 300)
  void decisionsEqualTheGuardsOnTheWholeText(@ForAll("scripts") String script,
      @ForAll @IntRange(min = 1, max = 120) int chunk) throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of(REGISTRY)));
    Decision whole = guard.inspect(script, new Session("user1", List.of(), List.of(), null));
    List<String> expected = new ArrayList<>();
    for (StatementDecision statement : whole.statements()) {
      expected.add(statement.statement().index() + " " + statement.verdict() + " "
          + statement.allFindings().stream().map(f -> f.message()).toList());
    }

    CliRun run = run(script, chunk, "check", "--registry", REGISTRY, "--user", "user1", "--format", "json");

    List<Map<String, Object>> statements = CheckCommandTest.at(run.json(), "statements");
    List<String> actual = new ArrayList<>();
    for (Map<String, Object> statement : statements) {
      List<Map<String, Object>> findings = CheckCommandTest.at(statement, "findings");
      actual.add(statement.get("index") + " " + statement.get("decision") + " "
          + findings.stream().map(f -> (String) f.get("message")).toList());
    }
    assertThat(actual).isEqualTo(expected);
  }
}
