package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identity query cannot be answered by objects the user made. PostgreSQL looks up a relation
 * in the session's temporary schema before pg_catalog (any user may create a temporary
 * {@code pg_user}), and functions and operators in a schema the search_path names before
 * pg_catalog. For every catalog relation, function and operator the query reads, a forgery that
 * would make user4 (no superuser, no member of etl or loader) a superuser, a member of etl or a
 * holder of loader is put where PostgreSQL looks first; each case also proves on its own query
 * that the forgery is live. The guard must still decide a COPY of {@code Granted} (granted to group
 * etl and role loader only) as the server's user4: not granted, and not sent.
 */
class IdentityQueryShadowingTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String GRANTED = "arn:aws:iam::123456789012:role/Granted";
  private static boolean created;

  /**
   * A forgery: {@code searchPath} set at login (null: the server's), {@code session} run by user4
   * first, and a query, unqualified as the guard's once was, that the forgery makes say yes.
   */
  record Forgery(String name, String searchPath, List<String> session, String live) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Forgery> forgeries() {
    return Stream.of(
        new Forgery("temporary pg_user saying usesuper", null, List.of(
            "create temp table pg_user (usename name, usesysid oid, usesuper boolean)",
            "insert into pg_user select usename, usesysid, true from pg_catalog.pg_user where usename = current_user"),
            "select usesuper from pg_user where usename = current_user"),
        new Forgery("temporary pg_group listing everyone in etl", null, List.of(
            "create temp view pg_group as select 'etl'::name as groname, 1::oid as grosysid,"
                + " array(select usesysid from pg_catalog.pg_user) as grolist"),
            "select true from pg_group g, pg_catalog.pg_user u where g.groname = 'etl' and u.usename = current_user"
                + " and u.usesysid = any(g.grolist)"),
        new Forgery("temporary pg_roles naming the user's own role loader", null, List.of(
            "create temp view pg_roles as select 'loader'::name as rolname, oid, false as rolsuper"
                + " from pg_catalog.pg_roles where rolname = current_user"),
            "select pg_has_role(current_user, r.oid, 'member') from pg_roles r where r.rolname = 'loader'"),
        new Forgery("pg_user, pg_group and pg_roles in a schema before pg_catalog", "forged_rel, pg_catalog", List.of(),
            "select usesuper from pg_user where usename = current_user"),
        new Forgery("pg_has_role that says yes, before pg_catalog", "forged_fn, pg_catalog", List.of(),
            "select pg_has_role(current_user, r.oid, 'member') from pg_catalog.pg_roles r where r.rolname = 'loader'"),
        new Forgery("version() saying Redshift, with role views saying loader", "forged_version, pg_catalog", List.of(),
            "select version() like '%Redshift%' and exists (select 1 from svv_user_grants where role_name = 'loader')"),
        new Forgery("= on names that is always true, before pg_catalog", "forged_eq, pg_catalog", List.of(),
            "select count(*) > 1 from pg_catalog.pg_user where usename = current_user"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void theGuardDecidesAsTheServersUserWhateverTheSessionForged(Forgery forgery) throws SQLException {
    create();
    Properties login = POSTGRES.redshiftDriverProperties();
    login.setProperty("user", "user4");
    login.setProperty("password", "pw4");
    if (forgery.searchPath() != null) {
      login.setProperty("options", "-c search_path=" + forgery.searchPath().replace(" ", ""));
    }
    login.setProperty(Setting.REGISTRY.key(), "classpath:jdbc/identity-registry.yaml");
    login.setProperty(Setting.CLUSTER.key(), "local-cluster");
    String url = "jdbc:iamguard:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE;
    try (Connection connection = DriverManager.getConnection(url, login);
        Statement statement = connection.createStatement()) {
      for (String sql : forgery.session()) {
        statement.execute(sql);
      }
      statement.execute("reset role"); // whatever was read before, the next decision asks again
      try (ResultSet live = statement.executeQuery(forgery.live())) {
        assertThat(live.next() && live.getBoolean(1)).as("the forgery answers an unqualified query").isTrue();
      }
      String copy = "COPY id_t FROM 's3://iamguard-identity/in/part-0.csv' IAM_ROLE '" + GRANTED + "' CSV /* "
          + UUID.randomUUID() + " */";
      assertThat(connection.unwrap(IamguardConnection.class).decisionFor(copy).findings())
          .extracting(Finding::rule).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, () -> statement.execute(copy));
      assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      assertThat(POSTGRES.serverLog()).doesNotContain(copy.substring(copy.indexOf("/*")));
    }
  }

  /** user4 and, owned by the superuser, the schemas whose objects forge the catalog's answers. */
  private static synchronized void create() throws SQLException {
    if (created) {
      return;
    }
    try (Connection connection = DriverManager.getConnection("jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE, POSTGRES.redshiftDriverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("create role user4 login password 'pw4'; create role user2 login; create role etl;"
          + " grant etl to user2; create role loader; create table id_t (id int); grant insert on id_t to public");
      statement.execute("create schema forged_rel; grant usage on schema forged_rel to public;"
          + " create view forged_rel.pg_user as select usename, usesysid, true as usesuper from pg_catalog.pg_user;"
          + " create view forged_rel.pg_group as select 'etl'::name as groname, 1::oid as grosysid,"
          + "   array(select usesysid from pg_catalog.pg_user) as grolist;"
          + " create view forged_rel.pg_roles as select 'loader'::name as rolname, oid, false as rolsuper from pg_catalog.pg_roles;"
          + " grant select on all tables in schema forged_rel to public");
      statement.execute("create schema forged_fn; grant usage on schema forged_fn to public;"
          + " create function forged_fn.pg_has_role(name, oid, text) returns boolean language sql as 'select true'");
      statement.execute("create schema forged_version; grant usage on schema forged_version to public;"
          + " create function forged_version.version() returns text language sql as 'select ''PostgreSQL 8.0.2 Redshift 1.0''';"
          + " create view forged_version.svv_user_grants as select usename::varchar as user_name,"
          + "   'loader'::varchar as role_name from pg_catalog.pg_user;"
          + " create view forged_version.svv_role_grants as select 'loader'::varchar as role_name,"
          + "   'loader'::varchar as granted_role_name where false;"
          + " grant select on all tables in schema forged_version to public");
      statement.execute("create schema forged_eq; grant usage on schema forged_eq to public;"
          + " create function forged_eq.always(name, name) returns boolean language sql as 'select true';"
          + " create operator forged_eq.= (leftarg = name, rightarg = name, function = forged_eq.always)");
    }
    created = true;
  }
}
