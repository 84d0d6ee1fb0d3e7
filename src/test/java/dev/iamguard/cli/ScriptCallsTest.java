package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forms around a CALL of a procedure the script created that {@link ScriptCallsServerTest}
 * does not generate: a rename, an ALTER that may name another schema's namesake, a DO block, a name
 * that cannot be read, a procedure that calls itself, a CALL in a later script of the same run, and
 * a procedure the script did not create (not judged, as documented). TrustsUsers trusts user1 and
 * user2 only.
 */
class ScriptCallsTest {
  private static final String REGISTRY = "src/test/resources/jdbc/identity-registry.yaml";
  private static final String COPY = "copy id_t from 's3://iamguard-identity/in/part-0.csv' iam_role"
      + " 'arn:aws:iam::123456789012:role/TrustsUsers' csv;";

  @TempDir
  Path dir;

  private static Decision decide(String sql) throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of(REGISTRY)));
    return guard.inspect(sql, Session.of("user1", "local-cluster"));
  }

  /** The numbers of the statements denied, and the rules of their findings, nested ones included. */
  private static List<String> denied(Decision decision) {
    return decision.statements().stream().filter(d -> d.verdict() == Verdict.DENY)
        .map(d -> d.statement().index() + " " + d.allFindings().stream().map(f -> f.rule().name()).distinct().toList())
        .toList();
  }

  private static String procedure(String name, String options, String body) {
    return "create procedure " + name + "() language plpgsql" + options + " as $$ begin " + body + " end $$;\n";
  }

  /**
   * A procedure's own {@code SET role} (in its definition or an ALTER since) sets who runs its whole
   * body (IdentityChangeSpellingsServerTest: PostgreSQL ran its COPY as r3); a body that resets
   * another setting ({@code RESET query_group}, as Redshift's WLM documentation writes an ETL step)
   * runs as its caller.
   */
  @Test
  void aProcedureSettingWhoRunsItIsJudgedForAnUnknownUserAndOtherSettingsAreNot() throws Exception {
    for (String script : List.of(procedure("p2", " set role = r3", COPY) + "call p2();\n",
        procedure("p2", " SET \"ROLE\" TO 'r3'", COPY) + "call p2();\n",
        procedure("p2", " set session_authorization to user3", COPY) + "call p2();\n",
        procedure("p2", "", COPY) + "alter procedure p2() set role = r3;\ncall p2();\n",
        procedure("p2", "", "set /* c */ role r3; " + COPY) + "call p2();\n",
        procedure("p2", "", "set -- c\n role r3; " + COPY) + "call p2();\n")) {
      Decision decision = decide(script);
      assertThat(denied(decision)).as(script).containsExactly(decision.statements().size() + " [IDENTITY_CHANGED_IN_TEXT]");
    }
    for (String body : List.of("set query_group to 'etl'; " + COPY + " reset query_group;",
        "reset search_path; " + COPY, "set search_path = public; " + COPY)) {
      assertThat(denied(decide(procedure("p2", "", body) + "call p2();\n"))).as(body).isEmpty();
    }
    assertThat(denied(decide(procedure("p2", " set search_path = public", COPY) + "call p2();\n"))).isEmpty();
  }

  @Test
  void theReadmeExampleIsDeniedAtTheCall() throws Exception {
    Decision decision = decide(procedure("p2", "", COPY) + "set session authorization user3;\ncall p2();\n");
    assertThat(denied(decision)).containsExactly("3 [DB_USER_NOT_TRUSTED]");
    assertThat(decision.statements().get(2).allFindings().get(0).message())
        .contains("of the body of the procedure p2 that statement 3 (line 3) calls, which runs as user3");
    // called by its creator, or by another trusted user, it runs (a second CALL would follow a change
    // of identity the guard cannot follow: the first CALL's)
    assertThat(denied(decide(procedure("p2", "", COPY) + "call p2();\n"))).isEmpty();
    assertThat(denied(decide(procedure("p2", "", COPY) + "set session authorization user2;\ncall p2();\n"))).isEmpty();
  }

  @Test
  void aCallWhoseArgumentsHoldAnAuthWordIsJudgedToo() throws Exception {
    // the CALL is decided as an auth-carrying statement too (its own clause cannot be read): both
    // decisions' findings count
    List<String> denied = denied(decide(procedure("p2", "", COPY) + "set session authorization user3;\n"
        + "call p2('x' iam_role 'y');\n"));
    assertThat(denied).hasSize(1).allSatisfy(d -> assertThat(d).startsWith("3 [").contains("DB_USER_NOT_TRUSTED"));
  }

  @Test
  void aRenamedProcedureIsJudgedUnderItsNewName() throws Exception {
    assertThat(denied(decide(procedure("p", "", COPY) + "alter procedure p() rename to q;\n"
        + "set session authorization user3;\ncall q();\n"))).containsExactly("4 [DB_USER_NOT_TRUSTED]");
  }

  @Test
  void anAlterThatMayNameAnotherSchemasNamesakeAddsAnOwner() throws Exception {
    // p may be sa.p (a search path finds it): sa.p is then owned by user3, or still by user1
    assertThat(denied(decide(procedure("sa.p", " security definer", COPY) + "alter procedure p() owner to user3;\n"
        + "call sa.p();\n"))).containsExactly("3 [DB_USER_NOT_TRUSTED]");
    // another schema named on both sides: another procedure, sa.p keeps its owner
    assertThat(denied(decide(procedure("sa.p", " security definer", COPY) + "alter procedure sb.p() owner to user3;\n"
        + "call sa.p();\n"))).isEmpty();
    // made SECURITY DEFINER, owned by user3: runs as user3 whoever calls it
    assertThat(denied(decide(procedure("p", "", COPY) + "alter procedure p() owner to user3;\n"
        + "alter procedure p() security definer;\ncall p();\n"))).containsExactly("4 [DB_USER_NOT_TRUSTED]");
  }

  @Test
  void aDoBlockThatCallsTheProcedureIsJudgedAsACall() throws Exception {
    assertThat(denied(decide(procedure("p", "", COPY) + "set session authorization user3;\n"
        + "do $d$ begin call p(); end $d$;\n"))).containsExactly("3 [DB_USER_NOT_TRUSTED]");
  }

  @Test
  void aCallWhoseNameCannotBeReadIsRefusedOnceTheScriptCreatedProcedures() throws Exception {
    assertThat(denied(decide(procedure("p", "", COPY) + "call U&\"\\0070\"();\n")))
        .containsExactly("2 [AUTH_UNPARSEABLE]");
    // a body that builds the name it calls (denied at its creation already, as dynamic SQL)
    assertThat(denied(decide(procedure("p", "", "execute 'call ' || 'q' || v || '()';") + "call p();\n")))
        .containsExactly("1 [AUTH_DYNAMIC]", "2 [AUTH_DYNAMIC, AUTH_UNPARSEABLE]");
  }

  @Test
  void aProcedureThatCallsItselfIsJudgedOncePerUser() throws Exception {
    Decision decision = decide(procedure("p", "", "if false then call p(); end if; " + COPY)
        + "set session authorization user3;\ncall p();\n");
    assertThat(denied(decision)).containsExactly("3 [DB_USER_NOT_TRUSTED]");
    assertThat(decision.statements().get(2).allFindings()).hasSize(1);
  }

  @Test
  void aProcedureTheScriptDidNotCreateIsNotJudged() throws Exception {
    // documented: check knows no catalog, so what an existing procedure runs is the server's to say
    assertThat(denied(decide(procedure("p", "", COPY) + "set session authorization user3;\ncall other();\n")))
        .isEmpty();
  }

  @Test
  void aLaterScriptOfTheSameRunCallsWhatAnEarlierOneCreated() throws Exception {
    Path a = Files.writeString(dir.resolve("a.sql"), procedure("p", "", COPY));
    Path b = Files.writeString(dir.resolve("b.sql"), "set session authorization user3;\ncall p();\n");
    CliRun run = CliRun.of("check", "--registry", REGISTRY, "--cluster", "local-cluster", "--user", "user1",
        "--format", "json", a.toString(), b.toString());
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements = (List<Map<String, Object>>) run.json().get("statements");
    assertThat(statements.stream().filter(s -> "DENY".equals(s.get("decision")))
        .map(s -> Path.of((String) s.get("file")).getFileName() + "#" + s.get("index")).toList())
        .containsExactly("b.sql#2");
    // the finding stands at the CALL, in b.sql, not at the body's COPY in a.sql
    CliRun text = CliRun.of("check", "--registry", REGISTRY, "--cluster", "local-cluster", "--user", "user1",
        a.toString(), b.toString());
    assertThat(text.out()).contains(b + ":2:1: DENY DB_USER_NOT_TRUSTED").doesNotContain(a + ":1");
    // alone, b.sql calls a procedure it did not create: not judged
    assertThat(CliRun.of("check", "--registry", REGISTRY, "--cluster", "local-cluster", "--user", "user1",
        b.toString()).code()).isZero();
  }

  /**
   * A procedure whose body may change the identity runs what follows the change as the new user,
   * its own statements again in a loop, and what it calls after a routine that changes it (red-team
   * review, as on a connection): such a body, and every routine it calls, is judged for a user the
   * script does not name. A body whose first routine changes nothing is judged for the caller.
   */
  @Test
  void whatABodyRunsAfterAnIdentityChangeIsJudgedForAnUnknownUser() throws Exception {
    String setter = "perform set_config('session_authorization', 'user3', false);";
    String setUp = procedure("leaf", "", COPY) + procedure("setter", "", setter) + procedure("noop", "", "null;")
        + procedure("mid", "", "call setter();");
    for (String body : List.of("for i in 1..2 loop " + COPY + " " + setter + " end loop;", "call setter(); call leaf();",
        "call mid(); call leaf();", "for i in 1..2 loop call leaf(); call setter(); end loop;",
        "set session authorization user3; call leaf();")) {
      Decision decision = decide(setUp + procedure("outer_p", "", body) + "call outer_p();\n");
      assertThat(denied(decision)).as(body).anySatisfy(d -> assertThat(d).startsWith("6 "));
    }
    assertThat(denied(decide(setUp + procedure("outer_p", "", "call noop(); call leaf();") + "call outer_p();\n")))
        .isEmpty();
  }
}
