package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.util.RedshiftProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard counts a connection's {@code DbGroups} only when the Redshift driver sends them
 * (GetClusterCredentials v1). It used to count them for every IAM login, also with
 * {@code groupFederation=true}, to serverless, and with a native IdP plugin, where the server never
 * joins the user to them (review rtF). The URL and properties are read by the driver itself
 * ({@code Driver.parseURL}); what it then decides is transcribed from its
 * {@code RedshiftConnectionImpl} (native plugins, by name), {@code IamHelper.setIAMProperties}
 * (serverless) and {@code findTypeOfGetClusterCredentialsAPI} (1 is v1).
 */
class DbGroupsSentTest {
  @Provide
  Arbitrary<String[]> connections() {
    Arbitrary<String> server = Arbitraries.of("jdbc:redshift:iam://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev",
        "jdbc:redshift:iam://wg1.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev",
        "jdbc:redshift:iam://nlb.example.com:5439/dev", "jdbc:redshift:iam://prod:us-east-1/dev",
        "jdbc:redshift://nlb.example.com:5439/dev?iamauth=true",
        "jdbc:redshift://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev?iamauth=true&ClusterID=prod",
        "jdbc:redshift://h:5439/dev");
    Arbitrary<String> setting = Arbitraries.of("groupFederation=true", "groupfederation=TRUE", "groupFederation=false",
        "isServerless=true", "IsServerless=false", "ClusterID=redshift-serverless-x", "ClusterID=prod",
        "plugin_name=com.amazon.redshift.plugin.BasicJwtCredentialsProvider",
        "plugin_name=com.amazon.redshift.plugin.basicnativesamlcredentialsprovider",
        "plugin_name=com.amazon.redshift.plugin.OktaCredentialsProvider",
        "plugin_name=com.amazon.redshift.plugin.AdfsCredentialsProvider", "plugin_name=com.example.MyProvider",
        "serverlessWorkGroup=wg1", "ForceLowercase=true");
    Arbitrary<Boolean> inUrl = Arbitraries.of(true, false);
    Arbitrary<List<String>> settings = setting.list().ofMaxSize(3);
    return Combinators.combine(server, settings, inUrl).as((s, list, url) -> {
      StringBuilder text = new StringBuilder(s);
      StringBuilder props = new StringBuilder();
      for (String each : list) {
        if (url) {
          text.append(text.indexOf("?") < 0 ? '?' : '&').append(each);
        } else {
          props.append(each).append('\n');
        }
      }
      text.append(text.indexOf("?") < 0 ? '?' : '&').append("DbGroups=Etl,loaders");
      return new String[] {text.toString(), props.toString()};
    });
  }

  @Property(tries = 600)
  void dbGroupsCountOnlyWhereTheDriverSendsThem(@ForAll("connections") String[] connection) throws Exception {
    String url = connection[0];
    Properties info = new Properties();
    info.load(new java.io.StringReader(connection[1]));
    info.setProperty("user", "u");
    Map<String, String> properties = new HashMap<>();
    info.stringPropertyNames().forEach(n -> properties.put(n, info.getProperty(n)));
    Identity.Login login = IdentityTest.loginUnlessRefused(url, properties);
    if (login == null) {
      return; // a ClusterID naming another cluster than the host (UrlPlaceTest): refused, nothing counts
    }

    Boolean sent = driverSends(url, info);
    Assume.that(sent != null); // the driver fails this connection before it logs in: nothing to decide
    String plugin = RedshiftUrl.read(url, info).get("plugin_name");
    boolean provable = plugin == null || plugin.contains("Okta") || plugin.contains("Adfs");
    if (sent && provable) {
      assertThat(login.dbGroups()).as("the driver sends DbGroups for " + url + " " + info).isNotEmpty();
    } else if (!sent) {
      assertThat(login.dbGroups()).as("the driver sends no DbGroups for " + url + " " + info).isEmpty();
    }
  }

