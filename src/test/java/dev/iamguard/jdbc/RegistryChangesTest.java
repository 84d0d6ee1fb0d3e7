package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.RegistryReloadTest.SCRIPT;
import static dev.iamguard.jdbc.RegistryReloadTest.capturingStandardError;
import static dev.iamguard.jdbc.RegistryReloadTest.version;
import static dev.iamguard.jdbc.RegistryReloadTest.versionOf;
import static dev.iamguard.jdbc.RegistryReloadTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a registry reload must see, with iamguard.reload-interval=0 (a check before every decision):
 * policy.mode reaches connections already open, policy files are watched like the registry, an
 * in-place edit that keeps size and modification time is seen, and a registry nested thousands of
 * levels deep is a registry problem, never a StackOverflowError. And where policy files may lie.
 */
class RegistryChangesTest {
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
  private static final String ROLE = "arn:aws:iam::123456789012:role/V0";

  @TempDir
  Path dir;

  Connection connect(Path registry, String... settings) throws SQLException {
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

  /** A registry whose role V0 takes its permissions from iam/perm.json. */
  private Path registryWithPolicyFile(String permissions) throws Exception {
    Files.createDirectories(dir.resolve("iam"));
    Files.writeString(dir.resolve("iam/trust.json"), TRUST);
    Files.writeString(dir.resolve("iam/perm.json"), permissions);
    Path registry = dir.resolve("registry.yaml");
    write(registry, "version: 1\n"
        + "clusters:\n  - id: dev-cluster\n    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles: [" + ROLE + "]\n"
        + "roles:\n  - arn: " + ROLE + "\n    policy_files:\n      trust: iam/trust.json\n"
        + "      permissions: [iam/perm.json]\n");
    return registry;
  }

  /** An UNLOAD under {@code prefix}: "For UNLOAD to Amazon S3, GET, LIST, and PUT permissions". */
  private static String writes(String prefix) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": ["
        + "{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::lake\","
        + " \"Condition\": {\"StringLike\": {\"s3:prefix\": \"" + prefix + "/*\"}}},"
        + "{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],"
        + " \"Resource\": \"arn:aws:s3:::lake/" + prefix + "/*\"}]}";
  }

  private static boolean allowed(Connection connection, String prefix) throws SQLException {
    return connection.unwrap(IamguardConnection.class).decisionFor("UNLOAD ('select 1') TO 's3://lake/" + prefix
        + "/x_' IAM_ROLE '" + ROLE + "'").allowed();
  }

