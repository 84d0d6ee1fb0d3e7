package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.redshift.util.RedshiftProperties;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The cluster the guard checks as is the one the Redshift driver connects to (review rtF, defects
 * 4-6): a {@code ClusterID} the driver ignores (no IAM, a serverless host, a native plugin) or
 * overrides (an IAM provisioned host) used to win over the host; the first of several hosts named
 * the cluster though the driver fails over to the others; and the region in the host was ignored,
 * so {@code prod} in eu-west-1 was checked as the registry's us-east-1 {@code prod}. The driver's
 * own {@code Driver.parseURL} reads every generated URL; which cluster it then connects to is the
 * host's, or for an IAM login to another host the {@code ClusterID} it asks credentials for.
 */
class UrlPlaceTest {
  private static final String PROD = "prod.abc123.us-east-1.redshift.amazonaws.com";
  private static final String SANDBOX = "sandbox.def456.us-east-1.redshift.amazonaws.com";
  private static final String WG = "wg1.123456789012.us-east-1.redshift-serverless.amazonaws.com";

  @Provide
  Arbitrary<String[]> connections() {
    Arbitrary<String> scheme = Arbitraries.of("jdbc:redshift:iam://", "jdbc:redshift://");
    Arbitrary<String> host = Arbitraries.of(PROD, SANDBOX, WG, "nlb.example.com", "PROD.ABC123.US-EAST-1.REDSHIFT.AMAZONAWS.COM");
    Arbitrary<List<String>> arguments = Arbitraries.of("ClusterID=sandbox", "ClusterID=prod", "iamauth=true", "Region=us-east-1",
        "plugin_name=com.amazon.redshift.plugin.BasicJwtCredentialsProvider", "isServerless=true&serverlessWorkGroup=wg1")
        .list().uniqueElements().ofMaxSize(3);
    Arbitrary<Boolean> clusterIdProperty = Arbitraries.of(true, false);
    return Combinators.combine(scheme, host, arguments, clusterIdProperty).as((s, h, a, p) -> new String[] {
        s + h + ":5439/dev" + (a.isEmpty() ? "" : "?" + String.join("&", a)), p ? "sandbox" : null});
  }

  @Property(tries = 800)
  void theClusterIsWhereTheDriverConnects(@ForAll("connections") String[] connection) throws Exception {
    String url = connection[0];
    Map<String, String> properties = new HashMap<>(Map.of("user", "u"));
    if (connection[1] != null) {
      properties.put("ClusterID", connection[1]);
    }
    Properties info = new Properties();
    info.putAll(properties);
    Properties driver = com.amazon.redshift.Driver.parseURL(url, new RedshiftProperties(info, new Properties()));
    String host = driver.getProperty("host");
    UrlPlace hostPlace = UrlPlace.ofHost(host);
    boolean iam = Boolean.parseBoolean(driver.getProperty("iamauth"));
    String plugin = driver.getProperty("plugin_name");
    boolean usesClusterId = iam && plugin == null;
    String truth; // the cluster the statements run on; null when the URL cannot tell
    if (hostPlace != null) {
      truth = hostPlace.cluster();
    } else {
      truth = !usesClusterId || driver.getProperty("region") == null ? null
          : "true".equals(driver.getProperty("isserverless")) ? driver.getProperty("serverlessworkgroup") : driver.getProperty("clusterid");
    }
    Map<String, String> read = new HashMap<>();
    driver.stringPropertyNames().forEach(n -> read.put(n, driver.getProperty(n)));
    boolean conflicting = usesClusterId && hostPlace != null && hostPlace.account() == null && !DbGroupsSent.serverless(read)
        && driver.getProperty("clusterid") != null && !driver.getProperty("clusterid").equalsIgnoreCase(hostPlace.cluster());
    Identity.Login login;
    try {
      login = IdentityTest.login(url, properties, Map.of());
    } catch (SQLException refused) {
      Statistics.collect("refused");
      assertThat(conflicting).as("refused only where the driver asks credentials for another cluster: " + url + " " + properties
          + ": " + refused.getMessage()).isTrue();
      return;
    }
    Statistics.collect(login.cluster() == null ? "unknown" : "named");
    assertThat(conflicting).as("a ClusterID naming another cluster than the host is refused: " + url + " " + properties).isFalse();
    if (login.cluster() != null || truth != null) {
      assertThat(login.cluster()).as("cluster of " + url + " " + properties).isEqualToIgnoringCase(truth);
    }
  }

  @Provide
  Arbitrary<List<String>> hostLists() {
    return Arbitraries.of(PROD, SANDBOX, "127.0.0.1", "prod.xyz789.us-east-1.redshift.amazonaws.com").list().ofMinSize(2).ofMaxSize(3);
  }

