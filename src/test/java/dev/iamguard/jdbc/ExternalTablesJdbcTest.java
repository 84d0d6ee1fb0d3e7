package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 through the driver: an external table created on a connection lends its location to
 * later INSERTs of the same connection, which are checked against its schema's role, although an
 * INSERT is otherwise never inspected (and a text found clean before is checked again).
 */
class ExternalTablesJdbcTest {
  @TempDir
  Path dir;

  Connection open() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, Files.readString(TestRegistry.path())
        + "external_schemas:\n  spectrum: {iam_role: \"" + TestRegistry.LOADER + "\"}\n");
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  @Test
  void anInsertIntoAnExternalTableCreatedOnTheConnectionIsChecked() throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      String insert = "insert into spectrum.orders values (1)";
      // before the table exists the text is not the guard's concern: H2 itself refuses it
      assertThatThrownBy(() -> statement.execute(insert)).isInstanceOf(SQLException.class)
          .isNotInstanceOf(GuardDeniedException.class);

      statement.execute("create external table spectrum.orders (id int) stored as parquet location 's3://lake/in/orders/'");

      assertThatThrownBy(() -> statement.execute(insert)).isInstanceOf(GuardDeniedException.class)
          .hasMessageContaining("S3_NOT_PERMITTED").hasMessageContaining("may not write s3://lake/in/orders/");
      assertThatThrownBy(() -> connection.prepareStatement("select 1; " + insert)).isInstanceOf(GuardDeniedException.class);
      // other INSERTs still pass unchecked
      statement.execute("create table t (v int)");
      statement.execute("insert into t values (1)");
    }
  }

  /** A rename sent in its own execution carries the table's location to its new name on the connection. */
  @Test
  void anInsertUnderARenamedTablesNewNameIsChecked() throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create external table spectrum.orders (id int) stored as parquet location 's3://lake/in/orders/'");
      // H2 records an external table without creating it: a plain table stands in for it, so the rename succeeds
      statement.execute("create schema spectrum");
      statement.execute("create table spectrum.orders (id int)");
      statement.execute("alter table spectrum.orders rename to orders2");
      assertThatThrownBy(() -> statement.execute("insert into spectrum.orders2 values (1)"))
          .isInstanceOf(GuardDeniedException.class).hasMessageContaining("may not write s3://lake/in/orders/");
      assertThatThrownBy(() -> statement.execute("alter table spectrum.orders2 rename to orders3; "
          + "insert into spectrum.orders3 values (1)")).isInstanceOf(GuardDeniedException.class);
    }
  }

  /**
   * A schema rename sent on its own (a text the scan otherwise passes as clean) moves the
   * registry schema's role to the new name on the connection (outside probe F2: the new name was
   * an unknown schema, a warning), through each way a text is sent.
   */
  @Test
  void aTableUnderARenamedSchemasNewNameIsCheckedWithItsRole() throws Exception {
    String create = "create external table %s.x (id int) stored as parquet location 's3://elsewhere/x/'";
    for (String how : List.of("statement", "prepared", "batch")) {
      try (Connection connection = open(); Statement statement = connection.createStatement()) {
        // H2 holds no external schema: a plain one stands in for it, so the rename succeeds
        statement.execute("create schema spectrum");
        String rename = "alter schema spectrum rename to spec_" + how;
        switch (how) {
          case "statement" -> statement.execute(rename);
          case "prepared" -> {
            try (java.sql.PreparedStatement prepared = connection.prepareStatement(rename)) {
              prepared.execute();
            }
          }
          default -> {
            statement.addBatch(rename);
            statement.executeBatch();
          }
        }
        assertThatThrownBy(() -> statement.execute(create.formatted("spec_" + how))).as(how)
            .isInstanceOf(GuardDeniedException.class).hasMessageContaining("S3_NOT_PERMITTED")
            .hasMessageContaining(TestRegistry.LOADER);
      }
    }
  }

  @Test
  void aTableLocationOutsideTheSchemasRoleIsDenied() throws Exception {
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("create external table spectrum.x (id int) stored as parquet"
          + " location 's3://elsewhere/x/'")).isInstanceOf(GuardDeniedException.class).hasMessageContaining("S3_NOT_PERMITTED");
      assertThat(statement.execute("alter table spectrum.x add partition (d='1') location 's3://lake/in/x/d=1/'")).isFalse();
    }
  }
}
