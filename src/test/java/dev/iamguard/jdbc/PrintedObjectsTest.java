package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Drivers print what an object holds: H2's, PostgreSQL's and Redshift's prepared statements print
 * the text they were prepared with (and the bound values), connections and metadata their URL. A
 * guarded object printed in a log line must not carry a secret of that text or URL: for every
 * guarded object, every secret-bearing statement, every way of writing the secret, and every
 * position of the statement in a script, {@code toString()} masks it.
 */
class PrintedObjectsTest {
  private static final String SECRET = "Sup3rSecretPw";
  /** The password written every way a literal can be (as in TargetErrorsTest). */
  private static final List<String> WRITTEN = List.of("'" + SECRET + "'", "E'" + SECRET + "'", "$$" + SECRET + "$$",
      "$pw$" + SECRET + "$pw$", "'Sup3rSe'\n'cretPw'", "'Sup3r''SecretPw'");
  private static final List<String> STATEMENTS = List.of("CREATE USER bob PASSWORD %s",
      "alter user bob password %s valid until '2030-01-01'", "CREATE USER \"Bob\" WITH /* pw */ PASSWORD\n%s",
      "ALTER USER bob\tPASSWORD %s");
  private static final List<String> POSITIONS = List.of("%s", "SELECT 1;\n%s", "%s;\nSELECT 2", "  %s ;");
  private static final String URL = "jdbc:redshift://etl:" + SECRET + "@host:5439/dev?ssl=true&password=" + SECRET;

  /** The texts: each statement, secret spelling and position. */
  private static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (String statement : STATEMENTS) {
      for (String written : WRITTEN) {
        for (String position : POSITIONS) {
          texts.add(String.format(Locale.ROOT, position, String.format(Locale.ROOT, statement, written)));
        }
      }
    }
    return texts;
  }

  private static void assertNoSecret(Object printed, String what) {
    assertThat(String.valueOf(printed)).as(what).startsWith("iamguard:").doesNotContain(SECRET)
        .doesNotContain("Sup3rSe").doesNotContain("cretPw");
  }

  /** A target whose objects print what they were made with, as the drivers do. */
  @SuppressWarnings("unchecked")
  private static <T> T printing(Class<T> type, String printed) {
    return (T) Proxy.newProxyInstance(PrintedObjectsTest.class.getClassLoader(), new Class<?>[] {type},
        (self, method, args) -> {
          String name = method.getName();
          if (name.equals("toString")) {
            return printed;
          }
          Class<?> returns = method.getReturnType();
          if (returns == PreparedStatement.class || returns == CallableStatement.class) {
            return printing(returns, "prep0: " + args[0]);
          }
          if (returns == Statement.class) {
            return printing(Statement.class, "stat0");
          }
          if (returns == ResultSet.class) {
            return printing(ResultSet.class, "rs0: " + (args != null && args.length > 0 ? args[0] : printed));
          }
          if (returns == DatabaseMetaData.class) {
            return printing(DatabaseMetaData.class, "dbMeta0: url=" + URL);
          }
          if (name.equals("getAutoCommit")) {
            return true;
          }
          return GuardCoverageTest.defaultValue(returns);
        });
  }

  @Test
  void noGuardedObjectPrintsASecretOfItsTextOrUrl() throws SQLException {
    Connection connection = TestRegistry.guarded(printing(Connection.class, "conn0: url=" + URL + " user=etl"));
    assertNoSecret(connection, "connection");
    assertNoSecret(connection.getMetaData(), "metadata");
    int checked = 0;
    for (String text : texts()) {
      assertNoSecret(connection.prepareStatement(text), "prepareStatement: " + text);
      assertNoSecret(connection.prepareStatement(text, Statement.RETURN_GENERATED_KEYS), "with keys: " + text);
      assertNoSecret(connection.prepareCall(text), "prepareCall: " + text);
      assertNoSecret(connection.createStatement().executeQuery(text), "result set of: " + text);
      assertNoSecret(connection.prepareStatement(text).executeQuery(), "result set of prepared: " + text);
      checked++;
    }
    assertThat(checked).isEqualTo(STATEMENTS.size() * WRITTEN.size() * POSITIONS.size());
  }

  @Test
  void anH2PreparedStatementPrintsNoPassword() throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties)) {
      for (String text : List.of("CREATE USER IF NOT EXISTS bob PASSWORD '" + SECRET + "'",
          "create user if not exists bob password 'Sup3r''SecretPw'", "ALTER USER etl SET PASSWORD\n'" + SECRET + "'")) {
        try (PreparedStatement statement = connection.prepareStatement(text)) {
          assertThat(statement.unwrap(PreparedStatement.class)).isSameAs(statement);
          assertNoSecret(statement, text);
        }
      }
    }
  }

  /**
   * A password bound to a parameter: H2 prints the values after the text ({@code PASSWORD ? {1:
   * 'value'}}), far from the keyword (probe 19a). Such a text is printed without values; one that
   * takes no secret keeps the driver's print.
   */
  @Test
  void aBoundPasswordIsNotPrinted() throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), properties)) {
      for (String text : List.of("CREATE USER IF NOT EXISTS bob PASSWORD ?", "alter user etl set password ?",
          "CREATE USER IF NOT EXISTS \"Bob\" /* c */ PASSWORD\n?")) {
        for (PreparedStatement statement : List.of(connection.prepareStatement(text), connection.prepareCall(text))) {
          statement.setString(1, SECRET);
          assertNoSecret(statement, text);
          assertThat(statement.toString()).as("the text, without values").containsIgnoringCase("password");
          statement.setObject(1, SECRET);
          assertNoSecret(statement, text);
          statement.close();
        }
      }
      try (PreparedStatement plain = connection.prepareStatement("select ? as name")) {
        plain.setString(1, "visible");
        assertThat(plain.toString()).as("the driver's print, values and all").contains("visible");
      }
    }
  }

  /** Drivers keep the password in the URL metadata gives, and give back the password properties they were handed. */
  @Test
  void metadataAndPropertyInfoGiveNoPassword() throws SQLException {
    Connection connection = TestRegistry.guarded(printing(Connection.class, "conn0"));
    DatabaseMetaData printingUrl = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (self, method, args) -> method.getName().equals("getURL") ? URL
            : GuardCoverageTest.defaultValue(method.getReturnType()));
    String url = new GuardDatabaseMetaData(printingUrl, (GuardConnection) connection).getURL();
    assertThat(url).startsWith("jdbc:redshift://etl:").contains("@host:5439/dev").doesNotContain(SECRET);

    Properties info = new Properties();
    info.setProperty("user", "etl");
    info.setProperty("password", SECRET);
    DriverPropertyInfo[] properties = new Driver().getPropertyInfo("jdbc:iamguard:redshift://host:5439/dev", info);
    assertThat(properties).extracting(p -> p.name).contains("iamguard.registry");
    assertThat(properties).extracting(p -> p.value).doesNotContain(SECRET);
    assertThat(properties).extracting(p -> p.name.toLowerCase(Locale.ROOT)).as("the target driver's own too")
        .contains("password");
  }
}
