package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.MembershipChange;
import dev.iamguard.sql.Memberships;
import dev.iamguard.sql.SqlScript;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server reads {@code CREATE USER ... IN GROUP} and the superuser flag of {@code CREATE USER} and
 * {@code ALTER USER} as the guard does: on a declared identity the guard follows the groups a new
 * user joins and the flag a user is given or loses (a superuser holds ASSUMEROLE on every role), so
 * it must read the names as the server keeps them (unquoted folded, quoted exact) and the options as
 * the server takes them. Random statements of those forms, with names in every spelling and the
 * other options among them, run on PostgreSQL as a superuser; afterwards the server's {@code pg_group}
 * and {@code pg_user} must show exactly the groups and flag {@link Memberships} read. A statement
 * whose options the guard does not read changes nothing it follows, and a user dropped and created
 * again holds nothing of the old one. Seeds:
 * {@code -Diamguard.userOptionsSeed}, {@code -Diamguard.userOptions} (statements).
 */
class UserOptionsMembershipServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** The users and groups as written, each kept by the server as {@link #kept}. */
  private static final List<String> USERS = List.of("uo_new", "UO_New", "\"uo_new\"", "\"UO_New\"");
  private static final List<String> GROUPS = List.of("uo_grp", "UO_Grp", "\"uo_grp\"", "\"UO_Grp\"", "uo_other");
  /** Options that change nothing the guard follows, by family: the server refuses two of one family. */
  private static final List<List<String>> OTHER_OPTIONS = List.of(List.of("CREATEDB", "NOCREATEDB"),
      List.of("CONNECTION LIMIT 3"), List.of("VALID UNTIL 'infinity'"),
      List.of("INHERIT", "NOINHERIT"), List.of("CREATEROLE", "NOCREATEROLE"));

  private static String kept(String written) {
    return written.startsWith("\"") ? written.substring(1, written.length() - 1) : written.toLowerCase(java.util.Locale.ROOT);
  }

  private static void reset(Statement admin) throws SQLException {
    admin.execute("drop user if exists uo_new");
    admin.execute("drop user if exists \"UO_New\"");
    admin.execute("drop group if exists uo_grp");
    admin.execute("drop group if exists \"UO_Grp\"");
    admin.execute("drop group if exists uo_other");
    admin.execute("create group uo_grp");
    admin.execute("create group \"UO_Grp\"");
    admin.execute("create group uo_other");
  }

  /** The groups the server says {@code user} (as kept) belongs to, and whether it is a superuser; null when no such user. */
  private static Object[] server(Statement admin, String user) throws SQLException {
    Set<String> groups = new HashSet<>();
    try (ResultSet rs = admin.executeQuery("select g.groname from pg_catalog.pg_group g join pg_catalog.pg_user u"
        + " on u.usesysid = any (g.grolist) where u.usename = '" + user.replace("'", "''") + "'")) {
      while (rs.next()) {
        groups.add(rs.getString(1));
      }
    }
    try (ResultSet rs = admin.executeQuery("select usesuper from pg_catalog.pg_user where usename = '"
        + user.replace("'", "''") + "'")) {
      return rs.next() ? new Object[] {groups, rs.getBoolean(1)} : null;
    }
  }

  /** What the guard reads of {@code sql}: the groups {@code user} joins and the flag it ends with ({@code before} untouched). */
  private static Object[] read(String sql, String user, boolean before) {
    Set<String> groups = new HashSet<>();
    boolean flag = before;
    for (MembershipChange change : Memberships.of(SqlScript.parse(sql).statements().get(0))) {
      assertThat(change.member()).as(sql).isEqualTo(user);
      if (change.kind() == MembershipChange.Kind.GROUP) {
        assertThat(change.added()).as(sql).isTrue();
        groups.add(change.name());
      } else {
        assertThat(change.kind()).as(sql).isEqualTo(MembershipChange.Kind.SUPERUSER);
        flag = change.added();
      }
    }
    return new Object[] {groups, flag};
  }

