package dev.iamguard.frameworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.jdbc.GuardDeniedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import org.junit.jupiter.api.Test;

/** Liquibase given the guarded URL and no driver: it loads iamguard's driver and updates through the guard. */
class LiquibaseGuardedUrlTest {
  @Test
  void updatesThroughTheGuardAndStopsAtADeniedChangeSet() throws SQLException {
    String url = GuardedH2.url();
    assertThatThrownBy(() -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG, url)
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.USERNAME_ARG, "etl")
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.PASSWORD_ARG, "")
            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "frameworks/liquibase/changelog.sql")
            .execute())
        .hasRootCauseInstanceOf(GuardDeniedException.class)
        .rootCause().hasMessageContaining("ROLE_UNKNOWN");
    try (Connection connection = GuardedH2.connect(url);
        ResultSet applied = connection.createStatement().executeQuery(
            "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")) {
      assertThat(applied.next()).isTrue();
      assertThat(applied.getString(1)).isEqualTo("1");
      assertThat(applied.next()).as("the denied change set is not recorded as applied").isFalse();
    }
  }
}
