package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;

/** The Forwarding layer around a real driver: H2, in memory. */
class ForwardingH2SmokeTest {

  private static Connection open() throws SQLException {
    Connection raw = new org.h2.Driver().connect("jdbc:h2:mem:fwd_smoke", new Properties());
    assertThat(raw).as("H2 connection").isNotNull();
    return new ForwardingConnection(raw);
  }

  /**
   * The prepared and callable Forwarding classes sit in the one statement chain, above the
   * Statement guard: they are built over a guarded connection (its SQL here is allowed).
   */
  private static GuardConnection guarded(Connection connection) throws SQLException {
    return TestRegistry.guarded(connection);
  }

  @Test
  void createsInsertsAndQueriesThroughTheForwardingLayer() throws SQLException {
    try (Connection connection = open()) {
      try (Statement statement = new ForwardingStatement(connection.createStatement())) {
        statement.execute(
            "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10, 2))");
      }

      String insert = "INSERT INTO item (id, name, price) VALUES (?, ?, ?)";
      try (PreparedStatement prepared =
          new ForwardingPreparedStatement(connection.prepareStatement(insert), guarded(connection), null, null)) {
        prepared.setInt(1, 1);
        prepared.setString(2, "anvil");
        prepared.setBigDecimal(3, new BigDecimal("12.50"));
        assertThat(prepared.executeUpdate()).isEqualTo(1);

        prepared.setInt(1, 2);
        prepared.setString(2, "rope");
        prepared.setBigDecimal(3, new BigDecimal("3.25"));
        // A default method of PreparedStatement: it must reach H2's own implementation.
        assertThat(prepared.executeLargeUpdate()).isEqualTo(1L);
      }

      String query = "SELECT id, name, price FROM item WHERE price > ? ORDER BY id";
      List<String> rows = new ArrayList<>();
      try (PreparedStatement prepared =
          new ForwardingPreparedStatement(connection.prepareStatement(query), guarded(connection), null, null)) {
        prepared.setBigDecimal(1, BigDecimal.ONE);
        try (ResultSet results = ForwardingResultSet.of(prepared.executeQuery())) {
          assertThat(results.getMetaData().getColumnCount()).isEqualTo(3);
          while (results.next()) {
            rows.add(results.getInt("id") + ":" + results.getString(2) + ":"
                + results.getObject("price", BigDecimal.class));
          }
        }
      }
      assertThat(rows).containsExactly("1:anvil:12.50", "2:rope:3.25");

      try (CallableStatement call =
              new ForwardingCallableStatement(connection.prepareCall("CALL 6 * 7"), guarded(connection), null, null);
          ResultSet results = ForwardingResultSet.of(call.executeQuery())) {
        assertThat(results.next()).isTrue();
        assertThat(results.getInt(1)).isEqualTo(42);
      }
    }
  }

  @Test
  void metadataAndUnwrapReachTheDriver() throws SQLException {
    try (Connection connection = open()) {
      DatabaseMetaData metaData = new ForwardingDatabaseMetaData(connection.getMetaData());
      assertThat(metaData.getDatabaseProductName()).isEqualTo("H2");
      assertThat(metaData.getMaxLogicalLobSize()).isEqualTo(connection.getMetaData()
          .getMaxLogicalLobSize());

      assertThat(connection.isWrapperFor(JdbcConnection.class)).isTrue();
      assertThat(connection.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
      assertThat(connection.unwrap(ForwardingConnection.class)).isSameAs(connection);
      assertThat(connection.toString()).startsWith("iamguard:");
      assertThat(connection.isValid(1)).isTrue();
    }
  }
}
