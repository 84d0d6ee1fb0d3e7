package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * On a declared identity (a target that cannot report its user), what earlier texts did to the
 * procedures they created, each text sent on its own, counts at a later CALL as it does in one
 * script of {@code check}. Two faults, found by ScriptFacesAgreeTest once its scripts held ALTER
 * PROCEDURE and routines that set who runs them (2026-12-07), each hand-checked against the test
 * registry (Loader trusts etl, not bob):
 * <ul>
 *   <li>an ALTER PROCEDURE or ALTER ROUTINE sent on its own was not recorded (its text holds no auth
 *       word, so it was not read): {@code create procedure p0() ... security definer ... COPY ...
 *       IAM_ROLE Loader}, {@code alter procedure p0() owner to bob}, {@code call p0()} sent the CALL,
 *       whose COPY runs as bob; so did a SET of role or session_authorization by ALTER, whose COPY
 *       runs as a user the guard cannot know;
 *   <li>a procedure's body was passed over as judged already when its CREATE stood at the same
 *       statement number and offset of its own text as another's: {@code create procedure p1() ...
 *       COPY ...} and {@code create procedure p0() ... call p1() ...}, each sent alone, then
 *       {@code set session authorization bob} and {@code call p0()} sent the CALL, p1's COPY run as bob.
 * </ul>
 * Controls: an ALTER that leaves who runs the body alone, and the same CALLs for etl, are sent.
 */
class DeclaredAlterOfEarlierProcedureTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final String DEFINER = "create procedure p0() language plpgsql security definer as $$ begin " + COPY
      + "; end $$";
  private static final String INVOKER = DEFINER.replace(" security definer", "");

  /** Each: the CREATE, then ALTERs (texts of their own), after which p0's COPY runs as bob or an unknown user. */
  private static final List<List<String>> ALTERED = List.of(
      List.of(DEFINER, "alter procedure p0() owner to bob"),
      List.of(DEFINER, "ALTER ROUTINE p0 OWNER TO bob"),
      List.of(DEFINER, "alter procedure public.p0() owner to \"bob\""),
      List.of(DEFINER, "alter procedure p0() rename to p9", "alter procedure p9() owner to bob",
          "alter procedure p9() rename to p0"),
      List.of(INVOKER, "alter procedure p0() security definer", "alter procedure p0() owner to bob"),
      List.of(INVOKER, "alter procedure p0() security definer; alter procedure p0() owner to bob"),
      List.of(INVOKER, "alter procedure p0() set role = r3"),
      List.of(INVOKER, "alter procedure p0() set session_authorization to bob"),
      List.of(INVOKER, "alter procedure p0() set /* c */ \"ROLE\" = 'r3'"),
      List.of(INVOKER, "alter routine p0() SET -- c\n session_authorization = bob"),
      // the same procedure written otherwise: its arguments (p0(integer) is p0(n int)), its name's case
      // (Redshift folds a quoted name unless enable_case_sensitive_identifier is on)
      List.of(DEFINER.replace("p0()", "p0(n int)"), "alter procedure p0(integer) owner to bob"),
      List.of(DEFINER, "alter procedure \"P0\"() owner to bob"),
      List.of(INVOKER.replace("p0()", "\"P0\"()"), "alter procedure p0() set role = r3"));

  /** Procedures created one text each, so that their CREATEs share a statement number and offset. */
  private static final List<List<String>> CHAINS = List.of(
      List.of(INVOKER.replace("p0", "p1"), "create procedure p0() language plpgsql as $$ begin call p1(); end $$"),
      List.of("create procedure p0() language plpgsql as $$ begin execute 'call p1()'; end $$", INVOKER.replace("p0", "p1")),
      List.of(INVOKER.replace("p0", "p2"), "create procedure p1() language plpgsql as $$ begin call p2(); end $$",
          "create procedure p0() language plpgsql as $$ begin call p1(); end $$"),
      List.of("select 1; " + INVOKER.replace("p0", "p1"),
          "select 1; create procedure p0() language plpgsql as $$ begin call p1(); end $$"));

  /** The ways of sending a text on its own (DeclaredUnfollowedChangeTest's), these of them. */
  private static final List<String> WAYS = List.of("execute", "executeUpdate", "prepared execute", "callable", "batch");

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void anAlterSentOnItsOwnCountsAtTheCall() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (List<String> texts : ALTERED) {
      for (String alterWay : WAYS) {
        for (String callWay : WAYS) {
          rounds++;
          Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
          connection.createStatement().execute(texts.get(0));
          for (String alter : texts.subList(1, texts.size())) {
            if (alterWay.equals("callable") || alterWay.equals("batch") && alter.contains(";")) {
              connection.createStatement().execute(alter); // a callable statement runs a call; a batch entry is one statement
            } else {
              way(alterWay).send(connection, alter);
            }
          }
          refused(connection, callWay, texts + " altered by " + alterWay + ", called by " + callWay, failed);
        }
      }
    }
    assertThat(rounds).isEqualTo(ALTERED.size() * WAYS.size() * WAYS.size());
    assertThat(failed).as("%s of %s CALLs of an altered p0 sent", failed.size(), rounds).isEmpty();
  }

  @Test
  void theBodiesOfEveryEarlierTextAreJudgedDownTheChain() throws SQLException {
    List<String> failed = new ArrayList<>();
    for (List<String> texts : CHAINS) {
      for (String callWay : WAYS) {
        Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
        for (String text : texts) {
          connection.createStatement().execute(text);
        }
        connection.createStatement().execute("set session authorization bob");
        refused(connection, callWay, texts + " called by " + callWay, failed);
      }
    }
    assertThat(failed).as("%s of %s CALLs of p0 sent for bob", failed.size(), CHAINS.size() * WAYS.size()).isEmpty();
  }

  /**
   * A procedure a CALL made with SQL no text wrote as a statement ({@code execute 'create procedure
   * p() ... COPY ...'} in the body of maker) is none the guard read: a later CALL is refused, here as
   * in {@code check} (ProceduresMadeByCallsTest). Before, {@code call p()} for bob was sent.
   */
  @Test
  void aCallAfterOneThatMayMakeProceduresIsRefused() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    String made = "create procedure p0() language plpgsql as $b$ begin " + COPY.replace("'", "''") + "; end $b$";
    for (String body : List.of("execute '" + made + "';", "execute 'alter procedure p1() owner to bob';")) {
      for (String callWay : WAYS) {
        rounds++;
        Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
        connection.createStatement().execute(DEFINER.replace("p0", "p1"));
        connection.createStatement().execute("create procedure maker() language plpgsql as $$ begin " + body + " end $$");
        connection.createStatement().execute("call maker()");
        connection.createStatement().execute("set session authorization bob");
        refused(connection, callWay, body + " called by " + callWay, failed);
      }
    }
    assertThat(failed).as("%s of %s CALLs of p0 sent for bob after maker ran", failed.size(), rounds).isEmpty();
  }

  @Test
  void whatLeavesWhoRunsTheBodyAloneIsSent() throws SQLException {
    List<String> failed = new ArrayList<>();
    List<List<String>> controls = new ArrayList<>(List.of(
        List.of(DEFINER, "alter procedure p0() set search_path = public"),
        List.of(DEFINER, "alter procedure p0() owner to etl"),
        List.of(INVOKER, "alter procedure p0() set statement_timeout to 1000"),
        List.of(DEFINER, "alter procedure p0() security invoker")));
    controls.addAll(CHAINS);
    for (List<String> texts : controls) {
      for (String callWay : WAYS) {
        Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
        for (String text : texts) {
          connection.createStatement().execute(text);
        }
        sent.clear();
        try {
          way(callWay).send(connection, "call p0()");
        } catch (SQLException e) {
          failed.add(texts + " " + callWay + ": " + e.getMessage());
        }
        if (sent.size() != 1) {
          failed.add(texts + " " + callWay + ": sent " + sent);
        }
      }
    }
    assertThat(failed).isEmpty();
  }

  private void refused(Connection connection, String callWay, String context, List<String> failed) {
    sent.clear();
    try {
      way(callWay).send(connection, "call p0()");
      failed.add(context + ": sent " + sent);
    } catch (GuardDeniedException denied) {
      if (!sent.isEmpty()) {
        failed.add(context + ": denied, yet sent " + sent);
      }
    } catch (SQLException e) {
      failed.add(context + ": " + e.getMessage());
    }
  }

  private static DeclaredUnfollowedChangeTest.Way way(String name) {
    Map<String, DeclaredUnfollowedChangeTest.Way> ways = DeclaredUnfollowedChangeTest.WAYS;
    return ways.get(name);
  }
}
