package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 cannot report who a connection runs as, so the identity is the declared one:
 * {@code iamguard.user}, else the login user, following SET SESSION AUTHORIZATION as the text says;
 * nobody declared means the user is unknown and checks that need it deny. GRANT and REVOKE
 * ASSUMEROLE sent through the guard change the grants of later statements of the same connection,
 * and wait for the commit when sent in a transaction.
 */
class DeclaredIdentityH2Test {
  private static final String UNLOAD = "UNLOAD ('SELECT 1') TO 's3://lake/out/x_' IAM_ROLE '" + TestRegistry.LOADER
      + "' ALLOWOVERWRITE";

  @TempDir
  Path dir;

  private Connection open(Properties properties) throws SQLException {
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  @Test
  void iamguardUserIsTheIdentityOnATargetThatCannotReportIt() throws SQLException {
    Properties trustedLogin = TestRegistry.properties("etl");
    trustedLogin.setProperty(Setting.USER.key(), "mallory");
    try (Connection connection = open(trustedLogin); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(UNLOAD)).isInstanceOf(GuardDeniedException.class)
          .hasMessageContaining("DB_USER_NOT_TRUSTED").hasMessageContaining("dbuser:dev-cluster/mallory");
    }
    Properties untrustedLogin = TestRegistry.properties("mallory");
    untrustedLogin.setProperty(Setting.USER.key(), "etl");
    try (Connection connection = open(untrustedLogin); Statement statement = connection.createStatement()) {
      statement.execute(UNLOAD);
    }
  }

