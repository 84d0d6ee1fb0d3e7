package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the statement scan says a text may do to the session: the same answer from the hot-path
 * scan, the parsed script and the whole-text path (a literal with a backslash), for statements
 * that change the identity, transaction control, and look-alikes that do neither.
 */
class SessionEffectsTest {
  static final List<String> IDENTITY = List.of(
      "SET SESSION AUTHORIZATION alice", "set session authorization 'alice'", "SET LOCAL SESSION AUTHORIZATION bob",
      "set session session authorization bob", "RESET SESSION AUTHORIZATION", "set session authorization default",
      "SET session_authorization TO bob", "set session_authorization = 'bob'", "SET LOCAL session_authorization TO bob",
      "set session session_authorization to default", "RESET session_authorization",
      "select set_config('session_authorization', 'bob', false)", "SELECT 1, pg_catalog.SET_CONFIG('x', 'y', true)",
      "select \"set_config\"('session_authorization', 'bob', false)", "with a as (select set_config('a','b',false)) select * from a",
      "SET ROLE grp", "set local role grp", "set session role none", "RESET ROLE", "reset all",
      "CALL load_venue()", "call s.p(1)", "DISCARD ALL", "do $$ begin perform 1; end $$", "{call p(?)}",
      "{? = call f(?)}", "set \"session_authorization\" = 'bob'", "SET LOCAL \"SESSION_AUTHORIZATION\" TO bob",
      "reset \"Session_Authorization\"", "set \"role\" to grp", "set session \"ROLE\" = grp", "reset \"role\"",
      // PostgreSQL's Unicode escapes: U&"r\006fle" is role, U&"set\005fconfig" set_config (not unescaped: fail closed)
      "set U&\"r\\006fle\" to grp", "SET LOCAL u&\"role\" = grp", "reset U&\"\\0072ole\"",
      "set session U&\"session\\005fauthorization\" = 'bob'", "select U&\"set\\005fconfig\"('role', 'grp', false)");
  static final List<String> TRANSACTION = List.of(
      "BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "commit work", "END", "ROLLBACK", "abort",
      "SAVEPOINT a", "ROLLBACK TO SAVEPOINT a", "rollback to a", "RELEASE SAVEPOINT a", "release a",
      "PREPARE TRANSACTION 'x'", "prepare p as select 1", "EXECUTE p");
  static final List<String> NEITHER = List.of(
      "select 1", "SELECT session_user", "select current_setting('session_authorization')", "set search_path to x",
      "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "set timezone = 'UTC'", "select 'set_config(1)'",
      "select \"SET_CONFIG\"(1)", "select set_configuration from t", "insert into callers values (1)",
      "update t set role = 'x'", "select call from t", "-- CALL p()\nselect 1", "delete from t", "drop table t",
      "select * from t /* set role x */", "explain select 1", "select do from t",
      "set \"session_authorization_x\" = 'bob'", "set \"roles\" = grp", "select \"role\" from t",
      "select u & \"x\" from t", "set search_path to u, \"x\"");

  static int effectsOfScan(String sql) {
    return SqlScript.scan(sql) & ~SessionEffects.INSPECT;
  }

  @ParameterizedTest
  @ValueSource(strings = {"IDENTITY", "TRANSACTION", "NEITHER"})
  void everyPathAgrees(String group) {
    List<String> texts = group.equals("IDENTITY") ? IDENTITY : group.equals("TRANSACTION") ? TRANSACTION : NEITHER;
    for (String sql : texts) {
      int expected = group.equals("IDENTITY") ? SessionEffects.IDENTITY
          : group.equals("TRANSACTION") ? SessionEffects.TRANSACTION | (undoes(sql) ? SessionEffects.UNDOES : 0)
          : SessionEffects.NONE;
      SqlScript parsed = SqlScript.parse(sql);
      assertThat(parsed.effects()).as(sql).isEqualTo(expected);
      assertThat(parsed.firstIdentityChange()).as(sql).isEqualTo(expected == SessionEffects.IDENTITY ? 1 : 0);
      if (!SessionEffects.has(SqlScript.scan(sql), SessionEffects.INSPECT)) {
        assertThat(effectsOfScan(sql)).as("scan of " + sql).isEqualTo(expected);
      }
      // a literal with a backslash sends the text down the whole-text path
      SqlScript whole = SqlScript.parse("select 'a\\\\b'; " + sql);
      assertThat(whole.effects()).as("whole-text path: " + sql).isEqualTo(expected);
      assertThat(whole.firstIdentityChange()).isEqualTo(expected == SessionEffects.IDENTITY ? 2 : 0);
      assertThat(parsed.undoingStatementAfter(0)).as(sql).isEqualTo(undoes(sql) ? 1 : 0);
      assertThat(whole.undoingStatementAfter(0)).as("whole-text path: " + sql).isEqualTo(undoes(sql) ? 2 : 0);
      assertThat(whole.undoingStatementAfter(2)).as(sql).isZero();
    }
  }

  /** A transaction end or EXECUTE (written by hand from the lists above, by their first word): may undo an identity change. */
  private static boolean undoes(String sql) {
    String first = sql.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
    return List.of("COMMIT", "END", "ROLLBACK", "ABORT", "PREPARE", "EXECUTE").contains(first);
  }

