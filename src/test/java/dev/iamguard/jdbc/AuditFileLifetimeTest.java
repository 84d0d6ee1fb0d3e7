package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.OpenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection naming an audit file ({@code iamguard.audit-file}) holds it open until it closes; the
 * file is closed when the last connection holding it closes, not when the collector next runs
 * (issue 17: 4,000 connections each naming its own file left 812 files open after they closed). A
 * data source holds its file for its own life, so that lending connections one at a time does not
 * reopen it.
 */
class AuditFileLifetimeTest {
  @TempDir
  Path dir;

  @BeforeEach
  void openFilesVisible() {
    OpenFiles.require();
  }

  private Properties settings(Path audit) {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    properties.setProperty("iamguard.audit-file", audit.toString());
    return properties;
  }

  private Connection open(Path audit) throws SQLException {
    return DriverManager.getConnection(TestRegistry.h2Url(), settings(audit));
  }

  static void deny(Connection connection) {
    assertThatThrownBy(() -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute(TestRegistry.DENIED);
      }
    }).isInstanceOf(GuardDeniedException.class);
  }

  @Test
  void theLastConnectionToCloseClosesTheFile() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Connection first = open(audit);
    Connection second = open(audit);
    deny(first);
    assertThat(OpenFiles.count(audit)).as("one descriptor, shared").isEqualTo(1);

    first.close();
    first.close(); // closing twice gives back one hold, not two
    assertThat(OpenFiles.isOpen(audit)).as("the second connection still holds it").isTrue();
    deny(second);

    second.close();
    assertThat(OpenFiles.isOpen(audit)).as("closed with the last connection").isFalse();
    assertThat(Files.readAllLines(audit)).hasSize(2);

    try (Connection third = open(audit)) {
      deny(third);
    }
    assertThat(Files.readAllLines(audit)).as("reopened, appending").hasSize(3);
    assertThat(OpenFiles.isOpen(audit)).isFalse();
  }

  @Test
  void connectionsEachNamingTheirOwnFileLeaveNoneOpen() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Path audit = dir.resolve("audit-" + i + ".jsonl");
      files.add(audit);
      try (Connection connection = open(audit)) {
        if (i % 3 == 0) {
          deny(connection);
        }
      }
    }
    for (Path audit : files) {
      assertThat(OpenFiles.isOpen(audit)).as(audit.toString()).isFalse();
    }
    assertThat(files.stream().filter(Files::exists)).as("every file was created").hasSize(300);
  }

  @Test
  void aConnectionAbortedGivesItsHoldBack() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Connection connection = open(audit);
    deny(connection);
    connection.abort(Runnable::run);
    assertThat(OpenFiles.isOpen(audit)).isFalse();
    connection.close(); // after abort: nothing more to give back
    assertThat(OpenFiles.isOpen(audit)).isFalse();
  }

  @Test
  void aRefusedConnectionHoldsNothingOpen() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Properties badSink = settings(audit);
    badSink.setProperty("iamguard.audit-sink", "com.example.NoSuchSink");
    assertThatThrownBy(() -> DriverManager.getConnection(TestRegistry.h2Url(), badSink))
        .isInstanceOf(SQLException.class).hasMessageContaining("no class com.example.NoSuchSink");
    assertThat(OpenFiles.isOpen(audit)).as("refused by a later setting").isFalse();

    // H2 refuses to create a database with IFEXISTS: the target refuses the connection
    assertThatThrownBy(() -> DriverManager.getConnection(
        "jdbc:iamguard:h2:mem:" + UUID.randomUUID() + ";IFEXISTS=TRUE", settings(audit)))
        .isInstanceOf(SQLException.class).hasMessageContaining("not found");
    assertThat(OpenFiles.isOpen(audit)).as("refused by the target").isFalse();
  }

  @Test
  void aDataSourceKeepsItsFileOpenBetweenConnections() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("etl");
    GuardDataSource guarded = GuardDataSource.wrap(h2, settings(audit));
    assertThat(OpenFiles.count(audit)).as("opened when the settings are checked").isEqualTo(1);

    for (int i = 0; i < 5; i++) {
      try (Connection connection = guarded.getConnection()) {
        deny(connection);
      }
      for (int round = 0; round < 10; round++) { // a hold the data source did not keep would be collected
        System.gc();
        assertThat(OpenFiles.count(audit)).as("still the one descriptor after lending " + (i + 1)).isEqualTo(1);
      }
    }
    assertThat(Files.readAllLines(audit)).hasSize(5);
  }
}
