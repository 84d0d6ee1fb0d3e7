package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLErrorCodesFactory;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * A denial reaches Spring applications as a permission error, {@link PermissionDeniedDataAccessException},
 * not as {@code BadSqlGrammarException}, through each of Spring's translators that can say it: by
 * exception class (JdbcTemplate's default since Spring 6), and by the error code tables of H2 and
 * PostgreSQL (Redshift has none and falls back to the class).
 */
class SpringExceptionTranslationTest {
  private static GuardDeniedException denial() throws SQLException {
    try (Connection connection = java.sql.DriverManager.getConnection(TestRegistry.h2Url(), TestRegistry.properties("etl"));
        Statement statement = connection.createStatement()) {
      statement.execute(TestRegistry.DENIED);
    } catch (GuardDeniedException denied) {
      return denied;
    }
    throw new AssertionError("not denied: " + TestRegistry.DENIED);
  }

  @Test
  void theExceptionClassSaysPermissionDenied() throws SQLException {
    GuardDeniedException denied = denial();
    assertThat((Throwable) denied).isInstanceOf(java.sql.SQLInvalidAuthorizationSpecException.class);
    assertThat(denied.getSQLState()).isEqualTo("42501");
    DataAccessException translated = new SQLExceptionSubclassTranslator().translate("COPY", TestRegistry.DENIED, denied);
    assertThat(translated).isInstanceOf(PermissionDeniedDataAccessException.class).hasRootCause(denied);
  }

  @Test
  void theErrorCodeTablesOfH2AndPostgresFallBackToTheClass() throws SQLException {
    GuardDeniedException denied = denial();
    for (String database : new String[] {"H2", "PostgreSQL", "Redshift"}) {
      SQLErrorCodeSQLExceptionTranslator translator = new SQLErrorCodeSQLExceptionTranslator();
      translator.setSqlErrorCodes(SQLErrorCodesFactory.getInstance().getErrorCodes(database));
      assertThat(translator.translate("COPY", TestRegistry.DENIED, denied)).as(database)
          .isInstanceOf(PermissionDeniedDataAccessException.class);
    }
  }

  @Test
  void jdbcTemplateThrowsPermissionDenied() {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(TestRegistry.h2Url(), "etl", "");
    dataSource.setConnectionProperties(TestRegistry.properties("etl"));
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TABLE t (v INT)");
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isZero();
    assertThatThrownBy(() -> jdbc.execute(TestRegistry.DENIED))
        .isInstanceOf(PermissionDeniedDataAccessException.class)
        .hasMessageContaining("ROLE_UNKNOWN")
        .hasCauseInstanceOf(GuardDeniedException.class);
  }
}