  /**
   * An ALTER of a procedure (its owner, security, SET clause, name) is reported by every path, so a
   * connection on a declared identity records it; other ALTERs and look-alikes are not.
   */
  @Test
  void anAlterOfAProcedureChangesRoutines() {
    for (String sql : List.of("alter procedure p() owner to bob", "ALTER ROUTINE p OWNER TO bob",
        "alter /* c */ procedure s.p(int) security definer", "Alter Procedure \"P\"() set role = r3",
        "alter routine p() rename to q", "alter procedure p() set session_authorization to bob")) {
      assertThat(effectsOfScan(sql)).as(sql).isEqualTo(SessionEffects.ROUTINES);
      assertThat(SqlScript.parse(sql).effects()).as(sql).isEqualTo(SessionEffects.ROUTINES);
      assertThat(SqlScript.parse("select 'a\\\\b'; " + sql).effects()).as("whole-text path: " + sql)
          .isEqualTo(SessionEffects.ROUTINES);
    }
    for (String sql : List.of("alter table procedure add column x int", "alter function f() owner to bob",
        "select 'alter procedure p() owner to bob'", "-- alter procedure p() owner to bob\nselect 1",
        "alter user bob set search_path to x")) {
      assertThat(SessionEffects.has(SqlScript.parse(sql).effects(), SessionEffects.ROUTINES)).as(sql).isFalse();
    }
  }

  @Test
  void identityChangesAreNotInspectedUnlessTheyAreSessionAuthorization() {
    assertThat(SessionEffects.has(SqlScript.scan("select set_config('session_authorization','b',false)"),
        SessionEffects.INSPECT)).isFalse();
    assertThat(SessionEffects.has(SqlScript.scan("CALL p()"), SessionEffects.INSPECT)).isFalse();
    assertThat(SessionEffects.has(SqlScript.scan("COMMIT"), SessionEffects.INSPECT)).isFalse();
    assertThat(SessionEffects.has(SqlScript.scan("SET session_authorization TO bob"), SessionEffects.INSPECT)).isTrue();
  }

  @Test
  void parameterFormsAreSessionAuthorization() {
    assertThat(one("SET session_authorization TO bob").kind()).isEqualTo(CommandKind.SET_SESSION_AUTHORIZATION);
    assertThat(one("SET session_authorization TO bob").sessionUser()).isEqualTo("bob");
    assertThat(one("set session_authorization = 'Bob'").sessionUser()).isEqualTo("Bob");
    assertThat(one("SET LOCAL session_authorization TO \"Carol\"").sessionUser()).isEqualTo("Carol");
    assertThat(one("set session session_authorization to default").sessionUser()).isNull();
    assertThat(one("RESET session_authorization").kind()).isEqualTo(CommandKind.SET_SESSION_AUTHORIZATION);
    assertThat(one("RESET session_authorization").sessionUser()).isNull();
    assertThat(one("set session_authorization bob").problems()).extracting(Problem::kind)
        .containsExactly(Problem.Kind.UNPARSEABLE);
    assertThat(one("SET LOCAL SESSION AUTHORIZATION dave").sessionUser()).isEqualTo("dave");
    assertThat(one("set session role x").kind()).isEqualTo(CommandKind.OTHER);
  }

  @Test
  void theFirstIdentityChangeIsNumberedAmongAllStatements() {
    SqlScript script = SqlScript.parse("select 1; insert into t values (2); call p(); set role x; commit");
    assertThat(script.firstIdentityChange()).isEqualTo(3);
    assertThat(script.effects()).isEqualTo(SessionEffects.IDENTITY | SessionEffects.TRANSACTION | SessionEffects.UNDOES);
    assertThat(script.undoingStatementAfter(0)).isEqualTo(5);
    assertThat(script.undoingStatementAfter(5)).isZero();
    assertThat(effectsOfScan("select 1; commit; select 2")).isEqualTo(SessionEffects.TRANSACTION | SessionEffects.UNDOES);
    assertThat(effectsOfScan("select 1; begin; savepoint a; release a")).isEqualTo(SessionEffects.TRANSACTION);
    SqlScript several = SqlScript.parse("begin; rollback; select 1; /* c */ ABORT; end; copy t from 'x'");
    assertThat(List.of(several.undoingStatementAfter(0), several.undoingStatementAfter(2), several.undoingStatementAfter(4),
        several.undoingStatementAfter(5))).containsExactly(2, 4, 5, 0);
  }

  @Provide
  Arbitrary<String> texts() {
    List<String> all = new java.util.ArrayList<>(IDENTITY);
    all.addAll(TRANSACTION);
    all.addAll(NEITHER);
    all.add("copy t from 's3://b/k' iam_role default");
    all.add("select 'it''s'");
    return Arbitraries.of(all).list().ofMinSize(1).ofMaxSize(6).map(list -> String.join(";\n", list));
  }

  /** The scan's bits, when it does not stop early, are those of the parsed statements together. */
  @Property(tries = 300)
  void theScanAndTheParsedScriptAgree(@ForAll("texts") String sql) {
    int scan = SqlScript.scan(sql);
    SqlScript script = SqlScript.parse(sql);
    if (!SessionEffects.has(scan, SessionEffects.INSPECT)) {
      assertThat(scan).isEqualTo(script.effects());
    }
    assertThat(SessionEffects.has(scan, SessionEffects.INSPECT)).isEqualTo(script.needsInspection());
    int first = 0;
    for (SqlStatement statement : script.statements()) {
      if (SessionEffects.has(SqlScript.parse(statement.text()).effects(), SessionEffects.IDENTITY)) {
        first = statement.index();
        break;
      }
    }
    assertThat(script.firstIdentityChange()).isEqualTo(first);
  }

  private static RedshiftCommand one(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    return statements.get(0).command();
  }
}