  private static String options(Random random, boolean create) {
    List<String> options = new ArrayList<>();
    if (!create && random.nextInt(3) == 0) {
      options.add(random.nextBoolean() ? "PASSWORD 'uo-Pw1'" : "ENCRYPTED PASSWORD 'uo-Pw2'");
    }
    List<List<String>> families = new ArrayList<>(OTHER_OPTIONS);
    java.util.Collections.shuffle(families, random);
    for (List<String> family : families.subList(0, random.nextInt(3))) {
      options.add(family.get(random.nextInt(family.size())));
    }
    if (random.nextInt(3) > 0) {
      options.add(random.nextBoolean() ? "SUPERUSER" : "NOSUPERUSER");
    }
    if (create && random.nextInt(4) > 0) {
      List<String> in = new ArrayList<>();
      for (int k = 1 + random.nextInt(2); k > 0; k--) {
        String group = GROUPS.get(random.nextInt(GROUPS.size()));
        if (in.stream().noneMatch(g -> kept(g).equals(kept(group)))) {
          in.add(group);
        }
      }
      options.add("IN GROUP " + String.join(", ", in));
    }
    java.util.Collections.shuffle(options, random);
    if (create) {
      options.add(0, "PASSWORD 'uo-Pw1'"); // first, as Redshift's grammar has it
    }
    return (random.nextBoolean() ? " WITH " : " ") + String.join(" ", options);
  }

  @Test
  void theServerKeepsTheGroupsAndFlagTheGuardReads() throws Exception {
    long seed = Long.getLong("iamguard.userOptionsSeed", 20261207L);
    int statements = Integer.getInteger("iamguard.userOptions", 120);
    Random random = new Random(seed);
    List<String> failed = new ArrayList<>();
    int joins = 0;
    int flags = 0;
    try (Connection connection = POSTGRES.redshiftConnection(false, null); Statement admin = connection.createStatement()) {
      for (int n = 0; n < statements; n++) {
        reset(admin);
        String written = USERS.get(random.nextInt(USERS.size()));
        String user = kept(written);
        String create = "CREATE USER " + written + options(random, true);
        admin.execute(create);
        Object[] after = server(admin, user);
        assertThat(after).as(create).isNotNull();
        Object[] read = read(create, user, false);
        if (!java.util.Arrays.equals(after, read)) {
          failed.add(create + ": the server " + java.util.Arrays.toString(after) + ", read " + java.util.Arrays.toString(read));
        }
        joins += ((Set<?>) read[0]).size();
        String alter = "ALTER USER " + (random.nextBoolean() ? written : "\"" + user + "\"") + options(random, false);
        boolean before = (Boolean) after[1];
        admin.execute(alter);
        Object[] altered = server(admin, user);
        boolean readFlag = (Boolean) read(alter, user, before)[1];
        if (readFlag != (Boolean) altered[1]) {
          failed.add(create + "; " + alter + ": the server says superuser " + altered[1] + ", read " + readFlag);
        }
        flags += readFlag != before ? 1 : 0;
      }
    }
    assertThat(failed).as("%s of %s statements read unlike the server", failed.size(), statements * 2).isEmpty();
    assertThat(joins).as("groups joined").isGreaterThan(statements / 2);
    assertThat(flags).as("flags changed by ALTER USER").isGreaterThan(statements / 10);
  }

  /**
   * A user dropped and created again under its name holds none of the old user's groups or flag: the
   * guard reads DROP USER as taking them all (it kept them, from the registry or the script).
   */
  @Test
  void aUserCreatedAgainHoldsNothingOfTheDroppedOne() throws Exception {
    try (Connection connection = POSTGRES.redshiftConnection(false, null); Statement admin = connection.createStatement()) {
      for (String drop : List.of("DROP USER uo_new", "drop user if exists \"uo_new\", uo_missing", "DROP USER UO_NEW")) {
        reset(admin);
        List<String> script = List.of("CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp, \"UO_Grp\" SUPERUSER", drop,
            "CREATE USER uo_new PASSWORD 'q'");
        Set<String> groups = new HashSet<>();
        boolean flag = false;
        for (String sql : script) {
          admin.execute(sql);
          for (MembershipChange change : Memberships.of(SqlScript.parse(sql).statements().get(0))) {
            if (!change.member().equals("uo_new")) {
              continue; // uo_missing
            }
            switch (change.kind()) {
              case GROUP -> groups.add(change.name());
              case SUPERUSER -> flag = change.added();
              case ANY -> groups.clear();
              default -> throw new AssertionError(sql + ": " + change);
            }
          }
          if (sql.startsWith("CREATE USER uo_new PASSWORD 'p'")) {
            assertThat(server(admin, "uo_new")).as(sql).isEqualTo(new Object[] {Set.of("uo_grp", "UO_Grp"), true});
          }
        }
        assertThat(server(admin, "uo_new")).as(drop).isEqualTo(new Object[] {Set.of(), false});
        assertThat(new Object[] {groups, flag}).as("read: " + script).isEqualTo(new Object[] {Set.of(), false});
      }
    }
  }

