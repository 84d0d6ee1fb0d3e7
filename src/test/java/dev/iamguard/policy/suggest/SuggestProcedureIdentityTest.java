package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CREATE PROCEDURE runs nothing: an identity change in its body ({@code SET SESSION AUTHORIZATION}
 * to another user, or back with RESET or DEFAULT) does not change who runs the script's next
 * statements, and the guard reads it so. Suggest must not trust or grant the body's user for them.
 *
 * <p>Generated: 5 identity changes x 3 body quotings ({@code $$}, {@code $body$}, upper case with
 * comments) x 3 statements after the procedure (COPY, UNLOAD, CREATE EXTERNAL FUNCTION). Oracle: the
 * guard, run as {@code etl} with the suggested registry, allows every statement after the procedure,
 * and the suggestion names no user but {@code etl}. Fails without ScriptNeeds restoring the runners
 * after a procedure body: the COPY was trusted and granted to {@code admin}.
 */
class SuggestProcedureIdentityTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";

  static Stream<Arguments> scripts() {
    List<String> changes = List.of("set session authorization 'admin'", "set session authorization \"Admin\"",
        "set session authorization admin", "set session authorization 'admin'; reset session authorization; "
            + "set session authorization 'admin'", "set session authorization 'admin'; select 1");
    List<String> after = List.of("copy t from 's3://acme-data/in/' iam_role '" + ROLE + "'",
        "unload ('select 1') to 's3://acme-data/out/' iam_role '" + ROLE + "'",
        "create external function f(int) returns int stable lambda 'f1' iam_role '" + ROLE + "'");
    List<Arguments> all = new ArrayList<>();
    for (String change : changes) {
      for (String statement : after) {
        all.add(Arguments.of("create procedure p() as $$ begin " + change + "; end; $$ language plpgsql;\n"
            + statement + ";"));
        all.add(Arguments.of("create or replace procedure p() as $body$\nbegin\n  " + change
            + ";\nend;\n$body$ language plpgsql;\n" + statement + ";"));
        all.add(Arguments.of("CREATE /* p */ PROCEDURE p()\nAS $$ BEGIN " + change.toUpperCase(Locale.ROOT)
            .replace("'ADMIN'", "'admin'") + "; END; $$ LANGUAGE plpgsql ;\n" + statement.toUpperCase(Locale.ROOT)
            .replace("S3://ACME-DATA", "s3://acme-data").replace(ROLE.toUpperCase(Locale.ROOT), ROLE)
            .replace("'F1'", "'f1'") + " ;"));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void aProcedureBodyDoesNotChangeWhoRunsTheScript(String script) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(script, 0);
    assertThat(suggestion.gaps()).as(script).isEmpty();
    String yaml = RegistryYaml.shortForm(suggestion);
    assertThat(yaml).as(script).doesNotContainIgnoringCase("dbuser:c1/admin").doesNotContainIgnoringCase("\"admin\"");
    Registry registry = RegistryLoader.parse(yaml, "suggested.yaml", Path.of("."));
    List<StatementDecision> decisions = new Guard(registry).inspect(script, Session.of("etl", "c1")).statements();
    assertThat(decisions).as(script).hasSize(2);
    assertThat(decisions).as(script).allMatch(d -> d.verdict() != Verdict.DENY);
  }

  /** The same changes followed, inside the body, by the auth-carrying statement. */
  static Stream<Arguments> bodies() {
    return scripts().map(a -> {
      String script = (String) a.get()[0];
      int end = script.lastIndexOf(';', script.lastIndexOf(';') - 1); // the statement after the procedure
      String statement = script.substring(end + 1, script.lastIndexOf(';')).strip();
      String body = script.substring(0, end + 1);
      int close = body.toLowerCase(Locale.ROOT).lastIndexOf("end;");
      return Arguments.of(body.substring(0, close) + statement + "; " + body.substring(close));
    });
  }

  /**
   * The guard decides a body's statements in the session of the CREATE PROCEDURE (who runs the
   * body is only known when it is called): a SET SESSION AUTHORIZATION earlier in the body does not
   * change whom they are checked as, so suggest needs them for {@code etl}, never for {@code admin}.
   * 45 bodies (the 45 scripts above with the statement moved into the body, after the change).
   * Failed (45 of 45) before suggest asked the guard who runs each statement: suggest followed the
   * body's switch and needed the body's statement for admin, which check (as etl) denies.
   */
  @ParameterizedTest
  @MethodSource("bodies")
  void aBodyStatementIsNeededForWhoeverCreatesTheProcedure(String script) throws Exception {
    assertThat(script).as(script).containsIgnoringCase("iam_role").containsIgnoringCase("procedure");
    Suggestion suggestion = SuggestProperties.suggest(script, 0);
    assertThat(suggestion.gaps()).as(script).isEmpty();
    String yaml = RegistryYaml.shortForm(suggestion);
    assertThat(yaml).as(script).doesNotContainIgnoringCase("dbuser:c1/admin").doesNotContainIgnoringCase("\"admin\"");
    Registry registry = RegistryLoader.parse(yaml, "suggested.yaml", Path.of("."));
    List<StatementDecision> decisions = new Guard(registry).inspect(script, Session.of("etl", "c1")).statements();
    assertThat(decisions).as(script).hasSize(1);
    assertThat(decisions.get(0).nested()).as(script).isNotEmpty();
    assertThat(decisions).as(script).allMatch(d -> d.verdict() != Verdict.DENY);
  }
}
