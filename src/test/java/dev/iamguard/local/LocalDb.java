package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An in-memory H2 database plus a local S3 folder, for the tests of this package. */
final class LocalDb implements AutoCloseable {
  final Connection connection;
  final LocalS3 s3;

  LocalDb(Path root) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    this.s3 = new LocalS3(root);
  }

  /** Runs plain SQL on H2 (one statement). */
  void sql(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Runs one emulated statement. */
  LocalResult run(String sql) throws SQLException {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    assertThat(statements.get(0).command().problems()).isEmpty();
    return s3.execute(connection, statements.get(0));
  }

  /** Every row of a query, each as a list of column values (getObject). */
  List<List<Object>> rows(String query) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object value = rs.getObject(i);
          row.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  long count(String table) throws SQLException {
    return ((Number) rows("SELECT COUNT(*) FROM " + table).get(0).get(0)).longValue();
  }

  /** Writes an object of the local S3 folder. */
  static Path put(Path root, String bucketAndKey, String content) throws Exception {
    Path file = root.resolve(bucketAndKey);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Override
  public void close() throws SQLException {
    sql("SHUTDOWN");
    connection.close();
  }
}
