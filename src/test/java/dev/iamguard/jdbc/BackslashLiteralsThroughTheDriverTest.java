package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through the guarded driver on H2, a literal whose escaped quote hides a statement from H2's
 * reading is the one value Redshift (and the guard) read, by every way a text reaches H2
 * (Statement.execute, executeQuery, a prepared statement, a batch): no hidden statement runs.
 */
class BackslashLiteralsThroughTheDriverTest {
  @Test
  void noStatementHidesBehindAnEscapedQuote() throws Exception {
    List<String> hidden = List.of("create table pwned (x int)", "drop table victim", "insert into victim values (7)");
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), TestRegistry.properties("etl"));
        Statement statement = connection.createStatement()) {
      statement.execute("create table victim (x int)");
      int n = 0;
      for (String inside : hidden) {
        String sql = "select 'a\\'; " + inside + "; --' as v";
        String value = "a'; " + inside + "; --";
        statement.execute(sql);
        try (ResultSet rows = statement.getResultSet()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo(value);
        }
        try (ResultSet rows = statement.executeQuery(sql)) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo(value);
        }
        try (PreparedStatement prepared = connection.prepareStatement(sql); ResultSet rows = prepared.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo(value);
        }
        statement.addBatch("insert into victim select length('x\\'; " + inside + "; --')");
        statement.executeBatch();
        n++;
      }
      try (ResultSet tables = connection.getMetaData().getTables(null, null, "PWNED", null)) {
        assertThat(tables.next()).as("a hidden statement ran").isFalse();
      }
      try (ResultSet rows = statement.executeQuery("select count(*), min(x) from victim")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(n); // the batch's rows only: victim was neither dropped nor given a 7
        assertThat(rows.getInt(2)).isGreaterThan(7);
      }
    }
  }
}
