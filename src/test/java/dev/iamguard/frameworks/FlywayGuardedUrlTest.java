package dev.iamguard.frameworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.jdbc.GuardDeniedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** Flyway given the guarded URL itself (not a DataSource): it loads iamguard's driver and migrates through the guard. */
class FlywayGuardedUrlTest {
  private static Flyway flyway(String url, String location) {
    return Flyway.configure().dataSource(url, "etl", "").locations(location).load();
  }

  @Test
  void migratesThroughTheGuardAndStopsAtADeniedMigration() throws SQLException {
    String url = GuardedH2.url();
    Flyway flyway = flyway(url, "classpath:frameworks/flyway");
    assertThatThrownBy(flyway::migrate)
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("V2__load_venue.sql")
        .hasRootCauseInstanceOf(GuardDeniedException.class)
        .rootCause().hasMessageContaining("ROLE_UNKNOWN");
    try (Connection connection = GuardedH2.connect(url);
        ResultSet applied = connection.createStatement().executeQuery(
            "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'"
                + " ORDER BY \"installed_rank\"")) {
      java.util.List<String> rows = new java.util.ArrayList<>();
      while (applied.next()) {
        rows.add(applied.getString(1) + (applied.getBoolean(2) ? " applied" : " failed"));
      }
      // Flyway records a failed migration on a database whose DDL it does not run in a transaction (H2)
      assertThat(rows).as("the denied migration is not applied").containsExactly("1 applied", "2 failed");
    }
  }

  @Test
  void allowedMigrationsApply() {
    MigrateResult result = Flyway.configure().dataSource(GuardedH2.url(), "etl", "")
        .locations("classpath:frameworks/flyway").target("1").load().migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isEqualTo(1);
  }

  @Test
  void aGuardedUrlWhoseTargetFlywayDoesNotKnowIsStillRefused() {
    assertThatThrownBy(() -> flyway("jdbc:iamguard:nosuchdb://x", "classpath:frameworks/flyway").migrate())
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("No Flyway database plugin found");
  }
}