  @Test
  void theLoginUserCountsWithoutIamguardUserAndAnIamPrefixIsKept() throws SQLException {
    try (Connection connection = open(TestRegistry.properties("mallory")); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(UNLOAD)).hasMessageContaining("dbuser:dev-cluster/mallory");
    }
    try (Connection connection = open(TestRegistry.properties("IAM:etl")); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(UNLOAD)).as("not an IAM login: the prefix is part of the name")
          .hasMessageContaining("dbuser:dev-cluster/iam:etl");
    }
  }

  @Test
  void withNobodyDeclaredTheUserIsUnknownAndChecksThatNeedItDeny() throws SQLException {
    Properties nobody = new Properties();
    nobody.setProperty("iamguard.registry", TestRegistry.path().toString());
    try (Connection connection = open(nobody); Statement statement = connection.createStatement()) {
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD));
      assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.IDENTITY_UNKNOWN);
      assertThat((Throwable) denied).hasMessageContaining("iamguard.user");
      statement.execute("SET session_authorization TO etl");
      statement.execute(UNLOAD);
    }
  }

  @Test
  void theParameterFormOfSessionAuthorizationChangesTheIdentityToo() throws SQLException {
    try (Connection connection = open(TestRegistry.properties("etl")); Statement statement = connection.createStatement()) {
      statement.execute("SET session_authorization TO mallory");
      assertThatThrownBy(() -> statement.execute(UNLOAD)).hasMessageContaining("dbuser:dev-cluster/mallory");
      statement.execute("RESET session_authorization");
      statement.execute(UNLOAD);
    }
  }

  // ---- GRANT / REVOKE ASSUMEROLE through the guard

  private Properties withGrants(String user) throws IOException {
    String registry = Files.readString(TestRegistry.path()) + "grants:\n  - on: [" + TestRegistry.LOADER
        + "]\n    to: [etl]\n    for: [UNLOAD]\n";
    Path file = dir.resolve("registry-" + UUID.randomUUID() + ".yaml");
    Files.writeString(file, registry);
    Properties properties = TestRegistry.properties(user);
    properties.setProperty("iamguard.registry", file.toString());
    return properties;
  }

  @Test
  void grantsAndRevokesChangeTheGrantsOfLaterStatementsOfTheConnection() throws Exception {
    Properties sa = withGrants("sa");
    try (Connection connection = open(sa); Statement statement = connection.createStatement()) {
      GuardDeniedException denied = assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD));
      assertThat(denied.findings()).extracting(Finding::rule).containsExactly(RuleId.ASSUMEROLE_NOT_GRANTED);
      statement.execute("GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO sa FOR UNLOAD");
      statement.execute(UNLOAD);
      statement.execute("REVOKE ASSUMEROLE ON '" + TestRegistry.LOADER + "' FROM sa FOR ALL");
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD));
      assertThrows(GuardDeniedException.class, () -> statement.execute("GRANT ASSUMEROLE ON ALL TO PUBLIC FOR ALL"));
    }
    try (Connection other = open(sa); Statement statement = other.createStatement()) {
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), "another connection");
    }
  }

  @Test
  void inATransactionAGrantCountsAfterTheCommitAndARollbackTakesItBack() throws Exception {
    String grant = "GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO sa FOR UNLOAD";
    try (Connection connection = open(withGrants("sa")); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute(grant);
      statement.execute(UNLOAD);
      connection.rollback();
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), "rolled back through JDBC");

      statement.execute(grant);
      statement.execute("ROLLBACK");
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), "rolled back in SQL");

      statement.execute(grant);
      connection.commit();
      connection.rollback();
      statement.execute(UNLOAD);
    }
  }

  /**
   * The transaction statements of a text count as those sent on their own (probe 22a F4): a grant
   * rolled back in the same text, or pending from an earlier text and rolled back in this one, no
   * longer allows the statement after the rollback.
   */
  @Test
  void aRollbackInTheTextTakesBackTheGrantsBeforeIt() throws Exception {
    String grant = "GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO sa FOR UNLOAD";
    try (Connection connection = open(withGrants("sa")); Statement statement = connection.createStatement()) {
      assertThrows(GuardDeniedException.class, () -> statement.execute(grant + "; ROLLBACK; " + UNLOAD),
          "granted and rolled back in the text");
      statement.execute(grant + "; COMMIT; " + UNLOAD);
    }
    try (Connection connection = open(withGrants("sa")); Statement statement = connection.createStatement()) {
      statement.execute(grant); // auto-commit: committed at once
      statement.execute("ROLLBACK; " + UNLOAD); // so a rollback does not take it back
    }
    try (Connection connection = open(withGrants("sa")); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute(grant);
      assertThrows(GuardDeniedException.class, () -> statement.execute("ROLLBACK; " + UNLOAD),
          "pending from an earlier text, rolled back in this one");
      statement.execute("COMMIT; " + UNLOAD);
      statement.execute("ROLLBACK; " + UNLOAD); // committed in a text: a later rollback does not take it back
    }
  }

  /**
   * A prepared statement decided again before an execution, because the grants changed since it
   * was prepared, keeps that decision: the executions after it are not decided and audited again
   * until something changes again (probe 22c F3: every later execution wrote one more audit line).
   */
  @Test
  void aPreparedStatementDecidedAgainKeepsThatDecision() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Properties settings = withGrants("etl");
    settings.setProperty("iamguard.audit-file", audit.toString());
    try (Connection connection = open(settings); PreparedStatement prepared = connection.prepareStatement(UNLOAD);
        Statement statement = connection.createStatement()) {
      int atPrepare = Files.readAllLines(audit).size();
      assertThat(atPrepare).as("decided when prepared").isEqualTo(1);
      prepared.execute();
      prepared.execute();
      assertThat(Files.readAllLines(audit)).as("not decided again").hasSize(atPrepare);
      statement.execute("GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO etl FOR COPY");
      int afterGrant = Files.readAllLines(audit).size();
      prepared.execute();
      assertThat(Files.readAllLines(audit)).as("the grants changed: decided again").hasSize(afterGrant + 1);
      prepared.execute();
      prepared.execute();
      assertThat(Files.readAllLines(audit)).as("nothing changed since").hasSize(afterGrant + 1);
    }
  }

  /**
   * A text with a COMMIT of its own that fails may have committed what came before the COMMIT
   * (red-team review: {@code REVOKE ...; COMMIT; select 1/0} left the role granted): its revokes
   * are kept and its grants dropped, the strict reading, whether sent as one text or as a prepared
   * text, wherever the failure stands.
   */
  @Test
  void aFailedTextKeepsTheRevokesItMayHaveCommittedAndDropsItsGrants() throws Exception {
    String revoke = "REVOKE ASSUMEROLE ON '" + TestRegistry.LOADER + "' FROM etl FOR UNLOAD";
    String grant = "GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO sa FOR UNLOAD";
    List<List<String>> shapes = List.of(
        List.of("%s", "COMMIT", "select 1/0"), List.of("%s", "COMMIT", "select 1", "select 1/0"),
        List.of("BEGIN", "%s", "COMMIT", "select 1/0"), List.of("COMMIT", "%s", "END", "select 1/0"),
        List.of("%s", "select 1/0", "COMMIT"), List.of("select 1", "%s", "COMMIT", "select 1/0", "ROLLBACK"));
    int cases = 0;
    for (List<String> shape : shapes) {
      for (String face : List.of("text", "prepared")) { // H2 batches no emulated REVOKE: BatchAcrossChangesTest
        for (boolean autoCommit : new boolean[] {true, false}) {
          String context = face + " " + shape + (autoCommit ? "" : " with auto-commit off");
          try (Connection connection = open(withGrants("etl")); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(autoCommit);
            statement.execute(UNLOAD);
            assertThrows(SQLException.class, () -> send(connection, face, shape, revoke), context);
            assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), context + ": the revoke kept");
          }
          try (Connection connection = open(withGrants("sa")); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(autoCommit);
            assertThrows(SQLException.class, () -> send(connection, face, shape, grant), context);
            assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD), context + ": the grant dropped");
          }
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(24);
  }

  private static void send(Connection connection, String face, List<String> shape, String change) throws SQLException {
    List<String> texts = shape.stream().map(part -> part.replace("%s", change)).toList();
    switch (face) {
      case "text" -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute(String.join("; ", texts));
        }
      }
      default -> {
        try (PreparedStatement statement = connection.prepareStatement(String.join("; ", texts))) {
          statement.execute();
        }
      }
    }
  }

  @Test
  void aRollbackToASavepointTakesBackPendingGrantsButKeepsPendingRevokes() throws Exception {
    try (Connection connection = open(withGrants("etl")); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute(UNLOAD);
      statement.execute("REVOKE ASSUMEROLE ON '" + TestRegistry.LOADER + "' FROM etl FOR UNLOAD");
      Savepoint savepoint = connection.setSavepoint();
      statement.execute("GRANT ASSUMEROLE ON '" + TestRegistry.LOADER + "' TO etl FOR UNLOAD");
      statement.execute(UNLOAD);
      connection.rollback(savepoint);
      assertThrows(GuardDeniedException.class, () -> statement.execute(UNLOAD));
      connection.rollback();
      statement.execute(UNLOAD);
    }
  }
}
