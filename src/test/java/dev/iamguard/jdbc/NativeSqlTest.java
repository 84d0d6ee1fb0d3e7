package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.audit.AuditEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Connection.nativeSQL} sends nothing: it answers the text the guard would send (aliases
 * rewritten) and refuses a text the guard would deny, but neither audits a decision nor counts the
 * text as run. Liquibase asks it twice for every change set before executing it, so each denial
 * was audited and counted three times, and a {@code SET SESSION AUTHORIZATION} asked about, never
 * run, changed who the guard judged later statements as.
 */
class NativeSqlTest {
  private static final String UNLOAD = "UNLOAD ('SELECT 1') TO 's3://lake/out/x_' IAM_ROLE 'loader' PARALLEL OFF ALLOWOVERWRITE";

  @TempDir
  Path dir;

  private GuardDataSource dataSource(List<AuditEvent> events) throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("etl");
    return GuardDataSource.builder(h2).registry(TestRegistry.path()).cluster("dev-cluster").user("etl")
        .localS3(dir.resolve("s3")).auditTo(events::add).build();
  }

  @Test
  void nativeSqlAnswersTheTextSentAndRefusesADenialWithoutAuditingEither() throws SQLException {
    List<AuditEvent> events = new ArrayList<>();
    try (Connection connection = dataSource(events).getConnection(); Statement statement = connection.createStatement()) {
      assertThat(connection.nativeSQL(UNLOAD)).contains(TestRegistry.LOADER).doesNotContain("'loader'");
      assertThatThrownBy(() -> connection.nativeSQL(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class)
          .hasMessageContaining("ROLE_UNKNOWN");
      assertThat(connection.nativeSQL("SELECT 1")).isEqualTo("SELECT 1");
      assertThat(events).as("nothing was sent, nothing audited").isEmpty();

      statement.execute(UNLOAD);
      assertThatThrownBy(() -> statement.execute(TestRegistry.DENIED)).isInstanceOf(GuardDeniedException.class);
      assertThat(events).extracting(AuditEvent::decision).containsExactly("REWRITE", "DENY");
    }
  }

  @Test
  void anIdentityChangeAskedAboutIsNotRun() throws SQLException {
    List<AuditEvent> events = new ArrayList<>();
    try (Connection connection = dataSource(events).getConnection(); Statement statement = connection.createStatement()) {
      connection.nativeSQL("SET SESSION AUTHORIZATION 'mallory'");
      statement.execute(UNLOAD); // still etl, whom the Loader role trusts

      statement.execute("SET SESSION AUTHORIZATION 'mallory'");
      assertThatThrownBy(() -> statement.execute(UNLOAD)).isInstanceOf(GuardDeniedException.class)
          .hasMessageContaining("DB_USER_NOT_TRUSTED");
    }
  }
}
