package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.audit.AuditSink;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An INSERT into an external table the connection created through the guard is checked against its
 * schema's role (Loader may not write {@code s3://lake/in/orders/}), however the INSERT was held
 * before the table was created (red-team review: a statement prepared, or a batch entry added,
 * before the CREATE EXTERNAL TABLE inserted into it unchecked; and a thread finding the INSERT's
 * text clean while another created the table left it cached as clean for good).
 */
class ExternalTableCreatedLaterTest {
  private static final String CREATE_ORDERS =
      "create external table spectrum.orders (id int) stored as parquet location 's3://lake/in/orders/'";
  private static final String CREATE_OTHER =
      "create external table spectrum.other (id int) stored as parquet location 's3://lake/in/other/'";

  @TempDir Path dir;

  private Path registry() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, Files.readString(TestRegistry.path())
        + "external_schemas:\n  spectrum: {iam_role: \"" + TestRegistry.LOADER + "\"}\n");
    return registry;
  }

  /** A guarded H2 connection for etl, with spectrum's role Loader and the local S3 folder. */
  private Connection open() throws Exception {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.registry", registry().toString());
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  /** Something held before the CREATE and executed after it. */
  interface Held {
    Runnable hold(Connection connection) throws SQLException;
  }

  interface Runnable {
    void run() throws SQLException;
  }

  static Stream<Arguments> held() {
    Map<String, Held> forms = Map.of(
        "prepared", c -> {
          PreparedStatement statement = c.prepareStatement("insert into spectrum.orders values (?)");
          statement.setInt(1, 1);
          return statement::executeUpdate;
        },
        "prepared, generated keys asked", c -> {
          PreparedStatement statement = c.prepareStatement("insert into spectrum.orders values (2)",
              Statement.RETURN_GENERATED_KEYS);
          return statement::execute;
        },
        "text batch entry", c -> {
          Statement statement = c.createStatement();
          statement.addBatch("insert into spectrum.orders values (3)");
          return statement::executeBatch;
        },
        "parameter batch", c -> {
          PreparedStatement statement = c.prepareStatement("insert into spectrum.orders values (?)");
          statement.setInt(1, 4);
          statement.addBatch();
          return statement::executeBatch;
        },
        "text found clean before", c -> {
          String insert = "insert into spectrum.orders values (5)";
          Statement statement = c.createStatement();
          statement.execute(insert);
          statement.execute("delete from spectrum.orders");
          return () -> statement.execute(insert);
        });
    return forms.entrySet().stream().flatMap(form -> Stream.of(false, true)
        .map(otherFirst -> Arguments.of(form.getKey() + (otherFirst ? ", another external table known before" : ""),
            form.getValue(), otherFirst)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("held")
  void anInsertHeldBeforeTheTableWasCreatedIsCheckedWhenItRuns(String name, Held form, boolean otherFirst)
      throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create schema spectrum");
      statement.execute("create table spectrum.orders (id int)");
      statement.execute("create table spectrum.other (id int)");
      statement.execute("create table plain_t (id int)");
      if (otherFirst) {
        statement.execute(CREATE_OTHER); // the INSERT is then decided with a catalog that lacks orders
      }
      Runnable later = form.hold(connection);
      PreparedStatement local = connection.prepareStatement("insert into plain_t values (?)");
      local.setInt(1, 9);
      statement.execute(CREATE_ORDERS);
      Throwable refused = assertThrows(SQLException.class, later::run, name);
      GuardDeniedException denied = refused instanceof GuardDeniedException g ? g
          : (GuardDeniedException) refused.getCause();
      assertThat((Object) denied).as(name + ": " + refused).isNotNull();
      assertThat(denied.findings()).as(name).extracting(Finding::rule).contains(RuleId.S3_NOT_PERMITTED);
      try (ResultSet rows = statement.executeQuery("select count(*) from spectrum.orders")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).as(name + ": rows inserted").isZero();
      }
      assertThat(local.executeUpdate()).as("a table outside the external schemas, prepared before too").isOne();
    }
  }

  /** A row change of an updatable result set: a statement the driver builds, which the guard does not read. */
  interface RowChange {
    void change(ResultSet rows) throws SQLException;
  }

  static Stream<Arguments> rowChanges() {
    Map<String, RowChange> changes = Map.of(
        "insertRow", rows -> {
          rows.moveToInsertRow();
          rows.updateInt(1, 3);
          rows.insertRow();
        },
        "updateRow", rows -> {
          rows.next();
          rows.updateInt(1, 4);
          rows.updateRow();
        },
        "deleteRow", rows -> {
          rows.next();
          rows.deleteRow();
        });
    return changes.entrySet().stream().flatMap(change -> Stream.of(true, false).map(created -> Arguments.of(
        change.getKey() + (created ? ", external table created" : ", none created"), change.getValue(), created)));
  }

  /**
   * On a connection that created external tables through the guard, an updatable result set's row
   * changes are refused, whatever table they change, and nothing changes; on one that created none
   * they run as before.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rowChanges")
  void rowChangesOfUpdatableResultSetsAreRefusedBesideExternalTables(String name, RowChange change, boolean created)
      throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create schema spectrum");
      statement.execute("create table spectrum.orders (id int primary key)");
      statement.execute("insert into spectrum.orders values (1)");
      if (created) {
        statement.execute(CREATE_ORDERS);
      }
      try (Statement updatable = connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
          ResultSet rows = updatable.executeQuery("select id from spectrum.orders")) {
        if (created) {
          SQLException refused = assertThrows(SQLException.class, () -> change.change(rows), name);
          assertThat(refused.getSQLState()).as(name).isEqualTo(GuardSqlStates.NOT_SUPPORTED);
        } else {
          change.change(rows);
        }
      }
      try (ResultSet rows = statement.executeQuery("select count(*), max(id) from spectrum.orders")) {
        assertThat(rows.next()).isTrue();
        String now = rows.getInt(1) + " rows, max " + rows.getInt(2);
        if (created) {
          assertThat(now).as(name).isEqualTo("1 rows, max 1");
        } else {
          assertThat(now).as(name).isNotEqualTo("1 rows, max 1");
        }
      }
    }
  }

  private final List<String> sent = new CopyOnWriteArrayList<>();

  /**
   * One thread sends two INSERTs into spectrum.orders in turn while another creates it: afterwards
   * both are denied, never sent from a cache of clean texts filled while the table was being created.
   */
  @Test
  void aTextFoundCleanWhileAnotherThreadCreatesTheTableIsNotCachedAsClean() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", registry().toString());
    String[] inserts = {"insert into spectrum.orders values (1)", "insert into spectrum.orders values (2)"};
    int unchecked = 0;
    int runs = 3_000;
    for (int run = 0; run < runs; run++) {
      ConnectionPolicy policy = GuardFactory.create(GuardConfig.resolve(properties, Map.of(), k -> null, k -> null),
          Session.of("etl", null), false, AuditSink.DEFAULT);
      GuardConnection connection = new GuardConnection(RecordingTarget.of(sent), policy);
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicBoolean created = new AtomicBoolean();
      Thread inserting = new Thread(() -> {
        try (Statement statement = connection.createStatement()) {
          start.await();
          for (int i = 0; !created.get(); i++) {
            try {
              statement.execute(inserts[i & 1]);
            } catch (GuardDeniedException denied) {
              // once the table is known
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      inserting.start();
      try (Statement creating = connection.createStatement()) {
        start.await();
        creating.execute(CREATE_ORDERS);
      } finally {
        created.set(true);
        inserting.join();
      }
      sent.clear();
      for (String insert : inserts) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(insert);
        } catch (GuardDeniedException denied) {
          assertThat(denied.findings()).extracting(Finding::rule).contains(RuleId.S3_NOT_PERMITTED);
        }
      }
      unchecked += sent.isEmpty() ? 0 : 1;
    }
    assertThat(unchecked).as("runs after which an INSERT into the new table was sent, of %s", runs).isZero();
  }
}
