package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditSink;
import dev.iamguard.jdbc.AuthCommands.Received;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CALL on a connection shared by threads, whose bodies were judged for user1, while another
 * thread's identity change runs between that judgement and the sending (found by
 * {@link JdbcThreadsServerTest}, seed 7): the body must not run as a user it was not judged for.
 * The other thread's change is made to run in that window for certain: the audit of the body's
 * decision (made while judging, before the CALL is sent) runs it on the same connection and waits
 * for it. Identity changes plain and prepared, and bodies of three commands that run as the caller.
 */
class CallBesideIdentityChangeServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Runs, once, what is set on the thread that audits the decision of a body's COPY-like statement. */
  public static final class Hook implements AuditSink {
    static final AtomicReference<Runnable> NEXT = new AtomicReference<>();

    @Override
    public void record(AuditEvent event) {
      Runnable hook = "ALLOW".equals(event.decision()) && "user1".equals(event.user()) ? NEXT.getAndSet(null) : null;
      if (hook != null) {
        hook.run();
      }
    }
  }

  @Test
  void aCallsBodyNeverRunsAsAUserAnotherThreadSwitchedToAfterItWasJudged() throws Exception {
    AuthCommands.createObjects(POSTGRES);
    // user1 may not SET ROLE user3 (no member): the changes a thread of user1's connection can make
    List<String> changes = List.of("reset session authorization", "set session authorization user3",
        "set session authorization default", "select set_config('session_authorization', 'user3', false)");
    List<String> calls = List.of("call b_copy_role_p_inv()", "call b_unload_x_inv()", "call b_model_p_inv()");
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String change : changes) {
      for (String call : calls) {
        for (boolean prepared : new boolean[] {false, true}) {
          cases++;
          Properties properties = AuthCommands.guardProperties(POSTGRES, "call-beside-" + cases, "extended");
          properties.setProperty("iamguard.audit-sink", Hook.class.getName());
          properties.setProperty("enableFetchRingBuffer", "false");
          int logFrom = POSTGRES.serverLog().length();
          int pid;
          try (Connection connection = DriverManager.getConnection(
              "jdbc:iamguard:" + POSTGRES.redshiftUrl().substring("jdbc:".length()), properties);
              Statement statement = connection.createStatement()) {
            statement.execute("set session authorization user1");
            pid = JdbcAuthCommandsServerTest.backendPid(connection);
            Hook.NEXT.set(otherThreadRuns(connection, change, prepared,
                () -> failures.add(change + " | " + call + ": the other thread's change did not run")));
            try {
              statement.execute(call);
            } catch (SQLException e) {
              // refused by the guard, or the server's syntax error at the body's statement
            }
            Hook.NEXT.set(null);
          }
          String log = POSTGRES.serverLog();
          for (Received received : AuthCommands.received(log.substring(logFrom), Set.of(pid))) {
            if (!JdbcSequencesServerTest.TRUSTED.contains(received.ranAs())) {
              failures.add(change + (prepared ? " (prepared)" : "") + " | " + call + ": the body ran as "
                  + received.ranAs());
            }
          }
        }
      }
    }
    assertThat(failures).as(failures.size() + " of " + cases + " cases").isEmpty();
  }

  /**
   * What the audit hook runs: {@code change} on another thread of {@code connection} (prepared, or
   * plain), waited for; {@code notRun} when it failed or did not end in time.
   */
  static Runnable otherThreadRuns(Connection connection, String change, boolean prepared, Runnable notRun) {
    return () -> {
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        try (Statement s = connection.createStatement()) {
          if (prepared) {
            connection.prepareStatement(change).execute();
          } else {
            s.execute(change);
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        other.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        notRun.run();
      }
    };
  }
}
