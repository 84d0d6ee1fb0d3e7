package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.core.Parser;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * One Statement shared by two threads: one executes a text whose reading with the driver's JDBC
 * escape processing hides a COPY that the text as written runs ({@link EscapeProcessingOffTest}),
 * while the other turns escape processing off. The first thread is held while the guard reads its
 * text (in the driver's nativeSQL), until the other thread's {@code setEscapeProcessing(false)} has
 * run or waits. Without the statement's lock the guard decided on the escaped reading and the driver,
 * its escape processing turned off meanwhile, sent the text as written: the COPY with a role the
 * registry does not know reached the server. The oracle is the guard's own decision on each text the
 * target received, read as it is (a target without escapes): none may be denied.
 */
class EscapeProcessingRaceTest {
  private static final String NOBODY = "arn:aws:iam::123456789012:role/Nobody";
  private static final List<String> HIDDEN = List.of(
      "COPY t FROM 's3://evil/x' IAM_ROLE '" + NOBODY + "'",
      "UNLOAD ('select 1') TO 's3://evil/x_' IAM_ROLE '" + NOBODY + "'",
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + NOBODY + "' CSV");
  /** Texts around a statement: the escaped reading puts it in a comment, the text as written does not. */
  private static final List<String> SHAPES = List.of(
      "select 1 /*/ {oj a/}* */ ; %s ; -- */",
      "select 1 /*/ {oj a/}* */ ;\n%s\n-- */",
      "select 2 /*/ {fn right( 1 /*/ , 2 )} */ ; %s ; -- */",
      "select 1 /*/ {d '2020-01-01' /}* */ ; %s ; -- */");

  interface Entry {
    void run(Statement statement, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", Statement::execute,
      "executeUpdate", Statement::executeUpdate,
      "executeLargeUpdate", Statement::executeLargeUpdate,
      "executeQuery", Statement::executeQuery,
      "execute with keys", (s, sql) -> s.execute(sql, Statement.RETURN_GENERATED_KEYS),
      "addBatch", (s, sql) -> {
        s.addBatch(sql);
        s.executeBatch();
      });

  private final List<String> sent = new CopyOnWriteArrayList<>();
  /** Run when the guard asks the driver how it reads a text (nativeSQL). */
  private volatile Runnable reading = () -> {};

  /** A target applying the Redshift driver's escape processing per statement, as that driver does. */
  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) {
            reading.run();
            return DriverSplitTest.nativeSql((String) args[0], true);
          }
          if (Statement.class.isAssignableFrom(type)) {
            return EscapeProcessingOffTest.escapingStatement(type, sent);
          }
          if (method.getName().equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  @Test
  void escapeProcessingTurnedOffWhileAnotherThreadsTextIsDecidedDoesNotSendItAsWritten() throws Exception {
    Connection reference = TestRegistry.guarded(EscapeProcessingOffTest.plainTarget());
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    int ranEscaped = 0;
    for (String shape : SHAPES) {
      for (String hidden : HIDDEN) {
        String text = String.format(shape, hidden);
        for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
          sent.clear();
          Statement shared = TestRegistry.guarded(target()).createStatement();
          CountDownLatch reads = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          reading = () -> {
            reads.countDown();
            Interleavings.await(release);
          };
          Throwable[] executing = new Throwable[1];
          Throwable[] turning = new Throwable[1];
          Thread executor = Interleavings.start("executor", executing, () -> entry.getValue().run(shared, text));
          Interleavings.await(reads);
          reading = () -> {};
          Thread turner = Interleavings.start("turner", turning, () -> shared.setEscapeProcessing(false));
          Interleavings.awaitEndedOrWaiting(turner); // turned off, or waits for the execution
          release.countDown();
          Interleavings.join(executor);
          Interleavings.join(turner);
          assertThat(turning[0]).isNull();
          rounds++;
          for (String received : sent) {
            try {
              reference.createStatement().execute(received); // the guard's decision on the text as it is
              ranEscaped += received.equals(Parser.replaceProcessing(text, true, true)) ? 1 : 0;
            } catch (GuardDeniedException denied) {
              failed.add(entry.getKey() + ": " + received);
            }
          }
        }
      }
    }
    assertThat(failed).as("texts of %s rounds the target received as written, which the guard denies", rounds)
        .isEmpty();
    assertThat(rounds).isEqualTo(SHAPES.size() * HIDDEN.size() * ENTRIES.size());
    assertThat(ranEscaped).as("rounds sent with the escapes applied, the COPY inside a comment").isPositive();
  }
}
