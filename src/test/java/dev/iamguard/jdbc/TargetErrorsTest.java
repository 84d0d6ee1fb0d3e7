package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that refuses a text may quote it, secrets and all (H2 quotes the whole statement):
 * through every SQL entry point of the guard, and for every way of writing the secret, the
 * application's error holds no secret, and keeps its standard type, SQLState and vendor code.
 */
class TargetErrorsTest {
  private static final String SECRET = "Sup3rSecretPw";
  /** The password written every way a literal can be; the secret is what a reader would recover. */
  private static final List<String> WRITTEN = List.of("'" + SECRET + "'", "E'" + SECRET + "'", "$$" + SECRET + "$$",
      "$pw$" + SECRET + "$pw$", "'Sup3rSe'\n'cretPw'", "'Sup3r''SecretPw'");

  @TempDir
  Path s3;
  Connection guarded;

  @BeforeEach
  void open() throws SQLException {
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", "samples/registry.yaml");
    settings.setProperty("iamguard.local-s3", s3.toString());
    settings.setProperty("user", "user1");
    guarded = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings);
  }

  @AfterEach
  void close() throws SQLException {
    guarded.close();
  }

  /** Every message an application or a logger can reach from {@code error}. */
  static List<String> messages(Throwable error) {
    List<String> messages = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> todo = new ArrayList<>(List.of(error));
    while (!todo.isEmpty()) {
      Throwable t = todo.remove(todo.size() - 1);
      if (t == null || seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      messages.add(String.valueOf(t.getMessage()));
      messages.add(t.toString());
      todo.add(t.getCause());
      if (t instanceof SQLException sql) {
        todo.add(sql.getNextException());
      }
      todo.addAll(List.of(t.getSuppressed()));
    }
    return messages;
  }

  private static void assertNoSecret(SQLException error, String written) {
    assertThat((Throwable) error).as(written).isNotNull();
    for (String message : messages(error)) {
      assertThat(message).as("a message of the error for %s", written)
          .doesNotContain(SECRET).doesNotContain("Sup3rSe").doesNotContain("cretPw");
    }
  }

  interface Entry {
    void run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", (c, sql) -> c.createStatement().execute(sql),
      "executeUpdate", (c, sql) -> c.createStatement().executeUpdate(sql),
      "executeLargeUpdate", (c, sql) -> c.createStatement().executeLargeUpdate(sql),
      "executeQuery", (c, sql) -> c.createStatement().executeQuery(sql),
      "execute with keys", (c, sql) -> c.createStatement().execute(sql, Statement.RETURN_GENERATED_KEYS),
      "batch", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.addBatch("create table if not exists ok_before (a int)");
        statement.addBatch(sql);
        statement.executeBatch();
      },
      "prepareStatement", (c, sql) -> c.prepareStatement(sql).execute(),
      "prepareCall", (c, sql) -> c.prepareCall(sql).execute());

  @Test
  void aRefusedTextsSecretNeverReachesTheApplication() {
    int checked = 0;
    for (String written : WRITTEN) {
      String sql = "alter user bob password " + written;
      for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
        SQLException error = catchThrowableOfType(SQLException.class, () -> entry.getValue().run(guarded, sql));
        assertNoSecret(error, entry.getKey() + ": " + written);
        assertThat(error.getSQLState()).as("%s %s", entry.getKey(), written).startsWith("42");
        if (!(error instanceof BatchUpdateException)) {
          assertThat((Throwable) error).as("%s %s", entry.getKey(), written).isInstanceOf(SQLSyntaxErrorException.class);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(WRITTEN.size() * ENTRIES.size());
  }

  @Test
  void anErrorWithoutASecretIsTheDatabasesOwn() throws SQLException {
    SQLException error = catchThrowableOfType(SQLException.class,
        () -> guarded.createStatement().executeQuery("select * from no_such_table"));
    assertThat(error.getClass().getName()).startsWith("org.h2.");
    assertThat(error.getMessage()).contains("NO_SUCH_TABLE");
  }

  @Test
  void everyStandardTypeIsKeptWithItsStateAndCode() {
    List<BiFunction<String, String, SQLException>> types = List.of(
        (m, s) -> new SQLSyntaxErrorException(m, s, 7), (m, s) -> new SQLDataException(m, s, 7),
        (m, s) -> new SQLIntegrityConstraintViolationException(m, s, 7),
        (m, s) -> new SQLFeatureNotSupportedException(m, s, 7),
        (m, s) -> new SQLInvalidAuthorizationSpecException(m, s, 7),
        (m, s) -> new SQLNonTransientConnectionException(m, s, 7), (m, s) -> new SQLNonTransientException(m, s, 7),
        (m, s) -> new SQLTransactionRollbackException(m, s, 7), (m, s) -> new SQLTimeoutException(m, s, 7),
        (m, s) -> new SQLTransientConnectionException(m, s, 7), (m, s) -> new SQLTransientException(m, s, 7),
        (m, s) -> new SQLRecoverableException(m, s, 7), (m, s) -> new SQLException(m, s, 7),
        (m, s) -> new BatchUpdateException(m, s, 7, new int[] {1, Statement.EXECUTE_FAILED}));
    String sql = "alter user bob password '" + SECRET + "'";
    for (BiFunction<String, String, SQLException> type : types) {
      SQLException original = type.apply("refused: " + sql, "XX123");
      SQLException masked = TargetErrors.masked(original, sql);
      assertThat((Throwable) masked).isNotSameAs(original).hasSameClassAs(type.apply("", ""));
      assertThat(masked.getSQLState()).isEqualTo("XX123");
      assertThat(masked.getErrorCode()).isEqualTo(7);
      assertThat(masked.getStackTrace()).isEqualTo(original.getStackTrace());
      assertNoSecret(masked, original.getClass().getSimpleName());
      if (original instanceof BatchUpdateException batch) {
        assertThat(((BatchUpdateException) masked).getUpdateCounts()).containsExactly(batch.getUpdateCounts());
      }
      // with a cause, as pgjdbc and the Redshift driver give every batch error (BatchUpdateException's
      // long[] constructor sets the cause: the copy's initCause threw IllegalStateException out of executeBatch)
      SQLException harmless = new SQLException("role \"nosuch\" does not exist", "42704");
      SQLException caused = type.apply("refused: " + sql, "XX123");
      caused.initCause(harmless);
      SQLException maskedCaused = TargetErrors.masked(caused, sql);
      assertThat((Throwable) maskedCaused).hasSameClassAs(caused);
      assertThat((Throwable) maskedCaused.getCause()).as("a cause quoting nothing is kept").isSameAs(harmless);
      assertNoSecret(maskedCaused, "caused " + original.getClass().getSimpleName());
      SQLException quotingCause = type.apply("refused: " + sql, "XX123");
      quotingCause.initCause(new SQLException("value " + SECRET));
      assertThat((Throwable) TargetErrors.masked(quotingCause, sql).getCause()).as("left out").isNull();
    }
  }

  /**
   * A driver may quote a bound parameter's value where the text holds {@code ?}: pgjdbc and the
   * Redshift driver print a failed batch entry with its values inlined. The text holds no secret,
   * so only the redactor's shapes find it.
   */
  /**
   * A batch entry that ends with a secret keyword leaves its value to the next entry, which a
   * driver quotes alone in its error (red-team review): the value is masked, whatever the keyword,
   * what ends the first entry and how the value is written.
   */
  @Test
  void aValueLeftToTheNextBatchEntryIsMaskedInTheDriversError() {
    int checked = 0;
    for (String keyword : List.of("alter user bob password", "copy t from 's3://b/k' secret_access_key",
        "copy t from 's3://b/k' session_token", "unload ('select 1') to 's3://b/k' master_symmetric_key",
        "copy t from 's3://b/k' ACCESS_KEY_ID", "alter user bob PASSWORD")) {
      for (String ending : List.of("", ";", " ;\n", " =", "\t")) {
        for (String value : List.of("'Hunter2Pass01'", "E'Hunter2Pass01'", "$$Hunter2Pass01$$", "'Hunter2Pass01';")) {
          List<String> entries = List.of("select 1", keyword + ending, value);
          BatchUpdateException batch = new BatchUpdateException("Batch entry 2 " + value
              + " was aborted: ERROR: syntax error at or near \"" + value + "\"", "42601", 0, new long[] {1, -3}, null);
          SQLException masked = TargetErrors.masked(batch, entries);
          assertThat(masked.getMessage()).as(entries.toString()).doesNotContain("Hunter2Pass01").contains("syntax error");
          checked++;
        }
      }
    }
    List<String> harmless = List.of("select 'password'", "'Hunter2Pass01'");
    assertThat(TargetErrors.masked(new SQLException("quoted 'Hunter2Pass01'"), harmless).getMessage())
        .as("no keyword left waiting: the next entry's literal is the database's own").contains("Hunter2Pass01");
    assertThat(checked).isEqualTo(6 * 5 * 4);
  }

  @Test
  void aBoundSecretQuotedByTheDriverIsMasked() {
    String sql = "ALTER USER nosuch PASSWORD ?";
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 ALTER USER nosuch PASSWORD ('" + SECRET
        + "') was aborted: ERROR: syntax error at or near \"$1\"", "42601", 0, new long[] {-3}, null);
    batch.setNextException(new SQLException("ERROR: syntax error at or near \"$1\"", "42601"));
    SQLException masked = TargetErrors.masked(batch, sql);
    assertNoSecret(masked, "a bound password");
    assertThat((Throwable) masked).isInstanceOf(BatchUpdateException.class);
    assertThat(((BatchUpdateException) masked).getLargeUpdateCounts()).containsExactly(-3);
    assertThat(masked.getNextException().getMessage()).contains("syntax error");
  }

  @Test
  void causesAndNextExceptionsAreMaskedOrLeftOut() {
    String sql = "create user carol password '" + SECRET + "'";
    SQLException quoting = new SQLException("value " + SECRET + " refused", "22000");
    SQLException harmless = new SQLException("network hiccup", "08000");
    SQLException top = new SQLException("statement failed", "42000", 1, quoting);
    top.setNextException(new SQLException("also: '" + SECRET + "'", "42000", 2, harmless));
    SQLException masked = TargetErrors.masked(top, sql);
    assertNoSecret(masked, sql);
    assertThat(masked.getMessage()).isEqualTo("statement failed");
    assertThat((Throwable) masked.getCause()).as("a cause quoting the secret is left out").isNull();
    assertThat(masked.getNextException().getMessage()).isEqualTo("also: '***'");
    assertThat(masked.getNextException().getErrorCode()).isEqualTo(2);
    assertThat((Throwable) masked.getNextException().getCause()).as("a cause quoting nothing is kept").isSameAs(harmless);
    SQLException cyclic = new SQLException("x " + SECRET);
    cyclic.setNextException(cyclic);
    assertNoSecret(TargetErrors.masked(cyclic, sql), "a cycle of next exceptions");
    assertThat((Throwable) TargetErrors.masked(harmless, sql)).as("nothing to mask").isSameAs(harmless);
    assertThat((Throwable) TargetErrors.masked(quoting, "select 1")).as("no secret in the text").isSameAs(quoting);
  }
  /**
   * A batch's error chains one exception per failed entry, a warning chain one per server notice:
   * tens of thousands deep. Masking walks them in a loop (it recursed once per link, and a chain of
   * about 8,000 overflowed the stack: the application got a StackOverflowError, not the batch's
   * error): the copy keeps every link, type, SQLState and code, and masks the one that quotes.
   */
  @Test
  void chainsTensOfThousandsDeepAreMaskedInALoop() {
    String sql = "create user carol password '" + SECRET + "'";
    int links = 50_000;
    BatchUpdateException top = new BatchUpdateException("batch failed", "23505", 1, new int[] {1, -3}, null);
    SQLException last = top;
    for (int i = 0; i < links; i++) {
      SQLException next = i % 2 == 0 ? new SQLIntegrityConstraintViolationException("duplicate " + i, "23505", i)
          : new SQLException(i == 40_001 ? "value '" + SECRET + "' refused" : "entry " + i, "22000", i);
      last.setNextException(next);
      last = next;
    }

    SQLException masked = TargetErrors.masked(top, sql);

    assertThat((Throwable) masked).isInstanceOf(BatchUpdateException.class).isNotSameAs(top);
    assertThat(((BatchUpdateException) masked).getUpdateCounts()).containsExactly(1, -3);
    int n = 0;
    for (SQLException at = masked.getNextException(); at != null; at = at.getNextException(), n++) {
      assertThat(at.getErrorCode()).isEqualTo(n);
      assertThat(at.getSQLState()).isEqualTo(n % 2 == 0 ? "23505" : "22000");
      assertThat((Throwable) at).isInstanceOf(n % 2 == 0 ? SQLIntegrityConstraintViolationException.class : SQLException.class);
      assertThat(at.getMessage()).isEqualTo(n == 40_001 ? "value '***' refused" : n % 2 == 0 ? "duplicate " + n : "entry " + n);
    }
    assertThat(n).isEqualTo(links);

    SQLWarning warnings = new SQLWarning("notice 0");
    SQLWarning lastWarning = warnings;
    for (int i = 1; i < links; i++) {
      SQLWarning next = new SQLWarning("notice " + i);
      lastWarning.setNextWarning(next);
      lastWarning = next;
    }
    assertThat((Throwable) TargetErrors.maskedWarning(warnings, List.of())).as("nothing to mask").isSameAs(warnings);
  }

  /**
   * A batch of many entries, each holding its own secrets, whose error quotes every entry in a link
   * of its own: each message was masked with every secret of the batch, one search per secret
   * (16,000 entries of a key pair took 17 s; 40,000 about two minutes, held on the connection's
   * lock). The secrets are now prepared once for the chain (see {@code SecretValues}): every link is
   * masked and keeps its own words (the timeout is a hang guard).
   */
  @Test
  void aLongBatchOfSecretsIsMaskedOnceForTheWholeChain() {
    int entries = 40_000;
    List<String> texts = new ArrayList<>();
    BatchUpdateException top = new BatchUpdateException("batch failed", "22000", 1, new int[] {-3}, null);
    SQLException last = top;
    for (int i = 0; i < entries; i++) {
      String text = String.format("copy t%d from 's3://b/k' access_key_id 'AKIA%016d' secret_access_key 'wJalrXUtnFEMI%027d'", i, i, i);
      texts.add(text);
      // quoted as a driver does, and the secret alone, which no pattern knows: only the list masks it
      SQLException next = new SQLException("Batch entry " + i + " " + text + " was aborted; saw wJalrXUtnFEMI"
          + String.format("%027d", i) + " there", "22000", i);
      last.setNextException(next);
      last = next;
    }

    SQLException masked = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
        () -> TargetErrors.masked(top, texts));

    int n = 0;
    for (SQLException at = masked.getNextException(); at != null; at = at.getNextException(), n++) {
      assertThat(at.getMessage()).isEqualTo("Batch entry " + n + " copy t" + n
          + " from 's3://b/k' access_key_id '***' secret_access_key '***' was aborted; saw *** there");
    }
    assertThat(n).isEqualTo(entries);
  }

  /**
   * A chain whose every link has its next exception for cause as well: whether a link's cause led to
   * a secret was asked by a walk from it, which went along the rest of the chain (16,000 links took
   * 15 s). The graph is now read once ({@code SecretQuotes}): links before the quoting one lose their
   * cause (it leads to the secret), links after keep it (the timeout is a hang guard).
   */
  @Test
  void aChainWhoseLinksAreAlsoCausesIsReadOnce() {
    int links = 40_000;
    int quoting = 20_000;
    SQLException[] chain = new SQLException[links];
    for (int i = links - 1; i >= 0; i--) {
      SQLException cause = i + 1 < links ? chain[i + 1] : null;
      chain[i] = new SQLException(i == quoting ? "value '" + SECRET + "' refused" : "entry " + i, "22000", i, cause);
      if (cause != null) {
        chain[i].setNextException(cause);
      }
    }

    SQLException masked = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
        () -> TargetErrors.masked(chain[0], "create user carol password '" + SECRET + "'"));

    int n = 0;
    for (SQLException at = masked; at != null; at = at.getNextException(), n++) {
      assertThat(at.getMessage()).isEqualTo(n == quoting ? "value '***' refused" : "entry " + n);
      assertThat(at.getCause()).as("link %d", n).isSameAs(n < quoting || n == links - 1 ? null : chain[n + 1]);
    }
    assertThat(n).isEqualTo(links);
  }
}
