package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.RegistryReloadTest.version;
import static dev.iamguard.jdbc.RegistryReloadTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text found clean once is sent as written when it comes again, without the guard reading the
 * identity, the registry or the mode ({@code ConnectionPolicy.cleanAgain}). Differential: each text
 * of a class of clean texts (queries, DML, DDL, comments, several statements, the empty text) is sent
 * three times in a row, under every registry mode a reload brings (enforce, audit, off, enforce
 * again), through a guarded H2 connection with local emulation and through raw H2: the outcomes
 * (rows, update counts, SQLSTATE of an error) are the same. And a text found clean does not make
 * another text clean: a denied COPY sent between two clean ones is still refused.
 */
class CleanTextSentAgainTest {
  private static final String DENIED = "COPY t FROM 's3://lake/b/x' IAM_ROLE 'current'";

  @TempDir
  Path dir;

  private Connection guarded(Path registry, String... settings) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", "0");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    for (int i = 0; i < settings.length; i += 2) {
      properties.setProperty(settings[i], settings[i + 1]);
    }
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }

  /** Clean texts: nothing in them is an auth clause, a command the guard reads, or a session change. */
  private static List<String> cleanTexts() {
    List<String> texts = new ArrayList<>();
    String[] bodies = {
        "select count(*) from t", "insert into t values (1, 'copy from s3')", "update t set v = 'iam_role' where id = 1",
        "delete from t where id = 2", "select v from t order by id", "insert into t select id + 10, v from t where id < 3",
        "select 'credentials' as c", "drop table if exists u", "create table if not exists u (a int)", "",
    };
    for (String body : bodies) {
      texts.add(body);
      texts.add("-- a comment\n" + body);
      texts.add("/* copy t from 's3://x' iam_role 'r' */ " + body);
      if (!body.isEmpty()) {
        texts.add(body + ";\nselect 1");
        texts.add(body.toUpperCase(java.util.Locale.ROOT));
      }
    }
    return texts;
  }

  /** What running {@code sql} did: the rows or update counts of its results, or the SQLSTATE of its error. */
  private static String outcome(Statement statement, String sql) {
    try {
      StringBuilder seen = new StringBuilder();
      boolean rows = statement.execute(sql);
      while (true) {
        if (rows) {
          try (ResultSet resultSet = statement.getResultSet()) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
              for (int c = 1; c <= columns; c++) {
                seen.append(resultSet.getString(c)).append(c < columns ? "," : ";");
              }
            }
          }
        } else if (statement.getUpdateCount() >= 0) {
          seen.append("updated ").append(statement.getUpdateCount()).append(';');
        } else {
          return seen.toString();
        }
        rows = statement.getMoreResults();
      }
    } catch (SQLException e) {
      return "error " + e.getSQLState();
    }
  }

  private static void createTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("create table t (id int primary key, v varchar(40))");
      statement.execute("insert into t values (1, 'a'), (2, 'b')");
    }
  }

  @Test
  void aCleanTextSentAgainDoesWhatTheTargetDoesInEveryMode() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    String[] modes = {"enforce", "audit", "\"off\"", "enforce"};
    write(registry, version(0) + "policy:\n  mode: enforce\n");
    int compared = 0;
    try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        Connection connection = guarded(registry)) {
      createTable(raw);
      createTable(connection);
      try (Statement rawStatement = raw.createStatement(); Statement statement = connection.createStatement()) {
        for (String mode : modes) {
          write(registry, version(0) + "policy:\n  mode: " + mode + "\n");
          for (String text : cleanTexts()) {
            for (int time = 0; time < 3; time++) {
              // a fresh copy too: the repeat is found by equality, not by identity
              String sent = time == 2 ? new String(text.toCharArray()) : text;
              assertThat(outcome(statement, sent)).as("%s, mode %s, time %d", text, mode, time)
                  .isEqualTo(outcome(rawStatement, sent));
              compared++;
            }
          }
        }
      }
    }
    assertThat(compared).isEqualTo(modes.length * cleanTexts().size() * 3);
  }

  @Test
  void aDeniedTextBetweenCleanOnesIsStillRefused() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    try (Connection connection = guarded(registry); Statement statement = connection.createStatement()) {
      createTable(connection);
      for (String clean : cleanTexts()) {
        outcome(statement, clean);
        outcome(statement, clean);
        assertThatThrownBy(() -> statement.execute(DENIED)).as(clean).isInstanceOf(GuardDeniedException.class);
        assertThatThrownBy(() -> statement.execute(clean + ";\n" + DENIED)).as(clean)
            .isInstanceOf(GuardDeniedException.class);
      }
    }
  }

  @Test
  void withTheModeSetOffOnTheConnectionTextsAreSentAsWrittenAgainAndAgain() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        Connection connection = guarded(registry, "iamguard.mode", "off")) {
      createTable(raw);
      createTable(connection);
      try (Statement rawStatement = raw.createStatement(); Statement statement = connection.createStatement()) {
        for (String text : cleanTexts()) {
          for (int time = 0; time < 2; time++) {
            assertThat(outcome(statement, text)).as(text).isEqualTo(outcome(rawStatement, text));
          }
        }
      }
    }
  }
}
