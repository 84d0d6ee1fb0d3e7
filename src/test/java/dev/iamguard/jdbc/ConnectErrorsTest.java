package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iamguard.StandInDriver;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target driver or DataSource that refuses a login may quote what it was given: the URL, a
 * password, an IAM secret key, a session token, as written or URL-decoded (the Redshift driver
 * decodes URL arguments), in its message, a cause, a next exception, or a suppressed one. For every
 * place the secret is given (URL user info, URL argument after {@code ?} or {@code ;}, property;
 * password, secret key, token), every form of it a message may hold, and every place in the error
 * graph, the application's error holds no secret.
 */
class ConnectErrorsTest {
  private static final String SECRET = "Sup3r!Secret@Pw";
  private static final String ENCODED = "Sup3r%21Secret%40Pw";

  /** The error the fake driver throws next, made from what it was given (URL, properties). */
  private static volatile Function<String, Throwable> refusal;

  /** Accepts jdbc:leaky: URLs and refuses every login with {@link #refusal}. */
  static final class LeakyDriver extends StandInDriver {
    LeakyDriver() {
      super("jdbc:leaky:");
    }

    @Override
    protected Connection connectAccepted(String url, Properties info) throws SQLException {
      Throwable error = refusal.apply(url + " " + info);
      if (error instanceof SQLException sql) {
        throw sql;
      }
      throw (RuntimeException) error;
    }
  }

  private final LeakyDriver driver = new LeakyDriver();

  @BeforeEach
  void register() throws SQLException {
    DriverManager.registerDriver(driver);
  }

  @AfterEach
  void deregister() throws SQLException {
    DriverManager.deregisterDriver(driver);
  }

  /** Where the secret is given: a URL and the properties beside it. */
  record Login(String name, String url, Properties properties, String written) {}

  private static Properties properties(String... pairs) {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", TestRegistry.path().toString());
    properties.setProperty("iamguard.user", "etl");
    for (int i = 0; i < pairs.length; i += 2) {
      properties.setProperty(pairs[i], pairs[i + 1]);
    }
    return properties;
  }

  private static List<Login> logins() {
    return List.of(
        new Login("user info", "jdbc:iamguard:leaky://etl:" + ENCODED + "@host:5439/dev", properties(), ENCODED),
        new Login("?password=", "jdbc:iamguard:leaky://host:5439/dev?user=etl&password=" + ENCODED, properties(), ENCODED),
        new Login(";Password=", "jdbc:iamguard:leaky://host:5439/dev;UID=etl;Password=" + ENCODED, properties(), ENCODED),
        new Login("IAM keys in the URL", "jdbc:iamguard:leaky:iam://c:us-west-2/dev?AccessKeyID=AKIAEXAMPLE&SecretAccessKey="
            + ENCODED, properties(), ENCODED),
        new Login("password property", "jdbc:iamguard:leaky://host:5439/dev", properties("user", "etl", "password", SECRET),
            SECRET),
        new Login("secret key property", "jdbc:iamguard:leaky://host:5439/dev",
            properties("AccessKeyID", "AKIAEXAMPLE", "SecretAccessKey", SECRET), SECRET),
        new Login("session token property", "jdbc:iamguard:leaky://host:5439/dev", properties("SessionToken", SECRET),
            SECRET));
  }

  /**
   * What a refusal's message may quote, from what the driver got ({@code given}: the URL and
   * properties) and the secret as written there: all it got, the value as written, decoded.
   */
  private static List<java.util.function.BiFunction<String, String, String>> quotings() {
    return List.of((given, written) -> "cannot connect with " + given,
        (given, written) -> "invalid value '" + written + "'", (given, written) -> "authentication failed: " + SECRET);
  }

  private static void assertNoSecret(Throwable error, String what) {
    assertThat(error).as(what).isNotNull();
    for (String message : TargetErrorsTest.messages(error)) {
      assertThat(message).as(what).doesNotContain(SECRET).doesNotContain(ENCODED).doesNotContain("Secret@Pw")
          .doesNotContain("Secret%40Pw");
    }
  }

  @Test
  void aDriversRefusalNeverQuotesTheSecretsOfTheLogin() {
    int checked = 0;
    for (Login login : logins()) {
      for (var quoting : quotings()) {
        List<Function<String, Throwable>> refusals = new ArrayList<>();
        for (List<TargetErrorGraphsTest.Link> path : TargetErrorGraphsTest.paths()) {
          refusals.add(given -> TargetErrorGraphsTest.graph(path, quoting.apply(given, login.written())));
        }
        refusals.add(given -> new IllegalArgumentException(quoting.apply(given, login.written())));
        refusals.add(given -> new IllegalStateException("bad URL",
            new IllegalArgumentException(quoting.apply(given, login.written()))));
        for (Function<String, Throwable> made : refusals) {
          refusal = made;
          String what = login.name() + ": " + made.apply("GIVEN");
          Throwable error = catchThrowable(() -> DriverManager.getConnection(login.url(), login.properties()));
          assertNoSecret(error, what);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(logins().size() * quotings().size() * 42);
  }

  @Test
  void aDataSourcesRefusalNeverQuotesThePasswordItWasGiven() throws SQLException {
    int checked = 0;
    for (var quoting : quotings()) {
      for (List<TargetErrorGraphsTest.Link> path : TargetErrorGraphsTest.paths()) {
        DataSource target = refusing(given -> TargetErrorGraphsTest.graph(path, quoting.apply(given, SECRET)));
        GuardDataSource guarded = GuardDataSource.wrap(target, properties());
        assertNoSecret(catchThrowable(() -> guarded.getConnection("etl", SECRET)), path + " " + quoting.apply("x", SECRET));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(quotings().size() * 40);
  }

  private static DataSource refusing(Function<String, SQLException> refusal) {
    return new DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        throw refusal.apply("no login");
      }

      @Override
      public Connection getConnection(String username, String password) throws SQLException {
        throw refusal.apply(username + "/" + password);
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }
}
