package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Session;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IdentityTest {
  static Session session(String url, Map<String, String> properties, Map<String, String> settings) {
    Properties props = new Properties();
    props.putAll(properties);
    GuardConfig config = GuardConfig.resolve(new Properties(), settings, k -> null, k -> null);
    return Identity.session(url, props, config);
  }

  @Test
  void provisionedHostGivesTheCluster() {
    Session session = session("jdbc:redshift://my-cluster.abc123xyz789.us-west-2.redshift.amazonaws.com:5439/dev",
        Map.of("user", "User1"), Map.of());
    assertThat(session.cluster()).isEqualTo("my-cluster");
    assertThat(session.user()).isEqualTo("user1");
  }

  @Test
  void serverlessHostGivesTheWorkgroup() {
    assertThat(session("jdbc:redshift://wg1.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev",
        Map.of("user", "u"), Map.of()).cluster()).isEqualTo("wg1");
  }

  @Test
  void iamUrlWithClusterAndRegion() {
    assertThat(session("jdbc:redshift:iam://my-cluster:us-west-2/dev", Map.of(), Map.of()).cluster()).isEqualTo("my-cluster");
  }

  @Test
  void otherHostsTellNothing() {
    assertThat(session("jdbc:redshift://127.0.0.1:5439/dev", Map.of(), Map.of()).cluster()).isNull();
    assertThat(session("jdbc:redshift://redshift.internal.example.com:5439/dev", Map.of(), Map.of()).cluster()).isNull();
    assertThat(session("jdbc:h2:mem:x", Map.of(), Map.of()).cluster()).isNull();
  }

  @Test
  void dbUserWinsOverUserAndIamPrefixesAreStripped() {
    assertThat(session("jdbc:redshift:iam://c:us-west-2/dev", Map.of("user", "login", "DbUser", "IAM:etl"), Map.of()).user())
        .isEqualTo("etl");
    assertThat(session("jdbc:redshift://h/dev", Map.of("user", "IAMA:bob"), Map.of()).user()).isEqualTo("bob");
    assertThat(session("jdbc:redshift://h/dev", Map.of("user", "IAMR:loader"), Map.of()).user()).isEqualTo("loader");
  }

  @Test
  void propertiesAreCaseInsensitiveAndUrlArgumentsCount() {
    Session session = session("jdbc:redshift://h:5439/dev?dbuser=etl&DBGROUPS=etl,loaders&clusterid=c9", Map.of(), Map.of());
    assertThat(session.user()).isEqualTo("etl");
    assertThat(session.groups()).containsExactly("etl", "loaders");
    assertThat(session.cluster()).isEqualTo("c9");
  }

  @Test
  void iamguardSettingsOverrideEverything() {
    Session session = session("jdbc:redshift://my-cluster.abc.us-west-2.redshift.amazonaws.com:5439/dev",
        Map.of("user", "login", "DbGroups", "a"),
        Map.of("iamguard.user", "etl", "iamguard.cluster", "other", "iamguard.groups", "b, c"));
    assertThat(session.user()).isEqualTo("etl");
    assertThat(session.cluster()).isEqualTo("other");
    assertThat(session.groups()).containsExactly("a", "b", "c");
  }
}
