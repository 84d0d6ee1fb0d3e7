package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A statement's warnings after it sent a text holding a secret (a password), then zero or more texts
 * the guard refused before sending them. The target keeps a text's warnings until its next execution
 * starts, as pgjdbc and the Redshift driver do, and its notice quotes the text's first literal (a
 * server's notice may quote the statement). The guard masked the warnings with the secrets of the
 * text last given to the statement, which was the refused one, so the earlier text's password
 * printed; and a batch's texts were forgotten once it was sent, so its warnings printed the password
 * too. The oracle is the value as written: it never appears in what getWarnings returns (the chain,
 * its messages and causes), while the warning itself is still returned (masked).
 */
class WarningsOfSentTextsTest {
  private static final List<String> VALUES = List.of("Sup3rSecretPassw0rd1", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "correct horse battery staple 42");
  private static final List<String> SECRET_TEXTS = List.of("ALTER USER bob PASSWORD '%s'",
      "CREATE USER carol PASSWORD '%s'", "alter user bob with password '%s' valid until 'infinity'",
      "ALTER USER \"bob\" PASSWORD '%s' CONNECTION LIMIT 3");
  /** Texts the guard refuses before they reach the target. */
  private static final List<String> REFUSED = List.of(
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nope'",
      "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE 'arn:aws:iam::123456789012:role/Nope'",
      "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE' SECRET_ACCESS_KEY 'otherSecretValue123456'");

  /** How the secret text is sent. */
  interface Way {
    void send(Statement statement, String sql) throws SQLException;
  }

  private static final Map<String, Way> WAYS = new LinkedHashMap<>();

  static {
    WAYS.put("execute", Statement::execute);
    WAYS.put("executeUpdate", Statement::executeUpdate);
    WAYS.put("executeLargeUpdate", Statement::executeLargeUpdate);
    WAYS.put("execute keys", (s, sql) -> s.execute(sql, Statement.RETURN_GENERATED_KEYS));
    WAYS.put("batch", (s, sql) -> {
      s.addBatch(sql);
      s.executeBatch();
    });
    WAYS.put("large batch", (s, sql) -> {
      s.addBatch("INSERT INTO t VALUES (1)");
      s.addBatch(sql);
      s.executeLargeBatch();
    });
  }

  /** Held before the text it names ({@code text}) starts its execution, until {@code release} opens. */
  private record Hold(String text, java.util.concurrent.CountDownLatch entered,
      java.util.concurrent.CountDownLatch release) {}

  private static volatile Hold hold;

  /** A target whose statements keep, until their next execution, a notice quoting each text's first literal. */
  private static Connection target() {
    return RecordingTarget.withStatements((type, preparedSql) -> {
      AtomicReference<SQLWarning> warnings = new AtomicReference<>();
      List<String> batch = new ArrayList<>();
      return Proxy.newProxyInstance(WarningsOfSentTextsTest.class.getClassLoader(), new Class<?>[] {type},
          (self, method, args) -> {
            String name = method.getName();
            switch (name) {
              case "addBatch" -> batch.add((String) args[0]);
              case "clearBatch" -> batch.clear();
              case "getWarnings" -> {
                return warnings.get();
              }
              case "clearWarnings" -> warnings.set(null);
              default -> {
                if (name.startsWith("execute")) {
                  Hold waiting = hold;
                  if (waiting != null && args != null && waiting.text().equals(args[0])) {
                    waiting.entered().countDown(); // a driver waiting for its connection, say
                    waiting.release().await();
                  }
                  warnings.set(null); // every execution starts without the warnings of the one before
                  List<String> texts = name.contains("Batch") ? new ArrayList<>(batch)
                      : List.of((String) args[0]);
                  batch.clear();
                  for (String text : texts) {
                    int quote = text.indexOf('\'');
                    if (quote >= 0) {
                      SQLWarning notice = new SQLWarning("NOTICE: " + text.substring(quote + 1,
                          text.indexOf('\'', quote + 1)) + " ignored", "01000");
                      if (warnings.get() == null) {
                        warnings.set(notice);
                      } else {
                        warnings.get().setNextWarning(notice);
                      }
                    }
                  }
                }
              }
            }
            return GuardCoverageTest.defaultValue(method.getReturnType());
          });
    });
  }