  @Test
  void optionsTheGuardDoesNotReadChangeNothingItFollows() throws Exception {
    try (Connection connection = POSTGRES.redshiftConnection(false, null); Statement admin = connection.createStatement()) {
      reset(admin);
      // the server gives these: the guard follows none of it, stricter (the user holds no group's grant)
      for (String sql : List.of("CREATE USER uo_new PASSWORD 'p' IN ROLE uo_grp",
          "CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp ADMIN uo_other",
          "CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp CONNECTION LIMIT -1",
          "CREATE USER uo_new IN GROUP uo_grp PASSWORD 'p'", "CREATE USER uo_new IN GROUP uo_grp")) {
        reset(admin);
        admin.execute(sql);
        assertThat(((Set<?>) server(admin, "uo_new")[0]).contains("uo_grp")).as(sql).isTrue();
        assertThat(Memberships.of(SqlScript.parse(sql).statements().get(0))).as(sql).isEmpty();
      }
      // an option given twice: the server refuses the statement, and the guard reads no flag or group given
      for (String sql : List.of("CREATE USER uo_new PASSWORD 'p' SUPERUSER SUPERUSER",
          "CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp CREATEDB NOCREATEDB",
          "CREATE USER uo_new PASSWORD 'p' PASSWORD 'q' IN GROUP uo_grp",
          "CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp IN GROUP uo_other")) {
        reset(admin);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.execute(sql)).as(sql)
            .hasMessageContaining("conflicting or redundant options");
        assertThat(server(admin, "uo_new")).as(sql).isNull();
        assertThat(Memberships.of(SqlScript.parse(sql).statements().get(0))).as(sql).isEmpty();
      }
      reset(admin);
      admin.execute("CREATE USER uo_new PASSWORD 'p'");
      // a new name, a setting and a password that spell the key word give no flag, on the server or read
      for (String sql : List.of("ALTER USER uo_new SET search_path TO superuser", "ALTER USER uo_new PASSWORD 'superuser'",
          "ALTER USER uo_new RENAME TO superuser", "ALTER USER superuser RENAME TO uo_new")) {
        admin.execute(sql);
        assertThat(Memberships.of(SqlScript.parse(sql).statements().get(0))).as(sql).noneMatch(MembershipChange::added);
      }
      assertThat((Boolean) server(admin, "uo_new")[1]).isFalse();
      // a user renamed: the old name holds nothing, as the guard reads it (what the new name holds, it does not give)
      reset(admin);
      admin.execute("CREATE USER uo_new PASSWORD 'p' IN GROUP uo_grp SUPERUSER");
      String rename = "ALTER USER uo_new RENAME TO uo_renamed";
      admin.execute(rename);
      assertThat(server(admin, "uo_new")).isNull();
      assertThat(server(admin, "uo_renamed")).isEqualTo(new Object[] {Set.of("uo_grp"), true});
      assertThat(Memberships.of(SqlScript.parse(rename).statements().get(0))).containsExactly(
          new MembershipChange(false, MembershipChange.Kind.ANY, null, MembershipChange.Kind.USER, "uo_new"),
          new MembershipChange(false, MembershipChange.Kind.SUPERUSER, null, MembershipChange.Kind.USER, "uo_new"));
      admin.execute("drop user uo_renamed");
    }
  }
}