  @Test
  void aModeChangeReachesConnectionsAlreadyOpenUnlessASettingNamesTheMode() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0) + "policy:\n  mode: audit\n");
    String denied = "UNLOAD ('select 1') TO 's3://lake/b/x_' IAM_ROLE 'current'";
    try (Connection pooled = connect(registry); Connection pinned = connect(registry, "iamguard.mode", "audit");
        Statement statement = pooled.createStatement(); Statement pinnedStatement = pinned.createStatement()) {
      statement.execute(denied + " ALLOWOVERWRITE");  // audit: logged, run anyway

      write(registry, version(0) + "policy:\n  mode: enforce\n");

      assertThatThrownBy(() -> statement.execute(denied + " ALLOWOVERWRITE")).isInstanceOf(GuardDeniedException.class);
      pinnedStatement.execute(denied + " ALLOWOVERWRITE");

      write(registry, version(0) + "policy:\n  mode: \"off\"\n");
      statement.execute(denied + " ALLOWOVERWRITE");
    }
  }

  @Test
  void aChangedPolicyFileIsReloaded() throws Exception {
    Path registry = registryWithPolicyFile(writes("a"));
    try (Connection connection = connect(registry)) {
      assertThat(allowed(connection, "a")).isTrue();
      assertThat(allowed(connection, "b")).isFalse();

      write(dir.resolve("iam/perm.json"), writes("b"));

      assertThat(allowed(connection, "b")).isTrue();
      assertThat(allowed(connection, "a")).isFalse();
    }
  }

  /**
   * A guard remembers the chains it resolved and their trust (ChainMemo): a reload that changes a
   * role's trust, its alias or the cluster's default role reaches the very text decided before.
   */
  @Test
  void aReloadReachesTheChainsAndTrustDecidedBefore() throws Exception {
    Path registry = registryWithPolicyFile(writes("a"));
    String text = "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE '" + ROLE + "'";
    try (Connection connection = connect(registry)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      for (int i = 0; i < 3; i++) {
        assertThat(guarded.decisionFor(text).allowed()).isTrue();
      }

      write(dir.resolve("iam/trust.json"), TRUST.replace("redshift.amazonaws.com", "lambda.amazonaws.com"));

      assertThat(guarded.decisionFor(text).allowed()).isFalse();
      assertThat(guarded.decisionFor(text).findings()).anySatisfy(f -> assertThat(f.rule().toString())
          .isEqualTo("REGION_NOT_TRUSTED")); // the first role no longer trusts Redshift

      write(dir.resolve("iam/trust.json"), TRUST);
      assertThat(guarded.decisionFor(text).allowed()).isTrue();

      String alias = "UNLOAD ('select 1') TO 's3://lake/a/x_' IAM_ROLE 'unloader'";
      assertThat(guarded.decisionFor(alias).allowed()).isFalse(); // no such alias yet
      String withAlias = Files.readString(registry).replace("  - arn: " + ROLE + "\n",
          "  - arn: " + ROLE + "\n    alias: unloader\n");
      write(registry, withAlias);
      assertThat(guarded.decisionFor(alias).allowed()).isTrue();
      assertThat(guarded.decisionFor(alias).sql()).contains("IAM_ROLE '" + ROLE + "'");

      write(registry, withAlias.replace("alias: unloader", "alias: other"));
      assertThat(guarded.decisionFor(alias).allowed()).isFalse();
    }
  }

  @Test
  void anInPlaceEditThatKeepsSizeAndModificationTimeIsSeen() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, version(0));
    FileTime before = FileTime.fromMillis(1_600_000_000_000L);
    Files.setLastModifiedTime(registry, before);
    try (Connection connection = connect(registry)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      assertThat(versionOf(guarded.decisionFor(SCRIPT))).isZero();

      Files.writeString(registry, version(2));  // the same size, the same file
      Files.setLastModifiedTime(registry, before);
      assertThat(Files.size(registry)).isEqualTo(version(0).length());

      assertThat(versionOf(guarded.decisionFor(SCRIPT))).isEqualTo(2);
    }
  }

  @Test
  void anInPlacePolicyFileEditThatKeepsSizeAndModificationTimeIsSeen() throws Exception {
    Path registry = registryWithPolicyFile(writes("a"));
    Path policy = dir.resolve("iam/perm.json");
    FileTime before = Files.getLastModifiedTime(policy);
    try (Connection connection = connect(registry)) {
      assertThat(allowed(connection, "a")).isTrue();

      Files.writeString(policy, writes("c"));
      Files.setLastModifiedTime(policy, before);

      assertThat(allowed(connection, "a")).isFalse();
      assertThat(allowed(connection, "c")).isTrue();
    }
  }

  private static String nested(int depth) {
    return "version: 1\nclusters: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
  }

  @Test
  void aDeeplyNestedRegistryIsRefusedAtConnect() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, nested(10_000));

    assertThatThrownBy(() -> connect(registry))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("nest more than 64 levels")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
  }

  @Test
  void aDeeplyNestedPolicyFileIsRefusedAtConnect() throws Exception {
    Path registry = registryWithPolicyFile("{\"Statement\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");

    assertThatThrownBy(() -> connect(registry))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("nest more than 64 levels");
  }

  @Test
  void aDeeplyNestedReloadKeepsTheLastGoodRegistryAndLogsAnError() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    write(registry, version(0));
    try (Connection connection = connect(registry); Statement statement = connection.createStatement()) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      String log = capturingStandardError(() -> {
        write(registry, nested(10_000));
        assertThat(versionOf(guarded.decisionFor(SCRIPT))).isZero();
        assertThatThrownBy(() -> statement.execute(SCRIPT)).isInstanceOf(GuardDeniedException.class);
      });
      assertThat(log.lines().filter(l -> l.contains("ERROR"))).singleElement().asString()
          .contains("changed but is not valid; keeping the last good registry");
      assertThat(log).contains("nest more than 64 levels").doesNotContain("StackOverflowError");
    }
  }

  @Test
  void policyFilesMustLieInsideTheRegistryFolderUnlessAllowed() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("perm.json"), writes("a"));
    Path folder = Files.createDirectories(dir.resolve("registry"));
    Files.createDirectories(folder.resolve("iam"));
    Files.writeString(folder.resolve("iam/trust.json"), TRUST);
    Files.createSymbolicLink(folder.resolve("iam/linked.json"), outside.resolve("perm.json"));
    for (String name : new String[] {outside.resolve("perm.json").toString(), "../outside/perm.json",
        "iam/linked.json"}) {
      Path registry = folder.resolve("registry.yaml");
      write(registry, "version: 1\n"
          + "clusters:\n  - id: dev-cluster\n    account: \"123456789012\"\n    region: us-west-2\n"
          + "    attached_roles: [" + ROLE + "]\n"
          + "roles:\n  - arn: " + ROLE + "\n    policy_files:\n      trust: iam/trust.json\n"
          + "      permissions: [\"" + name + "\"]\n");

      assertThatThrownBy(() -> connect(registry).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("policy file " + name)
          .hasMessageContaining("iamguard.policy-files-outside=true");
      try (Connection allowed = connect(registry, "iamguard.policy-files-outside", "true")) {
        assertThat(allowed(allowed, "a")).isTrue();
      }
    }
  }

  @Test
  void aFileThatIsNotAPolicyDocumentIsNeverQuoted() throws Exception {
    Path registry = registryWithPolicyFile(writes("a"));
    for (String content : new String[] {
        "[default]\naws_access_key_id = AKIAEXAMPLEKEY0001\naws_secret_access_key = wJalrXUtnFEMIexample0002\n",
        "password: hunter2-example-0003\ntoken: tok-example-0004\npassword: hunter2-example-0003\n",
        "root:x:0:0:root:/root:/bin/bash\n{{{ \"hunter2-example-0005\n",
        "- secret-example-0006\n- !custom!tag secret-example-0007\n"}) {
      write(dir.resolve("iam/perm.json"), content);

      assertThatThrownBy(() -> connect(registry).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("iam/perm.json")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AKIAEXAMPLE", "wJalr", "hunter2", "tok-example",
              "password", "token", "aws_", "root:x", "secret-example", "custom"));
    }
  }
}
