package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.StartupRewritingSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code iamguard run} stopped inside a transaction the script opened: what ran before the
 * transaction stays (each statement commits on its own), what ran inside it is rolled back, as the
 * connection closes with the transaction open (as psql with ON_ERROR_STOP leaves it, and as a
 * PostgreSQL or Redshift session ending mid-transaction does). Nothing of the transaction is half
 * applied, whether the run stopped at a statement the database failed or at one the guard denied
 * (never sent). A COMMIT before the stop keeps the transaction's rows. On embedded H2, and through
 * the Redshift driver on a throwaway PostgreSQL (skipped where none is installed).
 */
class RunStopsInTransactionTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();
  private static final AtomicInteger TABLES = new AtomicInteger();

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String opener : List.of("begin", "BEGIN TRANSACTION", "start transaction")) {
      for (String stopper : List.of("insert into nosuch_table values (1)",
          "copy kept from 's3://acmedata/redshift/x' iam_role 'arn:aws:iam::999999999999:role/Nobody'")) {
        for (boolean committed : List.of(false, true)) {
          cases.add(Arguments.of(opener, stopper, committed));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "H2: {0} ... {1}, committed first: {2}")
  @MethodSource("cases")
  void onH2(String opener, String stopper, boolean committed) throws Exception {
    String database = dir.resolve("db").toString();
    List<Integer> rows = runAndRead("jdbc:iamguard:h2:" + database, "samples/registry.yaml",
        () -> DriverManager.getConnection("jdbc:h2:" + database, "user1", ""), opener, stopper, committed);

    assertThat(rows).isEqualTo(committed ? List.of(1, 2, 3) : List.of(1));
  }

  @ParameterizedTest(name = "PostgreSQL: {0} ... {1}, committed first: {2}")
  @MethodSource("cases")
  void throughTheRedshiftDriver(String opener, String stopper, boolean committed) throws Exception {
    String url = "jdbc:iamguard:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE + "?user="
        + LocalPostgres.USER + "&password=" + POSTGRES.password() + "&ssl=false&socketFactory="
        + StartupRewritingSocketFactory.class.getName() + "&iamguard.cluster=local-cluster";
    List<Integer> rows = runAndRead(url, "src/test/resources/jdbc/real-driver-registry.yaml",
        () -> POSTGRES.redshiftConnection(false, null), opener, stopper, committed);

    assertThat(rows).isEqualTo(committed ? List.of(1, 2, 3) : List.of(1));
  }

  interface Opener {
    Connection open() throws SQLException;
  }

  /** Runs the script, checks that it stopped where it should, and reads the table back through {@code raw}. */
  private List<Integer> runAndRead(String url, String registry, Opener raw, String opener, String stopper,
      boolean committed) throws Exception {
    String table = "kept_" + TABLES.incrementAndGet();
    Path script = Files.writeString(dir.resolve(table + ".sql"), String.join(";\n",
        "create table " + table + " (v int)",
        "insert into " + table + " values (1)",
        opener,
        "insert into " + table + " values (2)",
        "insert into " + table + " values (3)",
        committed ? "commit" : "select 1",
        stopper.replace("kept", table),
        "insert into " + table + " values (4)") + ";\n");

    CliRun run = CliRun.of("run", "--url", url, "--registry", registry, "--user", "user1", script.toString());

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out().lines().toList()).as(run.err()).hasSize(8)
        .endsWith("stopped: 6 statements ran")
        .element(6).asString().contains(stopper.startsWith("copy") ? "COPY DENY" : "FAILED");
    List<Integer> rows = new ArrayList<>();
    try (Connection connection = raw.open(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select v from " + table + " order by v")) {
      while (result.next()) {
        rows.add(result.getInt(1));
      }
    }
    return rows;
  }
}
