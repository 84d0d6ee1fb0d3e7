package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the local database, H2's own file functions and statements (CSVREAD, FILE_READ, CSVWRITE,
 * FILE_WRITE, LINK_SCHEMA, RUNSCRIPT, SCRIPT, BACKUP) and what CREATE makes of Java code or another
 * database (ALIAS, LINKED TABLE, AGGREGATE, TRIGGER) are refused: Redshift has none of them, and
 * they read and wrote the folder standing in for S3 around the emulated COPY and UNLOAD whose keys
 * the guard checks (red-team review: CSVREAD read a bucket the role may not read after the COPY
 * from it was denied; FILE_WRITE in the query of an allowed UNLOAD wrote outside its prefix). Each
 * in every spelling H2 calls it by, alone and inside an UNLOAD's query: refused, and no file read
 * or written. The control: the same words as names of columns and tables still run.
 */
class H2FileFeaturesRefusedTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";

  @TempDir
  Path dir;

  @Test
  void h2sFileFunctionsAreRefusedInEverySpellingAndPlace() throws Exception {
    Path secret = dir.resolve("s3/companyb/redshift/sales/part.csv");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "a\n42\n");
    Path written = dir.resolve("s3/companyb/redshift/written.txt");
    List<String> calls = new ArrayList<>();
    for (String name : List.of("csvread", "CSVREAD", "CsvRead", "\"CSVREAD\"")) {
      calls.add("select * from " + name + "('" + secret + "')");
    }
    for (String name : List.of("file_read", "FILE_READ", "\"FILE_READ\"")) {
      calls.add("select " + name + "('" + secret + "')");
    }
    for (String name : List.of("file_write", "FILE_WRITE", "\"FILE_WRITE\"")) {
      calls.add("select " + name + "('x', '" + written + "')");
    }
    for (String name : List.of("csvwrite", "CSVWRITE")) {
      calls.add("call " + name + "('" + written + "', 'select 1')");
    }
    calls.add("select link_schema('X', '', 'jdbc:h2:mem:other', '', '', 'PUBLIC')");
    calls.add("select (select count(*) from csvread('" + secret + "')) as n");
    calls.add("select 1; select file_write('x', '" + written + "')");
    List<String> statements = List.of("runscript from '" + secret + "'", "script to '" + written + "'",
        "SCRIPT", "backup to '" + written + "'", "create alias w for 'java.lang.System.getProperty'",
        "create force alias w as 'String w(String s) { return s; }'", "CREATE OR REPLACE ALIAS w FOR 'java.lang.Math.abs'",
        "create linked table lt('org.h2.Driver', 'jdbc:h2:mem:other', '', '', 'T')",
        "create global temporary linked table lt('org.h2.Driver', 'jdbc:h2:mem:other', '', '', 'T')",
        "create aggregate a for 'java.lang.Object'",
        "create trigger tr before insert on t for each row call 'java.lang.Object'");
    List<String> accepted = new ArrayList<>();
    try (Connection connection = open(); Statement statement = connection.createStatement()) {
      statement.execute("create table t (x int)");
      for (String call : calls) {
        String unload = "unload ('" + call.replace("'", "''") + "') to 's3://acmedata/redshift/unload/u"
            + accepted.size() + "_' iam_role '" + ROLE + "'";
        for (String sql : call.contains(";") ? List.of(call) : List.of(call, unload)) {
          SQLException refused = refusal(statement, sql, accepted);
          if (refused != null && !"42883".equals(refused.getSQLState())) {
            accepted.add(sql + " (refused as " + refused.getSQLState() + ": " + refused.getMessage() + ")");
          }
        }
      }
      for (String sql : statements) {
        SQLException refused = refusal(statement, sql, accepted);
        if (refused != null && !"42601".equals(refused.getSQLState())) {
          accepted.add(sql + " (refused as " + refused.getSQLState() + ")");
        }
      }
      // the control: the words as names
      statement.execute("create table alias (csvread int, file_write int, script int)");
      statement.execute("insert into alias values (1, 2, 3)");
      try (ResultSet rows = statement.executeQuery("select csvread + file_write + script from alias")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(6);
      }
      statement.execute("create table backup_log (linked int) backup no");
    }
    assertThat(accepted).isEmpty();
    assertThat(written).doesNotExist();
    try (Stream<Path> unloaded = Files.walk(dir.resolve("s3"))) {
      assertThat(unloaded.filter(Files::isRegularFile)).containsExactly(secret);
    }
  }

  /** The refusal of {@code sql}, or null (recorded in {@code accepted}) when it ran. */
  private static SQLException refusal(Statement statement, String sql, List<String> accepted) {
    try {
      statement.execute(sql);
      accepted.add(sql);
      return null;
    } catch (SQLException e) {
      assertThat(e.getMessage()).as(sql).contains("nothing was run");
      return e;
    }
  }

  private Connection open() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("iamguard.registry", "samples/registry.yaml");
    properties.setProperty("iamguard.user", "user1");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }
}
