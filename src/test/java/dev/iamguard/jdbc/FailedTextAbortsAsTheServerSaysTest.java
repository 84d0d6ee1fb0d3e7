package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Decision;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure inside a transaction aborts it only when the server ran what failed: the guard follows a
 * session's own GRANT and REVOKE ASSUMEROLE through the transaction they ran in, so it must read a
 * failure as the server does. An execution the driver refuses before sending anything (a closed
 * statement, a parameter not set) leaves the transaction working and its COMMIT keeps its changes;
 * an error the server raised (the application's, or a query of the guard's own: the identity read
 * by a user refused {@code pg_group}) aborts it and its COMMIT rolls back.
 *
 * <p>The server is the oracle: PostgreSQL cannot run GRANT ASSUMEROLE, so the connection the guard
 * wraps sends each one as a GRANT (or REVOKE) of a table privilege instead, and after the COMMIT the
 * guard's decision on a COPY through the granted chain must agree with whether the server holds
 * that privilege. Before, every failure was read as an abort: after a refusal of a closed statement
 * the guard took a committed GRANT as undone (a false denial) and a committed REVOKE as undone (the
 * COPY allowed), and a failed identity read left a GRANT the server rolled back counted.
 */
class FailedTextAbortsAsTheServerSaysTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final String COPY = "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN;
  /** The sample registry: user3 holds no grant on the chain until a GRANT. */
  private static final Path REGISTRY = Path.of("samples/registry.yaml");
  private static final String GRANT = "grant assumerole on " + CHAIN + " to user3 for copy";
  private static final String REVOKE = "revoke assumerole on " + CHAIN + " from user3 for copy";
  /** What the server runs for {@link #GRANT} and {@link #REVOKE}. */
  private static final Map<String, String> AS_TABLE_PRIVILEGE = Map.of(
      GRANT, "grant select on gt to u_probe", REVOKE, "revoke select on gt from u_probe");

  /** A failure inside the transaction, and whether the server ran what failed (aborting it). */
  private interface Failure {
    void fail(Connection connection, Statement statement) throws SQLException;
  }

  private static final Map<String, Boolean> ABORTS = new LinkedHashMap<>();
  private static final Map<String, Failure> FAILURES = new LinkedHashMap<>();

  static {
    failure("a closed statement", false, (c, s) -> {
      Statement closed = c.createStatement();
      closed.close();
      closed.execute("select 1");
    });
    failure("a closed statement's COPY", false, (c, s) -> {
      Statement closed = c.createStatement();
      closed.close();
      closed.execute(COPY);
    });
    failure("a closed prepared statement", false, (c, s) -> {
      PreparedStatement closed = c.prepareStatement("select 1");
      closed.close();
      closed.execute();
    });
    failure("a parameter not set", false, (c, s) -> {
      try (PreparedStatement unbound = c.prepareStatement("select ?::int")) {
        unbound.execute();
      }
    });
    failure("a batch on a closed statement", false, (c, s) -> {
      Statement closed = c.createStatement();
      closed.addBatch("select 1");
      closed.close();
      closed.executeBatch();
    });
    failure("the server's error", true, (c, s) -> s.execute("select 1/0"));
    failure("a batch the server fails", true, (c, s) -> {
      try (Statement batch = c.createStatement()) {
        batch.addBatch("insert into gt values (1)");
        batch.addBatch("insert into gt values (1/0)");
        batch.executeBatch();
      }
    });
    failure("the guard's identity read refused", true, (c, s) -> {
      s.execute("reset role"); // the guard reads who runs the connection again at the next COPY
      admin("revoke select on pg_catalog.pg_group from public");
      try {
        Decision decision = c.unwrap(IamguardConnection.class).decisionFor(COPY);
        assertThat(decision.allowed()).isFalse();
        throw new SQLException("denied: " + decision.statements().get(0).findings());
      } finally {
        admin("grant select on pg_catalog.pg_group to public");
      }
    });
  }

  private static void failure(String name, boolean aborts, Failure failure) {
    ABORTS.put(name, aborts);
    FAILURES.put(name, failure);
  }

  @Test
  void theGrantsAfterACommitAreThoseTheServerHolds() throws SQLException {
    admin("create role user3 login password 'pw3'; create role u_probe; create table gt (x int);"
        + " alter table gt owner to user3");
    DataSource guarded = GuardDataSource.builder(assumeRoleAsTablePrivilege()).registry(REGISTRY)
        .cluster("my-cluster").build();
    List<String> disagreements = new ArrayList<>();
    int cases = 0;
    for (boolean revoking : new boolean[] {false, true}) {
      for (boolean commitText : new boolean[] {false, true}) {
        for (Map.Entry<String, Failure> failure : FAILURES.entrySet()) {
          String context = (revoking ? "REVOKE" : "GRANT") + ", " + failure.getKey() + ", "
              + (commitText ? "a COMMIT text" : "commit()");
          admin("revoke select on gt from u_probe");
          boolean guardAllows;
          try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
            if (revoking) {
              statement.execute(GRANT); // committed: auto-commit is on
            }
            connection.setAutoCommit(false);
            statement.execute(revoking ? REVOKE : GRANT);
            assertThrows(SQLException.class, () -> failure.getValue().fail(connection, statement), context);
            if (commitText) {
              statement.execute("commit");
            } else {
              connection.commit();
            }
            connection.setAutoCommit(true);
            guardAllows = connection.unwrap(IamguardConnection.class).decisionFor(COPY).allowed();
          }
          boolean held = held();
          boolean expected = ABORTS.get(failure.getKey()) == revoking; // an abort keeps what was before
          assertThat(held).as("%s: the server's privilege (the premise)", context).isEqualTo(expected);
          if (guardAllows != held) {
            disagreements.add(context + ": the guard " + (guardAllows ? "allows" : "denies")
                + " the COPY, the server " + (held ? "holds" : "does not hold") + " the grant");
          }
          cases++;
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(cases).isEqualTo(4 * FAILURES.size());
  }

  private static boolean held() throws SQLException {
    try (Connection admin = POSTGRES.redshiftConnection(false, null); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select has_table_privilege('u_probe', 'gt', 'select')")) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection admin = POSTGRES.redshiftConnection(false, null); Statement statement = admin.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Connections of the Redshift driver as user3 whose statements send {@link #GRANT} and
   * {@link #REVOKE} as their table privileges; everything else, unwrapping too, is the driver's.
   */
  private static DataSource assumeRoleAsTablePrivilege() {
    return (DataSource) Proxy.newProxyInstance(FailedTextAbortsAsTheServerSaysTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (source, method, args) -> switch (method.getName()) {
          case "getConnection" -> connection();
          case "isWrapperFor" -> false;
          default -> throw new SQLException("not used: " + method.getName());
        });
  }

  private static Connection connection() throws SQLException {
    Properties properties = POSTGRES.redshiftDriverProperties();
    properties.setProperty("user", "user3");
    properties.setProperty("password", "pw3");
    Connection driven = new com.amazon.redshift.Driver().connect(POSTGRES.redshiftUrl(), properties);
    return (Connection) Proxy.newProxyInstance(FailedTextAbortsAsTheServerSaysTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          Object result = forward(method, driven, args);
          return method.getName().equals("createStatement") ? statement((Statement) result) : result;
        });
  }

  private static Statement statement(Statement driven) {
    return (Statement) Proxy.newProxyInstance(FailedTextAbortsAsTheServerSaysTest.class.getClassLoader(),
        new Class<?>[] {Statement.class}, (proxy, method, args) -> {
          if (method.getName().startsWith("execute") && args != null && args.length > 0
              && args[0] instanceof String sql && AS_TABLE_PRIVILEGE.containsKey(sql)) {
            args = args.clone();
            args[0] = AS_TABLE_PRIVILEGE.get(sql);
          }
          return forward(method, driven, args);
        });
  }

  private static Object forward(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
