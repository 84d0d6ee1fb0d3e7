package dev.iamguard.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.frameworks.ServerScenarios.Auth;
import dev.iamguard.jdbc.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase through the guard over pgjdbc ({@link #update} says why not the Redshift driver's URL),
 * against a throwaway PostgreSQL: from
 * a seed, each scenario is a schema and an XML changelog of 2 to 5 change sets, each an inline
 * {@code sql} change or an {@code sqlFile}, split at {@code ;} or at an end delimiter of its own,
 * in a transaction or {@code runInTransaction="false"}, with a rollback block; their statements are
 * identity changes, CREATE TABLE and INSERT, and at most one auth-carrying statement each, its
 * trusted role written as itself or as the changelog property {@code ${role}} (see
 * {@link FlywayServerTest} for the statements and the oracle). Each failed update is judged, the
 * statement taken out, and the update run again until everything applies. Per failure: what
 * {@link ServerScenarios#judge} checks; no DATABASECHANGELOG row of the failed change set; the lock
 * released; and, in a transaction, none of its tables.
 * {@code -Diamguard.liquibaseScenarios=N} (default 8), {@code -Diamguard.frameworksSeed=S}.
 */
class LiquibaseServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final int SCENARIOS = Integer.getInteger("iamguard.liquibaseScenarios", 8);

  /** One change set as its author writes it; {@code auth} is removed once it failed. */
  static final class ChangeSet {
    final String id;
    final List<String> statements;
    final List<String> tables;
    final boolean file;
    final boolean transactional;
    final String delimiter;
    Auth auth;

    ChangeSet(String id, List<String> statements, List<String> tables, boolean file, boolean transactional,
        String delimiter, Auth auth) {
      this.id = id;
      this.statements = statements;
      this.tables = tables;
      this.file = file;
      this.transactional = transactional;
      this.delimiter = delimiter;
      this.auth = auth;
    }

    String face() {
      return (file ? "sqlFile" : "sql") + (transactional ? "" : " no-tx") + (delimiter.equals(";") ? "" : " delim");
    }

    String text(boolean property) {
      List<String> all = new ArrayList<>(statements);
      if (auth != null) {
        all.add("SELECT public.ran_as('" + auth.marker() + "')");
        // properties are expanded in inline sql; an sqlFile gets the role as written
        all.add(property && !file ? auth.text().replace(ServerScenarios.ROLE, "${role}") : auth.text());
      }
      // GO on a line of its own, as SQL Server scripts write it
      String end = delimiter.equals(";") ? ";\n" : "\nGO\n";
      return String.join(end, all) + end;
    }
  }

  /** Held, so that the level set stays: java.util.logging keeps loggers weakly. */
  private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

  @org.junit.jupiter.api.BeforeAll
  static void quiet() {
    LIQUIBASE_LOG.setLevel(java.util.logging.Level.OFF);
  }

  @org.junit.jupiter.api.AfterAll
  static void loud() {
    LIQUIBASE_LOG.setLevel(null);
  }

  @Test
  void everyAuthStatementReceivedWasAllowedAndADeniedChangeSetLeavesNothing(@TempDir Path folder) throws Exception {
    ServerScenarios.createObjects(POSTGRES);
    Map<String, Integer> counts = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    List<String> liquibaseShowsSecrets = new ArrayList<>();
    for (int s = 0; s < SCENARIOS; s++) {
      Random random = new Random(FlywayServerTest.SEED * 37 + s);
      String schema = "ls" + s;
      boolean property = random.nextBoolean();
      List<ChangeSet> changeSets = scenario(random, s);
      Path dir = Files.createDirectories(folder.resolve(schema));
      try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement()) {
        statement.execute("create schema " + schema);
      }
      String script = "scenario " + s + " property=" + property;
      boolean done = false;
      for (int round = 0; round <= changeSets.size() && !done; round++) {
        write(dir, changeSets, property);
        try {
          update(dir, schema);
          done = true;
          continue;
        } catch (Exception e) {
          Set<String> applied = applied(schema);
          ChangeSet failed = changeSets.stream().filter(c -> !applied.contains(c.id)).findFirst().orElse(null);
          String where = script + " round " + round + " change set " + (failed == null ? "?" : failed.id);
          if (failed == null || failed.auth == null) {
            violations.add(where + ": failed with no auth-carrying statement to blame: "
                + ServerScenarios.masked(String.join(" / ", ServerScenarios.chain(e))));
            break;
          }
          if (ServerScenarios.judge(POSTGRES, "Liquibase", e, failed.auth, failed.face(), where, counts, violations,
              liquibaseShowsSecrets)) {
            Set<String> tables = ServerScenarios.tablesOf(POSTGRES, schema);
            for (String table : failed.tables) {
              if (tables.contains(table)) {
                counts.merge("tables left by a failed no-tx change set", 1, Integer::sum);
                if (failed.transactional) {
                  violations.add(where + ": table " + table + " of the failed change set stayed");
                }
              }
            }
            if (locked(schema)) {
              violations.add(where + ": DATABASECHANGELOGLOCK still held");
            }
          }
          failed.auth = null; // the author takes the statement out and updates again
          // a no-tx change set left its tables: its author drops them before updating again
          dropTables(schema, failed.tables);
        }
      }
      if (!done) {
        violations.add(script + ": never applied");
        continue;
      }
      Set<String> applied = applied(schema);
      for (ChangeSet c : changeSets) {
        if (!applied.contains(c.id) || !ServerScenarios.tablesOf(POSTGRES, schema).containsAll(c.tables)) {
          violations.add(script + ": change set " + c.id + " not applied after the fixes");
        }
      }
      counts.merge("scenarios applied after fixes", 1, Integer::sum);
    }
    System.out.println("LiquibaseServerTest seed " + FlywayServerTest.SEED + ": " + counts);
    System.out.println("LiquibaseServerTest: Liquibase's exceptions quote a secret value in "
        + liquibaseShowsSecrets.size() + " failures " + liquibaseShowsSecrets);
    assertThat(violations).as("violations, seed " + FlywayServerTest.SEED).isEmpty();
    assertThat(counts.getOrDefault("denied", 0)).as("some denials drawn").isPositive();
    assertThat(counts.getOrDefault("received", 0)).as("some statements let through drawn").isPositive();
  }

  /**
   * One update. Liquibase takes the guarded URL of the Redshift driver, but against PostgreSQL it
   * cannot work with it: the driver reports "Redshift", Liquibase core knows no such database, and
   * the driver's getSchemas reads svv_external_schemas, which PostgreSQL lacks. So the guard stands
   * over pgjdbc here ({@link dev.iamguard.jdbc.GuardDataSource}, a new physical connection each time),
   * which Liquibase recognises as PostgreSQL: the same guard, in front of the same server.
   */
  private static void update(Path dir, String schema) throws Exception {
    org.postgresql.ds.PGSimpleDataSource target = new org.postgresql.ds.PGSimpleDataSource();
    target.setServerNames(new String[] {"127.0.0.1"});
    target.setPortNumbers(new int[] {POSTGRES.port()});
    target.setDatabaseName(LocalPostgres.DATABASE);
    target.setUser(LocalPostgres.USER);
    target.setPassword(POSTGRES.password());
    javax.sql.DataSource guarded = dev.iamguard.jdbc.GuardDataSource.builder(target)
        .registry("classpath:jdbc/auth-commands-registry.yaml").cluster("local-cluster").unpooled().build();
    try (Connection connection = guarded.getConnection()) {
      liquibase.database.Database database = liquibase.database.DatabaseFactory.getInstance()
          .findCorrectDatabaseImplementation(new liquibase.database.jvm.JdbcConnection(connection));
      database.setDefaultSchemaName(schema);
      // Liquibase logs and prints the failed statement, keys and all ([Failed SQL: ...]): kept out of the
      // test's output, which must show no key; what its exceptions show is counted instead
      Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(dir),
          Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService()), () -> {
        new CommandScope(UpdateCommandStep.COMMAND_NAME)
            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "changelog.xml")
            .execute();
      });
    }
  }

  /** 2 to 5 change sets; about half carry an auth statement. */
  private static List<ChangeSet> scenario(Random random, int s) {
    List<ChangeSet> changeSets = new ArrayList<>();
    int count = 2 + random.nextInt(4);
    for (int i = 1; i <= count; i++) {
      String table = "t" + i;
      List<String> statements = new ArrayList<>();
      List<String> tables = new ArrayList<>();
      boolean created = false;
      int length = 1 + random.nextInt(4);
      for (int k = 0; k < length; k++) {
        if (random.nextInt(3) == 0) {
          statements.add(ServerScenarios.identityChange(random));
        } else if (!created) {
          statements.add("CREATE TABLE " + table + " (id int)");
          tables.add(table);
          created = true;
        } else {
          statements.add("INSERT INTO " + table + " VALUES (" + k + ")");
        }
      }
      Auth auth = random.nextInt(5) < 3 ? ServerScenarios.auth(random, "f" + s + "_l" + i + "x", ServerScenarios.ROLE) : null;
      changeSets.add(new ChangeSet(Integer.toString(i), statements, tables, random.nextBoolean(), random.nextInt(4) != 0,
          random.nextBoolean() ? ";" : "GO", auth));
    }
    return changeSets;
  }

  private static void write(Path dir, List<ChangeSet> changeSets, boolean property) throws java.io.IOException {
    StringBuilder xml = new StringBuilder("""
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
        """);
    xml.append("  <property name=\"role\" value=\"").append(ServerScenarios.ROLE).append("\"/>\n");
    for (ChangeSet c : changeSets) {
      xml.append("  <changeSet id=\"").append(c.id).append("\" author=\"fyO\" runInTransaction=\"")
          .append(c.transactional).append("\">\n");
      String delimiter = "splitStatements=\"true\" endDelimiter=\"" + c.delimiter + "\"";
      if (c.file) {
        Files.writeString(dir.resolve("c" + c.id + ".sql"), c.text(property), StandardCharsets.UTF_8);
        xml.append("    <sqlFile path=\"c").append(c.id).append(".sql\" relativeToChangelogFile=\"true\" ")
            .append(delimiter).append("/>\n");
      } else {
        xml.append("    <sql ").append(delimiter).append("><![CDATA[").append(c.text(property)).append("]]></sql>\n");
      }
      xml.append("    <rollback>").append(c.tables.isEmpty() ? "SELECT 1" : "DROP TABLE " + c.tables.get(0))
          .append("</rollback>\n  </changeSet>\n");
    }
    xml.append("</databaseChangeLog>\n");
    Files.writeString(dir.resolve("changelog.xml"), xml, StandardCharsets.UTF_8);
  }

  private static Set<String> applied(String schema) throws SQLException {
    Set<String> applied = new LinkedHashSet<>();
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select id from " + schema + ".databasechangelog")) {
      while (rows.next()) {
        applied.add(rows.getString(1));
      }
    } catch (SQLException noChangelogYet) {
      if (!"42P01".equals(noChangelogYet.getSQLState())) {
        throw noChangelogYet;
      }
    }
    return applied;
  }

  private static boolean locked(String schema) throws SQLException {
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from " + schema + ".databasechangeloglock where locked")) {
      rows.next();
      return rows.getInt(1) != 0;
    }
  }

  private static void dropTables(String schema, List<String> tables) throws SQLException {
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement()) {
      for (String table : tables) {
        statement.execute("drop table if exists " + schema + "." + table);
      }
    }
  }
}