  @Property(tries = 300)
  void severalHostsNameAClusterOnlyWhenAllAgree(@ForAll("hostLists") List<String> hosts, @ForAll boolean configured)
      throws Exception {
    String url = "jdbc:redshift://" + String.join(",", hosts.stream().map(h -> h + ":5439").toList()) + "/dev";
    List<String> clusters = hosts.stream().map(h -> UrlPlace.ofHost(h) == null ? null : UrlPlace.ofHost(h).cluster()).toList();
    boolean agree = clusters.get(0) != null && clusters.stream().allMatch(clusters.get(0)::equals);
    if (!configured) {
      assertThat(IdentityTest.login(url, Map.of(), Map.of()).cluster()).as(url).isEqualTo(agree ? clusters.get(0) : null);
      return;
    }
    boolean another = clusters.stream().anyMatch(c -> c != null && !c.equals("prod"));
    if (another) {
      assertThatThrownBy(() -> IdentityTest.login(url, Map.of(), Map.of("iamguard.cluster", "prod"))).as(url)
          .isInstanceOf(SQLException.class).hasMessageContaining("iamguard.cluster is prod but the URL's host is cluster sandbox");
    } else {
      assertThat(IdentityTest.login(url, Map.of(), Map.of("iamguard.cluster", "prod")).cluster()).isEqualTo("prod");
    }
  }

  @Property(tries = 200)
  void aRegionOrAccountOtherThanTheRegistrysIsRefused(@ForAll("regions") String region, @ForAll("accounts") String account,
      @ForAll boolean serverless) throws Exception {
    Registry registry = RegistryLoader.load(TestRegistry.path()); // dev-cluster, 123456789012, us-west-2
    String host = serverless ? "dev-cluster." + account + "." + region + ".redshift-serverless.amazonaws.com"
        : "dev-cluster.abc123." + region + ".redshift.amazonaws.com";
    Identity.Login login = IdentityTest.login("jdbc:redshift://" + host + ":5439/dev", Map.of("user", "u"), Map.of());
    boolean other = !region.equalsIgnoreCase("us-west-2") || serverless && !account.equals("123456789012");
    if (other) {
      assertThatThrownBy(() -> ConnectionPolicy.refuseAnotherPlace(registry, login)).as(host).isInstanceOf(SQLException.class)
          .hasMessageContaining("iamguard: the URL connects to");
    } else {
      ConnectionPolicy.refuseAnotherPlace(registry, login);
    }
  }

  @Provide
  Arbitrary<String> regions() {
    return Arbitraries.of("us-west-2", "US-WEST-2", "us-east-1", "eu-west-1");
  }

  @Provide
  Arbitrary<String> accounts() {
    return Arbitraries.of("123456789012", "210987654321");
  }

  @Test
  void theReviewsCases() throws Exception {
    assertThat(IdentityTest.login("jdbc:redshift://" + PROD + ":5439/dev?ClusterID=sandbox", Map.of(), Map.of()).cluster())
        .as("no IAM: the driver ignores ClusterID").isEqualTo("prod");
    assertThat(IdentityTest.login("jdbc:redshift:iam://" + PROD + ":5439/dev", Map.of("ClusterID", "sandbox"), Map.of()).cluster())
        .as("the IAM host overwrites a ClusterID property").isEqualTo("prod");
    assertThat(IdentityTest.login("jdbc:redshift:iam://" + WG + ":5439/dev?ClusterID=sandbox", Map.of(), Map.of()).cluster())
        .as("serverless ignores ClusterID").isEqualTo("wg1");
    assertThatThrownBy(() -> IdentityTest.login("jdbc:redshift:iam://" + PROD + ":5439/dev?ClusterID=sandbox", Map.of(), Map.of()))
        .isInstanceOf(SQLException.class).hasMessageContaining("ClusterID is sandbox but the host is cluster prod");
    assertThat(IdentityTest.login("jdbc:redshift:iam://nlb.example.com:5439/dev?ClusterID=c9", Map.of(), Map.of()).cluster())
        .as("no region: the driver may take the cluster from the host's CNAME").isNull();
    assertThatThrownBy(() -> IdentityTest.login("jdbc:redshift://" + SANDBOX + ":5439," + PROD + ":5439/dev", Map.of(),
        Map.of("iamguard.cluster", "prod"))).isInstanceOf(SQLException.class);
  }

  @Test
  void anotherRegionIsRefusedBeforeConnecting() {
    String url = "jdbc:iamguard:redshift://dev-cluster.abc123.eu-west-1.redshift.amazonaws.com:5439/dev?iamguard.registry="
        + TestRegistry.path();
    assertThatThrownBy(() -> DriverManager.getConnection(url, "u", "p")).isInstanceOf(SQLException.class)
        .hasMessageContaining("in region eu-west-1, but the registry's cluster dev-cluster is in us-west-2");
  }
}
