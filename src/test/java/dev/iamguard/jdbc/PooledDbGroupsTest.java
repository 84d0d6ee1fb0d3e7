package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IAM {@code DbGroups} on pooled connections: Redshift joins the IAM login ({@code IAM:<DbUser>})
 * to its DbGroups for the session, and no one else. Each borrow through {@link GuardDataSource}
 * starts a new reader, so the first read may find whoever an earlier borrower switched to with
 * {@code SET SESSION AUTHORIZATION}: the guard took that user for the login and gave it the
 * groups (review: a COPY with a role granted only to group etl was allowed for user1).
 *
 * <p>Generated: physical logins (a superuser who may switch, a plain user) x how the URL names
 * the login (DbUser as the server writes it, DbUser in upper case, only the {@code user} the
 * driver reads as DbUser, nothing) x what the first borrower leaves on the connection (nothing,
 * SET SESSION AUTHORIZATION to a plain user or to another IAM user, that undone by RESET, SET
 * ROLE, RESET ROLE) x whether the first borrower decided before the change. Physical connections
 * go through HikariCP (one connection, so the second borrower gets the first one's), logged in to
 * the throwaway PostgreSQL as the Redshift driver would log in ({@code IAM:<DbUser>}), with the
 * IAM URL shown to the guard. The oracle: the server says who runs (session_user, current_user,
 * superuser, its own memberships of etl); the DbGroups join is added for the physical login's own
 * session only, as Redshift does. Where the URL and properties the guard sees do not name that
 * login (no user at all, or a DbUser other than the one the pool logged in with), the guard cannot
 * tell the login from a user switched to, so the expected answer there is the fail-closed one: no
 * DbGroups (a denial Redshift itself might not make).
 */
class PooledDbGroupsTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String REGISTRY = "classpath:jdbc/identity-registry.yaml";
  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";
  private static final String COPY = "COPY pooled_g FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + GRANTED
      + "' CSV";
  private static final String HOST = "jdbc:redshift:iam://local-cluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev";

  /** A physical login: the server user the driver logs in as, and the DbUser it was made from. */
  record Login(String serverUser, String dbUser, List<String> changes) {}

  /** How the URL and properties the guard sees name the login: the URL, and the user the metadata reports. */
  record Naming(String name, String url, String metaUser, boolean namesLogin) {}

  @Test
  void dbGroupsCountOnlyForTheLoginTheUrlNamesWhateverAnEarlierBorrowerLeft() throws Exception {
    createRoles();
    List<Login> logins = List.of(
        new Login("IAM:boss", "boss", List.of("", "SET SESSION AUTHORIZATION user1", "SET SESSION AUTHORIZATION \"IAM:ann\"",
            "SET SESSION AUTHORIZATION user2", "SET SESSION AUTHORIZATION user1; RESET SESSION AUTHORIZATION",
            "SET ROLE user1", "SET ROLE \"IAM:ann\"", "SET ROLE user1; RESET ROLE",
            "SET SESSION AUTHORIZATION \"IAM:ann\"; SET ROLE reader")),
        new Login("IAM:ann", "ann", List.of("", "SET ROLE reader", "SET ROLE reader; RESET ROLE",
            "RESET SESSION AUTHORIZATION")));
    int cases = 0;
    List<String> wrong = new ArrayList<>();
    for (Login login : logins) {
      List<Naming> namings = List.of(
          new Naming("DbUser", HOST + "?DbUser=" + login.dbUser() + "&DbGroups=etl", "someone", true),
          new Naming("DbUser upper case", HOST + "?DbUser=" + login.dbUser().toUpperCase(java.util.Locale.ROOT)
              + "&DbGroups=etl", "someone", true),
          new Naming("user only", HOST + "?DbGroups=etl", login.dbUser(), true),
          new Naming("no user", HOST + "?DbGroups=etl", null, false),
          new Naming("DbUser of another", HOST + "?DbUser=user1&DbGroups=etl", login.dbUser(), false));
      for (Naming naming : namings) {
        for (String change : login.changes()) {
          for (boolean decideFirst : new boolean[] {false, true}) {
            cases++;
            String label = login.serverUser() + " / " + naming.name() + " / [" + change + "] / decide first " + decideFirst;
            String outcome = run(login, naming, change, decideFirst);
            if (outcome != null) {
              wrong.add(label + ": " + outcome);
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo((9 + 4) * 5 * 2);
    assertThat(wrong).as("decisions unlike the server's").isEmpty();
  }

  /** Null when the second borrower's decision is the server's; else what differed. */
  private static String run(Login login, Naming naming, String change, boolean decideFirst) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(iamLogins(login.serverUser(), naming));
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      GuardDataSource guarded = GuardDataSource.builder(pool).registry(REGISTRY).cluster("local-cluster").build();
      try (Connection first = guarded.getConnection(); Statement statement = first.createStatement()) {
        if (decideFirst) {
          first.unwrap(IamguardConnection.class).decisionFor(COPY);
        }
        if (!change.isEmpty()) {
          statement.execute(change);
        }
      }
      try (Connection second = guarded.getConnection()) {
        boolean allowed = second.unwrap(IamguardConnection.class).decisionFor(COPY).allowed();
        boolean server = serverAllows(second, login, naming);
        return allowed == server ? null : "guard " + (allowed ? "ALLOW" : "DENY") + ", server " + (server ? "ALLOW" : "DENY")
            + " (" + who(second) + ")";
      }
    }
  }

  /**
   * Whether Redshift would run the COPY: a superuser may use any role; others need etl, which the
   * server's memberships give, or the DbGroups join, which only the physical login's own session has
   * (and only when the URL names that login: else the driver sent other DbGroups or none).
   */
  private static boolean serverAllows(Connection c, Login login, Naming naming) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select session_user, current_user,"
        + " (select rolsuper from pg_roles where rolname = current_user),"
        + " exists (select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u"
        + " on u.oid = m.member where g.rolname = 'etl' and u.rolname = current_user)")) {
      r.next();
      boolean joined = naming.namesLogin() && r.getString(1).equals(login.serverUser())
          && r.getString(2).equals(login.serverUser());
      return r.getBoolean(3) || r.getBoolean(4) || joined;
    }
  }

  private static String who(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select session_user || '/' || current_user")) {
      r.next();
      return r.getString(1);
    }
  }

  private static boolean rolesCreated;

  private static void createRoles() throws SQLException {
    if (rolesCreated) {
      return;
    }
    try (Connection c = DriverManager.getConnection(target(), POSTGRES.redshiftDriverProperties());
        Statement s = c.createStatement()) {
      s.execute("create role etl; create role reader; create role \"IAM:boss\" superuser login password 'pw';"
          + " create role \"IAM:ann\" login password 'pw'; grant reader to \"IAM:ann\"; create role user1 login;"
          + " create role user2 login; grant etl to user2; create table pooled_g (id int); grant insert on pooled_g to public");
    }
    rolesCreated = true;
  }

  private static String target() {
    return "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
  }

  /**
   * The pool's source of physical connections: each logs in as the Redshift driver's IAM login
   * would ({@code IAM:<DbUser>}), and shows the guard the IAM URL and user of {@code naming}.
   */
  private static DataSource iamLogins(String serverUser, Naming naming) {
    return (DataSource) Proxy.newProxyInstance(PooledDbGroupsTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (source, method, args) -> switch (method.getName()) {
          case "getConnection" -> showing(iamLogin(serverUser), naming);
          case "getLoginTimeout" -> 0;
          case "isWrapperFor" -> false;
          case "getParentLogger" -> Logger.getGlobal();
          case "setLoginTimeout", "setLogWriter", "getLogWriter" -> null;
          default -> throw new SQLException("not used: " + method.getName());
        });
  }

  private static Connection iamLogin(String serverUser) throws SQLException {
    Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty("user", serverUser);
    properties.setProperty("password", "pw");
    return DriverManager.getConnection(target(), properties);
  }

  /** {@code real}, whose metadata reports the URL and user of {@code naming}. */
  private static Connection showing(Connection real, Naming naming) {
    ClassLoader loader = PooledDbGroupsTest.class.getClassLoader();
    return (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (proxy, method, args) -> {
      if (!method.getName().equals("getMetaData")) {
        return invoke(method, real, args);
      }
      DatabaseMetaData metaData = real.getMetaData();
      return Proxy.newProxyInstance(loader, new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> switch (m.getName()) {
        case "getURL" -> naming.url();
        case "getUserName" -> naming.metaUser();
        case "getConnection" -> proxy;
        default -> invoke(m, metaData, a);
      });
    });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
