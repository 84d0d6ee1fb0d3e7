package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.redshift.core.Parser;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code Statement.setEscapeProcessing(false)}: the driver then sends a text as written, while the
 * guard reads a text with a brace as the driver's escape processing leaves it. Where the driver's
 * lexer differs from the server's ({@code /}{@code *}{@code /} is a whole comment to the Redshift
 * driver and pgjdbc, the start of one to the server), an escape hid a COPY from the guard's reading
 * that the server ran ({@code select 1 /}{@code *}{@code / {oj a/}* *}{@code / ; COPY ... ; -- *}{@code /}
 * reached PostgreSQL through pgjdbc and the Redshift driver: JDBC probe F1). Whatever the text, the
 * entry point and when escape processing was turned off, what the target receives is what the guard
 * would decide on as it is, or nothing is sent.
 */
class EscapeProcessingOffTest {
  private static final String NOBODY = "arn:aws:iam::123456789012:role/Nobody";

  /** The texts the target received, as its driver sends them. */
  private final List<String> sent = new ArrayList<>();

  /**
   * A target statement that applies the Redshift driver's escape processing to what it sends (into
   * {@code sent}) while escape processing is on, as that driver does; one call at a time, so threads
   * may share it.
   */
  static Object escapingStatement(Class<?> type, List<String> sent) {
    boolean[] escapes = {true};
    List<String> batch = new ArrayList<>();
    return Proxy.newProxyInstance(EscapeProcessingOffTest.class.getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
      synchronized (escapes) {
        if (m.getName().equals("setEscapeProcessing")) {
          escapes[0] = (Boolean) a[0];
        } else if (m.getName().equals("addBatch")) {
          batch.add(escapes[0] ? Parser.replaceProcessing((String) a[0], true, true) : (String) a[0]);
        } else if (m.getName().equals("clearBatch")) {
          batch.clear();
        } else if (m.getName().startsWith("executeBatch") || m.getName().startsWith("executeLargeBatch")) {
          sent.addAll(batch);
          batch.clear();
        } else if (m.getName().startsWith("execute") && a != null && a.length > 0 && a[0] instanceof String sql) {
          sent.add(escapes[0] ? Parser.replaceProcessing(sql, true, true) : sql);
        }
      }
      return GuardCoverageTest.defaultValue(m.getReturnType());
    });
  }

  /** A target applying the Redshift driver's escape processing, per statement, as that driver does. */
  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) { // as the Redshift driver: escapes applied, ? numbered
            return DriverSplitTest.nativeSql((String) args[0], true);
          }
          if (Statement.class.isAssignableFrom(type)) {
            return escapingStatement(type, sent);
          }
          if (method.getName().equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(type);
        });
  }

  /** A target whose driver has no escapes: the guard's own reading of a text as it is. */
  static Connection plainTarget() {
    return (Connection) Proxy.newProxyInstance(EscapeProcessingOffTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          if (method.getName().equals("nativeSQL")) {
            return args[0];
          }
          if (Statement.class.isAssignableFrom(method.getReturnType())) {
            return Proxy.newProxyInstance(EscapeProcessingOffTest.class.getClassLoader(), new Class<?>[] {method.getReturnType()},
                (s, m, a) -> GuardCoverageTest.defaultValue(m.getReturnType()));
          }
          return method.getName().equals("getAutoCommit") ? true : GuardCoverageTest.defaultValue(method.getReturnType());
        });
  }

  interface Entry {
    void run(Statement statement, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", (s, sql) -> { s.setEscapeProcessing(false); s.execute(sql); },
      "executeUpdate", (s, sql) -> { s.setEscapeProcessing(false); s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS); },
      "executeLargeUpdate", (s, sql) -> { s.setEscapeProcessing(false); s.executeLargeUpdate(sql); },
      "executeQuery", (s, sql) -> { s.setEscapeProcessing(false); s.executeQuery(sql); },
      "addBatch", (s, sql) -> { s.setEscapeProcessing(false); s.addBatch(sql); s.executeBatch(); },
      // added while escape processing was on, sent after it was turned off
      "addBatch, then off", (s, sql) -> { s.addBatch("select 1"); s.addBatch(sql); s.setEscapeProcessing(false); s.executeBatch(); },
      // off, then on again: sent with the escapes applied, as decided
      "off, then on", (s, sql) -> { s.setEscapeProcessing(false); s.setEscapeProcessing(true); s.execute(sql); });

  @Property(tries = 400)
  void whatTheTargetReceivesIsWhatTheGuardWouldDecideOnAsItIs(@ForAll("texts") String text) throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    Connection reference = TestRegistry.guarded(plainTarget());
    for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
      sent.clear();
      try {
        entry.getValue().run(guarded.createStatement(), text);
      } catch (SQLException refused) {
        assertThat(sent).as("%s refused, yet sent: %s", entry.getKey(), text).isEmpty();
        continue;
      }
      for (String received : sent) {
        // denied when read as it is: the guard let through a text it would deny
        reference.createStatement().execute(received);
      }
    }
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> pieces = Arbitraries.of("select 1 ", "/*/ ", "{oj a/}* ", "{fn right( 1 /*/ , 2 )} ",
        "{d '2020-01-01' /}* ", "*/ ", "-- x\n", "; ", "/* ", "{oj ", "} ", "'{' ", "{fn concat('a', 'b')} ", "\n");
    Arbitrary<String> tails = Arbitraries.of("", " ; -- */", " */", " ; select 2 */", "}");
    Arbitrary<String> statements = Arbitraries.of("COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + NOBODY + "'",
        "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE '" + NOBODY + "'", "set role nobody");
    return net.jqwik.api.Combinators.combine(pieces.list().ofMaxSize(6), statements, tails)
        .as((before, statement, tail) -> String.join("", before) + statement + tail);
  }

  @Test
  void theProbesTextIsRefusedAndNothingIsSent() throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    String text = "select 1 /*/ {oj a/}* */ ; COPY t FROM 's3://evil/x' IAM_ROLE '" + NOBODY + "' ; -- */";
    for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
      sent.clear();
      if (entry.getKey().equals("off, then on")) {
        // escape processing back on: the driver sends the reading the guard decided on, the COPY inside a comment
        entry.getValue().run(guarded.createStatement(), text);
        assertThat(sent).containsExactly(Parser.replaceProcessing(text, true, true));
        continue;
      }
      assertThatThrownBy(() -> entry.getValue().run(guarded.createStatement(), text)).as(entry.getKey())
          .isInstanceOf(SQLException.class);
      assertThat(sent).as(entry.getKey()).isEmpty();
    }
  }

  @Test
  void textsThatReadTheSameBothWaysStillRunWithEscapeProcessingOff() throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    for (String text : List.of("select 1", "SELECT '{oj COPY}' AS text", "select '{\"a\": 1}'::varchar",
        "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'", "select 1 /* { */",
        // nativeSQL numbers the ? (as a prepared statement sends it); a plain statement sends it as written
        "select '{\"a\": 1}'::jsonb ? 'a'", "select '{\"a\": 1}'::jsonb ?| array['a']")) {
      sent.clear();
      Statement statement = guarded.createStatement();
      statement.setEscapeProcessing(false);
      statement.execute(text);
      assertThat(sent).as(text).containsExactly(text);
    }
  }

  @Test
  void aTextThatReadsDifferentlyIsRefusedNamingWhy() throws SQLException {
    Statement statement = TestRegistry.guarded(target()).createStatement();
    statement.setEscapeProcessing(false);
    assertThatThrownBy(() -> statement.execute("select {fn concat('a', 'b')}"))
        .isInstanceOf(SQLException.class).hasMessageContaining("escape processing is off on this statement")
        .hasMessageContaining("nothing was sent");
    assertThat(sent).isEmpty();
    statement.setEscapeProcessing(true);
    statement.execute("select {fn concat('a', 'b')}");
    assertThat(sent).containsExactly(Parser.replaceProcessing("select {fn concat('a', 'b')}", true, true));
  }
}