  /**
   * Whether the driver sends DbGroups; null when it fails the connection before deciding. Read by
   * the driver's parseURL, then decided as its IamHelper.setIAMProperties and
   * findTypeOfGetClusterCredentialsAPI decide (transcribed: they cannot run here, as they load the
   * AWS SDK, an optional dependency of the driver).
   */
  private static Boolean driverSends(String url, Properties info) throws Exception {
    RedshiftProperties props = com.amazon.redshift.Driver.parseURL(url, new RedshiftProperties(info, new Properties()));
    if (props == null) {
      return null;
    }
    if (!Boolean.parseBoolean(props.getProperty("iamauth"))) {
      return false;
    }
    String plugin = props.getProperty("plugin_name");
    if (plugin != null && (plugin.equalsIgnoreCase("com.amazon.redshift.plugin.BasicJwtCredentialsProvider")
        || plugin.equalsIgnoreCase("com.amazon.redshift.plugin.BasicNativeSAMLCredentialsProvider"))) {
      return false; // RedshiftConnectionImpl: native authentication, no IAM credentials at all
    }
    String host = props.getProperty("host");
    String clusterId = props.getProperty("clusterid");
    boolean provisioned = host != null && host.matches("(.+)\\.(.+)\\.(.+).redshift(-dev)?\\.amazonaws\\.com(.)*");
    boolean serverless = false;
    if (!provisioned && (clusterId == null || !clusterId.startsWith("redshift-serverless-"))) {
      serverless = host != null && host.matches("(.+)\\.(.+)\\.(.+).redshift-serverless(-dev)?\\.amazonaws\\.com(.)*")
          || "true".equalsIgnoreCase(props.getProperty("isserverless"));
    } else if (clusterId == null) {
      return null; // getRequiredConnSetting(ClusterID) fails the connection
    }
    boolean groupFederation = Boolean.parseBoolean(props.getProperty("groupfederation"));
    return !serverless && !groupFederation; // findTypeOfGetClusterCredentialsAPI() == 1
  }

  @Test
  void theReviewsCasesCountNoGroups() throws Exception {
    String provisioned = "jdbc:redshift:iam://prod.abc123.us-east-1.redshift.amazonaws.com:5439/dev?DbGroups=etl";
    for (String url : List.of(provisioned + "&groupFederation=true",
        provisioned + "&plugin_name=com.amazon.redshift.plugin.BasicJwtCredentialsProvider",
        provisioned + "&plugin_name=com.amazon.redshift.plugin.BasicNativeSAMLCredentialsProvider",
        provisioned + "&plugin_name=com.example.Unknown", provisioned + "&IniFile=/etc/rsjdbc.ini",
        provisioned + "&AuthProfile=p1",
        "jdbc:redshift:iam://wg1.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev?DbGroups=etl",
        "jdbc:redshift:iam://nlb.example.com:5439/dev?isServerless=true&serverlessWorkGroup=wg1&DbGroups=etl")) {
      assertThat(IdentityTest.login(url, Map.of("user", "u"), Map.of()).dbGroups()).as(url).isEmpty();
    }
    assertThat(IdentityTest.login(provisioned + "&ForceLowercase=true&DbGroups=ETL,b", Map.of(), Map.of()).dbGroups())
        .as("v1, lowered as the driver lowers them").containsExactly("etl", "b");
  }

  @Test
  void anyFileTheDriverMayReadOnItsOwnMeansNoGroups(@TempDir Path dir) throws Exception {
    Path jar = Files.createDirectories(dir.resolve("jar"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Map<String, String> none = Map.of();
    assertThat(DbGroupsSent.driverFilesMayApply(none, k -> null, jar.toString(), home.toString(), tmp.toString(), false))
        .as("no file anywhere").isFalse();
    assertThat(DbGroupsSent.driverFilesMayApply(Map.of("inifile", "x.ini"), k -> null, null, null, null, false)).isTrue();
    assertThat(DbGroupsSent.driverFilesMayApply(none, k -> DbGroupsSent.INI_ENV.equals(k) ? "/x.ini" : null, null, null, null,
        false)).isTrue();
    assertThat(DbGroupsSent.driverFilesMayApply(none, k -> null, null, null, null, true)).as("driverconfig.properties").isTrue();
    for (Path folder : List.of(jar, home, tmp)) {
      Path ini = Files.writeString(folder.resolve("rsjdbc.ini"), "[DRIVER]\ngroupfederation=true\n");
      assertThat(DbGroupsSent.driverFilesMayApply(none, k -> null, jar.toString(), home.toString(), tmp.toString(), false))
          .as("rsjdbc.ini in " + folder.getFileName()).isTrue();
      Files.delete(ini);
    }
  }
}