  private static Connection open() throws SQLException {
    return TestRegistry.guarded(target());
  }

  /** Everything printed of a warning chain: each warning's text and its causes. */
  private static String printed(SQLWarning warning) {
    StringBuilder all = new StringBuilder();
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      for (Throwable t = w; t != null; t = t.getCause() == t ? null : t.getCause()) {
        all.append(t).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void theWarningsOfASentTextNeverPrintItsSecretAfterRefusedTexts() throws SQLException {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (String value : VALUES) {
      for (String form : SECRET_TEXTS) {
        String secretText = String.format(form, value);
        for (Map.Entry<String, Way> way : WAYS.entrySet()) {
          for (int refused = 0; refused <= REFUSED.size(); refused++) {
            Statement statement = open().createStatement();
            way.getValue().send(statement, secretText);
            for (int i = 0; i < refused; i++) {
              try {
                statement.execute(REFUSED.get(i));
                failed.add("not refused: " + REFUSED.get(i));
              } catch (SQLException expected) {
                // refused before it was sent: the target still holds the secret text's warnings
              }
            }
            SQLWarning warnings = statement.getWarnings();
            rounds++;
            if (warnings == null) {
              failed.add(way.getKey() + " '" + secretText + "', " + refused + " refused: no warning returned");
            } else if (printed(warnings).contains(value)) {
              failed.add(way.getKey() + " '" + secretText + "', " + refused + " refused: " + printed(warnings));
            }
          }
        }
      }
    }
    assertThat(failed).as("%s of %s rounds print a secret of a text sent", failed.size(), rounds).isEmpty();
  }

  @Test
  void aTextWithoutSecretsKeepsItsWarningAsItIs() throws SQLException {
    Statement statement = open().createStatement();
    statement.execute("select 'hello world'");
    for (String refused : REFUSED) {
      try {
        statement.execute(refused);
      } catch (SQLException expected) {
        // refused
      }
      assertThat(statement.getWarnings().getMessage()).isEqualTo("NOTICE: hello world ignored");
    }
  }

  /**
   * A Statement shared by threads: one thread sent the secret text, another thread's text (no secret)
   * is on its way into the driver, which has not yet dropped the first text's warnings, when the
   * first thread asks for its warnings. They were masked with the other thread's text alone.
   */
  @Test
  void anotherThreadsTextOnItsWayDoesNotUnmaskTheWarnings() throws Exception {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (String value : VALUES) {
      for (String form : SECRET_TEXTS) {
        for (String other : List.of("select 1", "INSERT INTO t VALUES (2)", REFUSED.get(0).replace("Nope", "Loader"))) {
          String secretText = String.format(form, value);
          Statement statement = open().createStatement();
          statement.execute(secretText);
          Hold held = new Hold(other, new java.util.concurrent.CountDownLatch(1),
              new java.util.concurrent.CountDownLatch(1));
          hold = held;
          AtomicReference<Throwable> thrown = new AtomicReference<>();
          Thread sending = new Thread(() -> {
            try {
              statement.execute(other);
            } catch (Throwable t) {
              thrown.set(t);
            }
          });
          sending.start();
          held.entered().await();
          SQLWarning warnings = statement.getWarnings();
          held.release().countDown();
          sending.join();
          hold = null;
          rounds++;
          assertThat(thrown.get()).isNull();
          if (warnings == null || printed(warnings).contains(value)) {
            failed.add(secretText + " beside " + other + ": " + (warnings == null ? "none" : printed(warnings)));
          }
        }
      }
    }
    assertThat(failed).as("%s of %s rounds print a secret of a text sent", failed.size(), rounds).isEmpty();
  }
}
