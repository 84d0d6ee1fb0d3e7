package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamguard.audit.AuditEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The driver and GuardDataSource behind a HikariCP pool, on H2. */
class HikariH2Test {

  static HikariConfig pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("etl");
    config.setPassword("");
    config.setMaximumPoolSize(1);
    return config;
  }

  @Test
  void hikariWithAnIamguardJdbcUrl() throws SQLException {
    HikariConfig config = pool(TestRegistry.h2Url());
    config.addDataSourceProperty("iamguard.registry", TestRegistry.path().toString());
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (v INT)");
        statement.execute("INSERT INTO t VALUES (1)");
        assertThatThrownBy(() -> statement.execute(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class);
        assertThat(connection.isWrapperFor(GuardConnection.class)).isTrue();
      }
      try (Connection connection = pool.getConnection(); ResultSet count = connection.createStatement()
          .executeQuery("SELECT COUNT(*) FROM t")) {
        count.next();
        assertThat(count.getInt(1)).isEqualTo(1);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
  }

  @Test
  void hikariWithTheDriverClassName() throws SQLException {
    HikariConfig config = pool(TestRegistry.h2Url() + ";iamguard.registry=" + TestRegistry.path());
    config.setDriverClassName(Driver.class.getName());
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class);
      assertThat(statement.execute("SELECT 1")).isTrue();
    }
  }

  @Test
  void guardDataSourceAroundAPoolAuditsEveryAuthDecision() throws SQLException {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    try (HikariDataSource hikari = new HikariDataSource(pool("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))) {
      GuardDataSource guarded = GuardDataSource.builder(hikari)
          .registry(TestRegistry.path())
          .cluster("dev-cluster")
          .name("orders-pool")
          .auditTo(events::add)
          .build();
      for (int i = 0; i < 3; i++) {
        try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
          assertThat(statement.execute("SELECT 1")).isTrue();
          assertThatThrownBy(() -> statement.execute(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class);
        }
      }
      assertThat(hikari.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
      assertThat(events).hasSize(3).allSatisfy(event -> {
        assertThat(event.decision()).isEqualTo("DENY");
        assertThat(event.source()).isEqualTo("orders-pool");
        assertThat(event.user()).isEqualTo("etl");
        assertThat(event.cluster()).isEqualTo("dev-cluster");
        assertThat(event.rules()).containsExactly("ROLE_UNKNOWN", "ROLE_NOT_ATTACHED");
      });
      assertThat(guarded.unwrap(HikariDataSource.class)).isSameAs(hikari);
    }
  }

  @Test
  void guardDataSourceFailsClosedWithoutARegistry() {
    try (HikariDataSource hikari = new HikariDataSource(pool("jdbc:h2:mem:" + UUID.randomUUID()))) {
      assertThatThrownBy(() -> GuardDataSource.builder(hikari).build())
          .isInstanceOf(SQLException.class).hasMessageContaining("no registry, connection refused");
    }
  }

  @Test
  void guardDataSourceFromProperties() throws SQLException {
    java.util.Properties settings = new java.util.Properties();
    settings.setProperty("iamguard.registry", TestRegistry.path().toString());
    settings.setProperty("iamguard.user", "mallory");
    try (HikariDataSource hikari = new HikariDataSource(pool("jdbc:h2:mem:" + UUID.randomUUID()))) {
      GuardDataSource guarded = GuardDataSource.wrap(hikari, settings);
      try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.execute("UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE 'loader'"))
            .isInstanceOf(GuardDeniedException.class).hasMessageContaining("dbuser:dev-cluster/mallory");
      }
    }
  }
}
