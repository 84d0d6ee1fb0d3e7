package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * On a declared identity (a target that cannot report its user), a CALL sent in an execution of
 * its own, of a procedure an earlier text created through the guard. The README: "procedures the
 * text (or an earlier one) created on a declared identity ... a CALL runs their bodies as its caller
 * or their owner", judged as {@code check} judges them. The CALL's text holds no auth word, so it
 * was not inspected: {@code create procedure p0() ... COPY ... IAM_ROLE Loader}, {@code set session
 * authorization bob}, {@code call p0()}, each sent alone, sent the CALL, whose COPY runs as bob,
 * whom the Loader role does not trust (hand-checked against the test registry: it trusts etl, not
 * bob). Found by ScriptFacesAgreeTest, where {@code check} denied it. Generated: ways of writing
 * the CALL x the ways it is sent x a body SECURITY INVOKER by default and by name; the controls: the same
 * CALL for etl, and a CALL of a procedure no text created, are sent.
 */
class DeclaredCallOfEarlierProcedureTest {
  private static final String CREATE = "create procedure p0() language plpgsql as $$ begin COPY t FROM 's3://lake/in/t/'"
      + " IAM_ROLE '" + TestRegistry.LOADER + "'; end $$";
  private static final List<String> CALLS = List.of("call p0()", "CALL P0()", "call public.p0()", "call \"p0\"()",
      "call p0() /* nightly */", "select 1; call p0()");

  /** The ways of sending a text on its own (DeclaredUnfollowedChangeTest's), these of them. */
  private static final Map<String, DeclaredUnfollowedChangeTest.Way> WAYS = new LinkedHashMap<>();

  static {
    for (String way : List.of("execute", "executeUpdate", "prepared execute", "callable", "batch")) {
      WAYS.put(way, DeclaredUnfollowedChangeTest.WAYS.get(way));
    }
  }

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void aCallOfAnEarlierTextsProcedureIsJudgedForTheCaller() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (String create : List.of(CREATE, CREATE.replace("language plpgsql", "language plpgsql security invoker"))) {
      for (String call : CALLS) {
        for (Map.Entry<String, DeclaredUnfollowedChangeTest.Way> way : WAYS.entrySet()) {
          if (call.startsWith("select") && (way.getKey().equals("batch") || way.getKey().equals("callable"))) {
            continue; // a batch holds no query; a callable statement runs one call
          }
          Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
          connection.createStatement().execute(create);
          connection.createStatement().execute("set session authorization bob");
          sent.clear();
          rounds++;
          try {
            way.getValue().send(connection, call);
            failed.add(way.getKey() + " '" + call + "' sent " + sent);
          } catch (GuardDeniedException denied) {
            if (!sent.isEmpty() || !denied.getMessage().contains("bob")) {
              failed.add(way.getKey() + " '" + call + "': sent " + sent + ", " + denied.getMessage());
            }
          }
        }
      }
    }
    assertThat(rounds).isEqualTo(2 * (6 * 5 - 2));
    assertThat(failed).as("%s of %s CALLs of p0 sent for bob", failed.size(), rounds).isEmpty();
  }

  @Test
  void theSameCallForTheTrustedUserAndACallOfAnUnknownProcedureAreSent() throws SQLException {
    List<String> failed = new ArrayList<>();
    for (Map.Entry<String, DeclaredUnfollowedChangeTest.Way> way : WAYS.entrySet()) {
      Connection connection = TestRegistry.guarded(RecordingTarget.of(sent));
      connection.createStatement().execute(CREATE);
      sent.clear();
      try {
        way.getValue().send(connection, "call p0()");
        way.getValue().send(connection, "call other()");
      } catch (SQLException e) {
        failed.add(way.getKey() + ": " + e.getMessage());
      }
      if (sent.size() != 2) {
        failed.add(way.getKey() + ": sent " + sent);
      }
    }
    assertThat(failed).isEmpty();
  }
}
