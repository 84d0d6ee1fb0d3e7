package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A closed statement runs no emulated COPY or UNLOAD: the local database never sees those texts, so
 * its own "object is closed" check did not run, and a closed plain, prepared or callable statement
 * loaded rows and wrote files (probe 24b F1). Every way of executing, both commands, three kinds of
 * statement: an SQLException naming the closed statement, no row loaded, no file written.
 */
class ClosedStatementEmulationTest {
  private static final String COPY = "COPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "' CSV";
  private static final String UNLOAD = "UNLOAD ('select * from t') TO 's3://lake/out/closed_' IAM_ROLE '"
      + TestRegistry.LOADER + "' ALLOWOVERWRITE";

  @TempDir
  Path s3;

  /** How a closed statement is asked to run {@code sql}. */
  interface Run {
    void run(Connection connection, String sql) throws SQLException;
  }

  static Stream<Arguments> runs() {
    List<Arguments> all = new ArrayList<>();
    for (String sql : List.of(COPY, UNLOAD)) {
      all.add(Arguments.of("execute", sql, (Run) (c, text) -> closed(c).execute(text)));
      all.add(Arguments.of("executeUpdate", sql, (Run) (c, text) -> closed(c).executeUpdate(text)));
      all.add(Arguments.of("executeLargeUpdate", sql, (Run) (c, text) -> closed(c).executeLargeUpdate(text)));
      all.add(Arguments.of("execute with keys", sql,
          (Run) (c, text) -> closed(c).execute(text, Statement.NO_GENERATED_KEYS)));
      all.add(Arguments.of("prepared execute", sql, (Run) (c, text) -> {
        java.sql.PreparedStatement statement = c.prepareStatement(text);
        statement.close();
        statement.execute();
      }));
      all.add(Arguments.of("prepared executeUpdate", sql, (Run) (c, text) -> {
        java.sql.PreparedStatement statement = c.prepareStatement(text);
        statement.close();
        statement.executeUpdate();
      }));
      all.add(Arguments.of("callable execute", sql, (Run) (c, text) -> {
        java.sql.CallableStatement statement = c.prepareCall(text);
        statement.close();
        statement.execute();
      }));
    }
    return all.stream();
  }

  private static Statement closed(Connection connection) throws SQLException {
    Statement statement = connection.createStatement();
    statement.close();
    return statement;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("runs")
  void aClosedStatementRunsNothingLocally(String how, String sql, Run run) throws Exception {
    Path data = s3.resolve("lake/in/t/data.csv");
    Files.createDirectories(data.getParent());
    Files.writeString(data, "1,a\n");
    try (Connection connection = TestRegistry.openH2(s3)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("create table t (id int, v varchar(20))");
        statement.execute("insert into t values (2, 'b')");
      }

      assertThatThrownBy(() -> run.run(connection, sql)).isInstanceOf(SQLException.class)
          .hasMessageContaining("closed");

      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("select count(*) from t")) {
        rows.next();
        assertThat(rows.getInt(1)).as("rows after a closed %s", how).isEqualTo(1);
      }
      assertThat(Files.exists(s3.resolve("lake/out"))).as("a folder written by a closed %s", how).isFalse();
      // the same text on an open statement runs: the refusal is the closed statement's
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
      assertThat(sql.startsWith("COPY") ? count(connection) == 2 : Files.exists(s3.resolve("lake/out"))).isTrue();
    }
  }

  private static int count(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from t")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
