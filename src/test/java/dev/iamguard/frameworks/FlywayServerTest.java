package dev.iamguard.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.frameworks.ServerScenarios.Auth;
import dev.iamguard.jdbc.LocalPostgres;
import java.io.IOException;
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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway given the guarded URL of the real Redshift driver (with flyway-database-redshift), against
 * a throwaway PostgreSQL. From a seed, each scenario is a schema of 2 to 5 versioned migrations,
 * some Java migrations running their statements on the connection Flyway hands them, and sometimes
 * a repeatable one; their statements are identity changes (SET SESSION AUTHORIZATION user1, user2,
 * user3, RESET), CREATE TABLE and INSERT, and at most one auth-carrying statement each (a role the
 * registry trusts for user1 and user2, written as itself or as Flyway's placeholder {@code ${role}}; an
 * unknown role; temporary keys inside and outside the policy's prefixes); Flyway's {@code initSql}
 * or, with a HikariCP pool given to Flyway, the pool's {@code connectionInitSql}, sometimes changes the
 * identity of every connection.
 *
 * <p>PostgreSQL refuses every auth-carrying statement (42601), so each one fails its migration
 * whether the guard denied it or not; the test then removes it from the script, as its author would,
 * and migrates again, until everything applies. Properties, per failed migration:
 * <ul>
 *   <li>an auth-carrying statement the server received was allowed for the user who ran it
 *       ({@code ran_as} in the log), and a denied one never reached the server;
 *   <li>nothing of the failed migration is applied (its tables, its rows in the schema history), and
 *       the next migrate after the fix applies it with no {@code repair};
 *   <li>the guard's own message shows no secret value; what Flyway's message shows is counted;
 *   <li>Flyway's error names the guard's SQLState 42501 and the rule.
 * </ul>
 * {@code -Diamguard.flywayScenarios=N} (default 12), {@code -Diamguard.frameworksSeed=S}.
 */
class FlywayServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  static final long SEED = Long.getLong("iamguard.frameworksSeed", 20261206L);
  private static final int SCENARIOS = Integer.getInteger("iamguard.flywayScenarios", 12);

  /** One migration as its author writes it; {@code auth} is removed once it failed. */
  static final class Migration {
    final String version;
    final boolean java;
    final List<String> statements;
    Auth auth;
    final List<String> tables;

    Migration(String version, boolean java, List<String> statements, Auth auth, List<String> tables) {
      this.version = version;
      this.java = java;
      this.statements = statements;
      this.auth = auth;
      this.tables = tables;
    }

    List<String> sql(boolean placeholder) {
      List<String> all = new ArrayList<>(statements);
      if (auth != null) {
        all.add("SELECT public.ran_as('" + auth.marker() + "')");
        all.add(placeholder && !java ? auth.text().replace(ServerScenarios.ROLE, "${role}") : auth.text());
      }
      return all;
    }
  }

  /** A Java migration that runs its statements on the connection Flyway hands it. */
  record JavaStatements(String version, List<String> sql) implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
      return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
      return "java " + version;
    }

    @Override
    public Integer getChecksum() {
      return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
      return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
      try (Statement statement = context.getConnection().createStatement()) {
        for (String each : sql) {
          statement.execute(each);
        }
      }
    }
  }

  @Test
  void everyAuthStatementReceivedWasAllowedAndADeniedMigrationLeavesNothing(@TempDir Path folder) throws Exception {
    ServerScenarios.createObjects(POSTGRES);
    Map<String, Integer> counts = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    List<String> flywayShowsSecrets = new ArrayList<>();
    for (int s = 0; s < SCENARIOS; s++) {
      Random random = new Random(SEED * 31 + s);
      String schema = "fs" + s;
      String init = random.nextInt(3) == 0 ? ServerScenarios.identityChange(random) : null;
      boolean placeholder = random.nextBoolean();
      boolean hikari = init != null && random.nextBoolean();
      List<Migration> migrations = scenario(random, s);
      counts.merge("scenarios changing the identity by " + (init == null ? "no init" : hikari ? "Hikari connectionInitSql"
          : "Flyway initSql"), 1, Integer::sum);
      Path dir = Files.createDirectories(folder.resolve(schema));
      createHistory(schema);
      String script = "scenario " + s + " init=" + init + (hikari ? " (Hikari connectionInitSql)" : "")
          + " placeholder=" + placeholder;
      boolean done = false;
      for (int round = 0; round <= migrations.size() + 1 && !done; round++) {
        write(dir, migrations, placeholder);
        com.zaxxer.hikari.HikariDataSource pool = null;
        FluentConfiguration configuration = Flyway.configure();
        if (hikari) { // the application's pool, whose connectionInitSql changes the identity of each connection
          com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
          config.setJdbcUrl(ServerScenarios.url(POSTGRES));
          config.setUsername(LocalPostgres.USER);
          config.setPassword(POSTGRES.password());
          config.setConnectionInitSql(init);
          config.setMaximumPoolSize(2);
          pool = new com.zaxxer.hikari.HikariDataSource(config);
          configuration.dataSource(pool);
        } else {
          configuration.dataSource(ServerScenarios.url(POSTGRES), LocalPostgres.USER, POSTGRES.password());
          if (init != null) {
            configuration.initSql(init);
          }
        }
        configuration.schemas(schema).locations("filesystem:" + dir).cleanDisabled(true)
            .javaMigrations(migrations.stream().filter(m -> m.java)
                .map(m -> (JavaMigration) new JavaStatements(m.version, m.sql(false))).toArray(JavaMigration[]::new));
        if (placeholder) {
          configuration.placeholders(Map.of("role", ServerScenarios.ROLE));
        }
        try (AutoCloseable closePool = pool) {
          migrate(configuration);
          done = true;
          continue;
        } catch (FlywayException e) {
          Set<String> applied = applied(schema);
          Migration failed = migrations.stream().filter(m -> !applied.contains(m.version)).findFirst().orElse(null);
          String where = script + " round " + round + " V" + (failed == null ? "?" : failed.version);
          if (failed == null || failed.auth == null) {
            violations.add(where + ": failed with no auth-carrying statement to blame: " + ServerScenarios.chain(e));
            break;
          }
          judge(e, failed, schema, where, counts, violations, flywayShowsSecrets);
          failed.auth = null; // the author takes the statement out and migrates again
        }
      }
      if (!done) {
        violations.add(script + ": never applied");
        continue;
      }
      Set<String> applied = applied(schema);
      for (Migration m : migrations) {
        if (!applied.contains(m.version) || !ServerScenarios.tablesOf(POSTGRES, schema).containsAll(m.tables)) {
          violations.add(script + ": V" + m.version + " not applied after the fixes");
        }
      }
      counts.merge("scenarios applied after fixes", 1, Integer::sum);
    }
    System.out.println("FlywayServerTest seed " + SEED + ": " + counts);
    System.out.println("FlywayServerTest: Flyway's own exception message quotes a secret value in "
        + flywayShowsSecrets.size() + " failures " + flywayShowsSecrets);
    assertThat(violations).as("violations, seed " + SEED).isEmpty();
    assertThat(counts.getOrDefault("denied", 0)).as("some denials drawn").isPositive();
    assertThat(counts.getOrDefault("received", 0)).as("some statements let through drawn").isPositive();
  }

  /**
   * Flyway waits and retries, minutes long, where its schema history table cannot be read: a
   * scenario that takes longer than this is a failure, with the end of the server log to say why.
   */
  private static void migrate(FluentConfiguration configuration) throws Exception {
    java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      executor.submit(() -> configuration.load().migrate()).get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof FlywayException flyway) {
        throw flyway;
      }
      throw e;
    } catch (java.util.concurrent.TimeoutException e) {
      String log = POSTGRES.serverLog();
      throw new AssertionError("migrate did not end in 20 s; server log ends:\n" + log.substring(Math.max(0, log.length() - 6000)));
    } finally {
      executor.shutdownNow();
    }
  }

  private static void judge(FlywayException e, Migration failed, String schema, String where,
      Map<String, Integer> counts, List<String> violations, List<String> flywayShowsSecrets) throws SQLException {
    if (!ServerScenarios.judge(POSTGRES, "Flyway", e, failed.auth, failed.java ? "java" : "sql", where, counts, violations,
        flywayShowsSecrets)) {
      return;
    }
    // (b) nothing of the failed migration stays: no table, no schema history row, failed or not
    Set<String> tables = ServerScenarios.tablesOf(POSTGRES, schema);
    for (String table : failed.tables) {
      if (tables.contains(table)) {
        violations.add(where + ": table " + table + " of the failed migration stayed");
      }
    }
    if (historyRows(schema, failed.version) != 0) {
      violations.add(where + ": the failed migration left a schema history row");
    }
  }

  /** 2 to 5 migrations (V1..), some Java, sometimes a repeatable last; about half carry an auth statement. */
  private static List<Migration> scenario(Random random, int s) {
    List<Migration> migrations = new ArrayList<>();
    int count = 2 + random.nextInt(4);
    for (int i = 1; i <= count + (random.nextInt(3) == 0 ? 1 : 0); i++) {
      boolean repeatable = i > count;
      String version = repeatable ? "R" : Integer.toString(i);
      String table = "t" + version.toLowerCase(java.util.Locale.ROOT);
      List<String> statements = new ArrayList<>();
      List<String> tables = new ArrayList<>();
      boolean created = false;
      int length = 1 + random.nextInt(4);
      for (int k = 0; k < length; k++) {
        switch (random.nextInt(3)) {
          case 0 -> statements.add(ServerScenarios.identityChange(random));
          default -> {
            if (!created) {
              statements.add("CREATE TABLE " + table + " (id int)");
              tables.add(table);
              created = true;
            } else {
              statements.add("INSERT INTO " + table + " VALUES (" + k + ")");
            }
          }
        }
      }
      Auth auth = random.nextInt(5) < 3
          ? ServerScenarios.auth(random, "f" + s + "_" + version.toLowerCase(java.util.Locale.ROOT) + "x", ServerScenarios.ROLE)
          : null;
      migrations.add(new Migration(version, !repeatable && random.nextInt(4) == 0, statements, auth, tables));
    }
    return migrations;
  }

  private static void write(Path dir, List<Migration> migrations, boolean placeholder) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    for (Migration m : migrations) {
      if (m.java) {
        continue;
      }
      String name = m.version.equals("R") ? "R__repeatable.sql" : "V" + m.version + "__m" + m.version + ".sql";
      Files.writeString(dir.resolve(name), String.join(";\n", m.sql(placeholder)) + ";\n", StandardCharsets.UTF_8);
    }
  }

  /**
   * The schema and its history table as Flyway's PostgreSQL type writes it: the Redshift type
   * would add SORTKEY, which PostgreSQL refuses (and Flyway retries for minutes).
   */
  private static void createHistory(String schema) throws SQLException {
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement()) {
      statement.execute("create schema " + schema + "; create table " + schema + ".flyway_schema_history ("
          + "installed_rank int not null primary key, version varchar(50), description varchar(200) not null,"
          + " type varchar(20) not null, script varchar(1000) not null, checksum int, installed_by varchar(100) not null,"
          + " installed_on timestamp not null default now(), execution_time int not null, success boolean not null)");
    }
  }

  /** The versions (and "R") with a successful row in the schema history. */
  private static Set<String> applied(String schema) throws SQLException {
    Set<String> applied = new LinkedHashSet<>();
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select coalesce(version, 'R'), success from " + schema
            + ".flyway_schema_history where type in ('SQL', 'JDBC')")) {
      while (rows.next()) {
        if (rows.getBoolean(2)) {
          applied.add(rows.getString(1));
        }
      }
    } catch (SQLException noHistoryYet) {
      if (!"42P01".equals(noHistoryYet.getSQLState())) {
        throw noHistoryYet;
      }
    }
    return applied;
  }

  private static int historyRows(String schema, String version) throws SQLException {
    try (Connection admin = ServerScenarios.admin(POSTGRES); Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from " + schema + ".flyway_schema_history where "
            + (version.equals("R") ? "version is null and type = 'SQL'" : "version = '" + version + "'"))) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException noHistoryYet) {
      if ("42P01".equals(noHistoryYet.getSQLState())) {
        return 0;
      }
      throw noHistoryYet;
    }
  }

}
