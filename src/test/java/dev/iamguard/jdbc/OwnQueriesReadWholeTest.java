package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every query of the guard's own asks for a scroll-insensitive, read-only result set, which a
 * driver reads whole before {@code executeQuery} returns (the Redshift driver's forward-only
 * results are read by a thread of its own, beside which another thread's close hung the
 * connection: {@link IdentityReadBesideCloseTest} shows it on a real server). Checked here on a
 * target that records how each statement was asked for, so that it holds without PostgreSQL too:
 * the dialect query, the identity, an owner's identity, a CALL's bodies one name and many at once.
 */
class OwnQueriesReadWholeTest {
  private final List<String> asked = new ArrayList<>();

  @Test
  void everyQueryOfTheGuardsOwnAsksForAResultSetReadWhole() throws SQLException {
    ServerIdentity identity = new ServerIdentity(target(), Identity.login("jdbc:postgresql://127.0.0.1/db",
        new Properties(), GuardConfig.resolve(new Properties(), Map.of(), k -> null, k -> null)));

    Session read = identity.read(Session.of(null, "local-cluster"));
    identity.readOwner(Session.of(null, "local-cluster"), "owner1");
    identity.calledBodies(List.of("public", "p"), false);
    identity.calledBodies(List.of(List.of("p"), List.of("q")));

    assertThat(read.user()).isEqualTo("user1");
    assertThat(asked).hasSize(5) // dialect, identity, owner, one body look-up, the batched one
        .allMatch(how -> how.equals("scroll-insensitive read-only"), "scroll-insensitive read-only");
  }

  /** A target whose statements record how they were asked for, and answer any query with {@link #rows}. */
  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "createStatement", "prepareStatement" -> {
            int types = args == null ? 0 : args.length - (method.getName().equals("prepareStatement") ? 1 : 0);
            asked.add(types >= 2 && (int) args[args.length - 2] == ResultSet.TYPE_SCROLL_INSENSITIVE
                && (int) args[args.length - 1] == ResultSet.CONCUR_READ_ONLY
                ? "scroll-insensitive read-only" : method.getName() + " with " + types + " result set arguments");
            yield statement(method.getName().equals("prepareStatement") ? (String) args[0] : null);
          }
          case "getAutoCommit", "isWrapperFor" -> false;
          case "isClosed" -> false;
          case "unwrap" -> throw new SQLException("not a wrapper");
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "recording target";
          default -> null;
        });
  }

  private static Statement statement(String prepared) {
    return (Statement) Proxy.newProxyInstance(OwnQueriesReadWholeTest.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> switch (method.getName()) {
          case "executeQuery" -> rows(args == null ? prepared : (String) args[0]);
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  /** The server's version for the dialect query, a user for the identity query, no body for the rest. */
  private static ResultSet rows(String sql) {
    List<String[]> rows = sql.contains("version()") ? List.<String[]>of(new String[] {"PostgreSQL 15.0", null})
        : sql.contains("session_user") ? List.<String[]>of(new String[] {"u", "user1", "user1"}) : List.of();
    Iterator<String[]> each = rows.iterator();
    String[][] current = new String[1][];
    return (ResultSet) Proxy.newProxyInstance(OwnQueriesReadWholeTest.class.getClassLoader(),
        new Class<?>[] {ResultSet.class}, (proxy, method, args) -> switch (method.getName()) {
          case "next" -> {
            current[0] = each.hasNext() ? each.next() : null;
            yield current[0] != null;
          }
          case "getString" -> (int) args[0] <= current[0].length ? current[0][(int) args[0] - 1] : null;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }
}
