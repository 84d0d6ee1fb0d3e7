package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.iamguard.policy.registry.NonRegularFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hot reload with the registry or a policy file replaced by a named pipe, a folder or a link to a
 * pipe: the next statement neither blocks nor loses its guard; the last good registry decides and
 * one ERROR names the file and what it is. Putting the file back reloads as usual.
 */
class ReloadNonRegularFileTest {

  @TempDir
  Path dir;

  /** A registry whose one role's permissions are the policy file p.json ({@link #permissions}). */
  static final String REGISTRY = """
      version: 1
      clusters:
        - id: dev-cluster
          account: "123456789012"
          region: us-west-2
          attached_roles: [arn:aws:iam::123456789012:role/R]
      roles:
        - arn: arn:aws:iam::123456789012:role/R
          policy_files:
            permissions: [p.json]
      """;

  /** p.json: the role may UNLOAD under {@code s3://lake/<prefix>/}. */
  static String permissions(String prefix) {
    // an UNLOAD reads and lists as well as writes
    return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:PutObject\","
        + " \"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::lake/" + prefix + "/*\"}, {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::lake\"}]}";
  }

  static final String UNLOAD = "UNLOAD ('select 1') TO 's3://lake/%s/x_' IAM_ROLE"
      + " 'arn:aws:iam::123456789012:role/R'";

  static Stream<Arguments> replaced() {
    return Stream.of("reg.yaml", "p.json").flatMap(file -> Stream.of(NonRegularFiles.values())
        .map(kind -> Arguments.of(file, kind)));
  }

  /**
   * Writes {@link #REGISTRY} as reg.yaml and p.json allowing {@code s3://lake/a/} in {@code dir}, and connects
   * user etl with it, checking for changes every {@code intervalMillis}.
   */
  static Connection connect(Path dir, int intervalMillis) throws Exception {
    Path registry = dir.resolve("reg.yaml");
    Files.writeString(registry, REGISTRY);
    Files.writeString(dir.resolve("p.json"), permissions("a"));
    Properties properties = new Properties();
    properties.setProperty("user", "etl");
    properties.setProperty("iamguard.registry", registry.toString());
    properties.setProperty("iamguard.reload-interval", String.valueOf(intervalMillis));
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), properties);
  }

  @ParameterizedTest(name = "{0} becomes {1}")
  @MethodSource("replaced")
  void theNextStatementIsDecidedByTheLastGoodRegistry(String file, NonRegularFiles kind) throws Exception {
    try (Connection connection = connect(dir, 0)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      assertThat(guarded.decisionFor(UNLOAD.formatted("a")).allowed()).isTrue();
      String log = RegistryReloadTest.capturingStandardError(() -> {
        Files.delete(dir.resolve(file));
        kind.make(dir.resolve(file));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
          assertThat(guarded.decisionFor(UNLOAD.formatted("a")).allowed()).as("the last good registry").isTrue();
          assertThat(guarded.decisionFor(UNLOAD.formatted("b")).allowed()).isFalse();
          try (Statement statement = connection.createStatement()) {
            // executing: denied by the guard (not hanging in its reload), whatever H2 would make of it
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> statement.execute(UNLOAD.formatted("b"))).getMessage()).contains("S3_NOT_PERMITTED");
          }
        });
      });
      assertThat(log.lines().filter(l -> l.contains("ERROR"))).as(log).singleElement().asString()
          .contains("keeping the last good registry");
      assertThat(log).contains(file.equals("p.json") ? "policy file p.json is " + kind.named
          : kind == NonRegularFiles.FOLDER ? "is a folder" : "the registry is " + kind.named)
          .doesNotContain("IOException");
      Files.delete(dir.resolve(file));
      Files.writeString(dir.resolve(file), file.equals("p.json") ? permissions("b") : REGISTRY);
      assertThat(guarded.decisionFor(UNLOAD.formatted("b")).allowed()).as("reloaded once mended")
          .isEqualTo(file.equals("p.json"));
    }
  }
}
