package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.policy.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * On a declared identity (a target that cannot report its user), a text that changes the identity
 * and was judged for etl, sent while another thread's change of identity ran between that judgement
 * and the sending: IdentityTextBesideIdentityChangeServerTest's race, where the guard's own record
 * of who runs the connection is the only one. The other thread's change runs in that window for
 * certain, from the audit of the text's decision. The texts: a COPY through the Loader role (which
 * trusts etl and sa, not bob: test registry) before a change of each kind in the same text, one of
 * them a CALL of a procedure an earlier text created, whose body runs that COPY as the caller (a
 * CALL alone is judged without an audit event when allowed, which leaves this test no point in
 * the window to run the other change from; it takes the same path). The other
 * thread's changes: SET SESSION AUTHORIZATION bob, which the guard follows, and set_config, which
 * leaves the user unknown. After either the COPY runs as a user the role does not trust (or one
 * nobody knows): nothing may be sent. The control: with no other thread's change, each text is sent.
 */
class DeclaredTextBesideIdentityChangeTest {
  /** Runs, once, what is set on the thread that audits a decision allowing etl's statement. */
  public static final class Hook implements AuditSink {
    static final AtomicReference<Runnable> NEXT = new AtomicReference<>();

    @Override
    public void record(AuditEvent event) {
      Runnable hook = !"DENY".equals(event.decision()) && "etl".equals(event.user()) ? NEXT.getAndSet(null) : null;
      if (hook != null) {
        hook.run();
      }
    }
  }

  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'";
  private static final String CREATE = "create procedure p0() language plpgsql as $$ begin " + COPY + "; end $$";
  private static final List<String> TEXTS = List.of(
      COPY + "; set session authorization sa",
      COPY + "; reset session authorization",
      COPY + "; select set_config('role', 'none', false)",
      COPY + "; set role none",
      COPY + "; call p0()",
      "select 1; " + COPY + "; select 2; set session authorization sa");
  private static final List<String> OTHER_CHANGES = List.of(
      "set session authorization bob", "select set_config('session_authorization', 'bob', false)");

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void aTextJudgedForEtlIsNotSentAfterAnotherThreadsChangeOfIdentity() throws Exception {
    List<String> failed = new ArrayList<>();
    int cases = 0;
    for (String text : TEXTS) {
      for (String other : OTHER_CHANGES) {
        for (boolean update : new boolean[] {false, true}) {
          cases++;
          String label = text + " | other thread: " + other + (update ? " (executeUpdate)" : "");
          Connection connection = connection();
          connection.createStatement().execute(CREATE);
          AtomicBoolean inWindow = new AtomicBoolean();
          Runnable change = CallBesideIdentityChangeServerTest.otherThreadRuns(connection, other, false,
              () -> failed.add(label + ": the other thread's change did not run"));
          Hook.NEXT.set(() -> {
            change.run();
            inWindow.set(true);
          });
          sent.clear();
          try {
            if (update) {
              connection.createStatement().executeUpdate(text);
            } else {
              connection.createStatement().execute(text);
            }
          } catch (GuardDeniedException denied) {
            // judged again for who runs the connection now
          }
          Hook.NEXT.set(null);
          if (!inWindow.get()) {
            failed.add(label + ": the guard did not allow the text for etl, so the other change never ran in the window");
          }
          if (sent.contains(text)) {
            failed.add(label + ": sent, its COPY running as a user the Loader role does not trust");
          }
        }
      }
    }
    assertThat(failed).as("%s of %s cases", failed.size(), cases).isEmpty();
  }

  @Test
  void withoutAnotherThreadsChangeEachTextIsSent() throws Exception {
    for (String text : TEXTS) {
      Connection connection = connection();
      connection.createStatement().execute(CREATE);
      sent.clear();
      connection.createStatement().execute(text);
      assertThat(sent).as(text).containsExactly(text);
    }
  }

  private Connection connection() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", TestRegistry.path().toString());
    properties.setProperty("iamguard.audit-sink", Hook.class.getName());
    ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
        Session.of("etl", null), false);
    return new GuardConnection(RecordingTarget.of(sent), policy);
  }
}
