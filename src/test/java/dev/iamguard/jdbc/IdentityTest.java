package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.util.RedshiftProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * What a URL and properties say about who logs in: the cluster from the host, and the Redshift
 * driver's own rules for IAM authentication, DbUser, DbGroups and which of URL and properties
 * wins, checked against the driver itself ({@code com.amazon.redshift.Driver.parseURL}).
 */
class IdentityTest {
  static Identity.Login login(String url, Map<String, String> properties, Map<String, String> settings) throws java.sql.SQLException {
    Properties props = new Properties();
    props.putAll(properties);
    GuardConfig config = GuardConfig.resolve(new Properties(), settings, k -> null, k -> null);
    return Identity.login(url, props, config);
  }

  /** The login, or null when it is refused for naming two clusters ({@link UrlPlace}). */
  static Identity.Login loginUnlessRefused(String url, Map<String, String> properties) throws java.sql.SQLException {
    try {
      return login(url, properties, Map.of());
    } catch (java.sql.SQLException refused) {
      assertThat(refused.getMessage()).contains("so the connection is refused: make them agree");
      return null;
    }
  }

  @Test
  void provisionedHostGivesTheCluster() throws Exception {
    Identity.Login login = login("jdbc:redshift://my-cluster.abc123xyz789.us-west-2.redshift.amazonaws.com:5439/dev",
        Map.of("user", "User1"), Map.of());
    assertThat(login.cluster()).isEqualTo("my-cluster");
    assertThat(login.reports()).isTrue();
    assertThat(login.iam()).isFalse();
  }

  @Test
  void serverlessHostGivesTheWorkgroup() throws Exception {
    assertThat(login("jdbc:redshift://wg1.123456789012.us-east-1.redshift-serverless.amazonaws.com:5439/dev",
        Map.of("user", "u"), Map.of()).cluster()).isEqualTo("wg1");
  }

  @Test
  void iamUrlWithClusterAndRegion() throws Exception {
    Identity.Login login = login("jdbc:redshift:iam://my-cluster:us-west-2/dev", Map.of(), Map.of());
    assertThat(login.cluster()).isEqualTo("my-cluster");
    assertThat(login.iam()).isTrue();
  }

  @Test
  void otherHostsTellNothing() throws Exception {
    assertThat(login("jdbc:redshift://127.0.0.1:5439/dev", Map.of(), Map.of()).cluster()).isNull();
    assertThat(login("jdbc:redshift://redshift.internal.example.com:5439/dev", Map.of(), Map.of()).cluster()).isNull();
    assertThat(login("jdbc:h2:mem:x", Map.of(), Map.of()).cluster()).isNull();
  }

  @Test
  void redshiftAndPostgresqlReportTheirUserAndH2DoesNot() throws Exception {
    assertThat(login("jdbc:redshift://h/dev", Map.of(), Map.of()).reports()).isTrue();
    assertThat(login("jdbc:postgresql://h/dev", Map.of(), Map.of()).reports()).isTrue();
    assertThat(login("jdbc:h2:mem:x", Map.of(), Map.of()).reports()).isFalse();
  }

  @Test
  void dbUserAndDbGroupsCountOnlyForIamAuthentication() throws Exception {
    Identity.Login password = login("jdbc:redshift://h/dev", Map.of("user", "login", "DbUser", "etl", "DbGroups", "a,b"),
        Map.of());
    assertThat(password.iam()).isFalse();
    assertThat(password.declaredUser()).as("the server logs in as user").isEqualTo("login");
    assertThat(password.dbGroups()).isEmpty();

    Identity.Login iam = login("jdbc:redshift:iam://c:us-west-2/dev", Map.of("user", "login", "DbUser", "etl",
        "DbGroups", "a, b"), Map.of());
    assertThat(iam.declaredUser()).isEqualTo("etl");
    assertThat(iam.dbGroups()).containsExactly("a", "b");
  }

  @Test
  void onlyWhatIamLoginAddsIsStripped() {
    assertThat(Identity.withoutIamPrefix("IAM:etl", true)).isEqualTo("etl");
    assertThat(Identity.withoutIamPrefix("IAMA:bob", true)).isEqualTo("bob");
    assertThat(Identity.withoutIamPrefix("IAMR:loader", true)).isEqualTo("loader");
    assertThat(Identity.withoutIamPrefix("IAM:etl", false)).as("a user whose own name carries it").isEqualTo("IAM:etl");
    assertThat(Identity.withoutIamPrefix("iamuser", true)).isEqualTo("iamuser");
  }

  @Test
  void urlArgumentsWinOverPropertiesAndNamesIgnoreCase() throws Exception {
    // a Region: without one the driver may take the cluster from the host's CNAME (UrlPlace)
    Identity.Login login = login("jdbc:redshift:iam://h:5439/dev?dbuser=etl&DBGROUPS=etl,loaders&clusterid=c9&region=us-east-1",
        Map.of("DbUser", "other", "ClusterID", "c1"), Map.of());
    assertThat(login.declaredUser()).isEqualTo("etl");
    assertThat(login.dbGroups()).containsExactly("etl", "loaders");
    assertThat(login.cluster()).isEqualTo("c9");
    assertThat(login("jdbc:redshift://h/dev;user=u%41+b", Map.of("user", "p"), Map.of()).declaredUser())
        .as("decoded as the driver decodes it").isEqualTo("uA b");
  }

  @Test
  void theIamAuthPropertyNeverCountsOnlyTheUrlDoes() throws Exception {
    assertThat(login("jdbc:redshift://h/dev", Map.of("IAMAuth", "true"), Map.of()).iam()).isFalse();
    assertThat(login("jdbc:redshift://h/dev?iamauth=true", Map.of(), Map.of()).iam()).isTrue();
    assertThat(login("jdbc:redshift:iam://h/dev;IAMAuth=false", Map.of(), Map.of()).iam()).isFalse();
    assertThat(login("jdbc:redshift:iam://h/dev", Map.of("iamauth", "false"), Map.of()).iam()).isTrue();
  }

  @Test
  void iamguardSettingsAreTheDeclaredIdentity() throws Exception {
    Identity.Login login = login("jdbc:h2:mem:x;USER=sa", Map.of("user", "login"),
        Map.of("iamguard.user", "etl", "iamguard.cluster", "other", "iamguard.groups", "b, c"));
    assertThat(login.declaredUser()).isEqualTo("etl");
    assertThat(login.configuredUser()).isEqualTo("etl");
    assertThat(login.cluster()).isEqualTo("other");
    assertThat(login.declaredSession().groups()).containsExactly("b", "c");
    assertThat(login("jdbc:h2:mem:x;USER=sa", Map.of("user", "login"), Map.of()).declaredUser())
        .as("the URL's user wins").isEqualTo("sa");
  }

  // ---- the Redshift driver is the oracle for its own URL rules

  @Provide
  Arbitrary<String[]> connections() {
    Arbitrary<String> scheme = Arbitraries.of("jdbc:redshift://h:5439/dev", "jdbc:redshift:iam://h:5439/dev",
        "jdbc:redshift:iam://c:us-east-1/dev", "jdbc:redshift://h.x.us-west-2.redshift.amazonaws.com/dev");
    Arbitrary<String> argument = Arbitraries.of("iamauth=true", "IAMAuth=false", "IamAuth=TRUE", "iamauth=1", "iamauth",
        "DbUser=u1", "dbuser=U2", "user=p1", "USER=p2", "UID=p3", "DbGroups=g1,g2", "dbgroups=g3", "x=y", "");
    Arbitrary<List<String>> arguments = argument.list().ofMaxSize(4);
    Arbitrary<Character> separator = Arbitraries.of('?', ';');
    Arbitrary<List<String>> properties = Arbitraries.of("IAMAuth=true", "iamauth=false", "DbUser=q1", "user=q2",
        "DbGroups=h1", "UID=q3").list().uniqueElements(p -> p.substring(0, p.indexOf('=')).toLowerCase()).ofMaxSize(3);
    return Combinators.combine(scheme, arguments, separator, properties).as((s, args, sep, props) -> {
      String url = args.isEmpty() ? s : s + sep + String.join(sep == '?' ? "&" : ";", args);
      List<String> all = new ArrayList<>(List.of(url));
      all.addAll(props);
      return all.toArray(new String[0]);
    });
  }

  @Property(tries = 400)
  void iamUserAndGroupsAreReadAsTheRedshiftDriverReadsThem(@ForAll("connections") String[] connection) throws Exception {
    String url = connection[0];
    Properties info = new Properties();
    for (int i = 1; i < connection.length; i++) {
      String[] pair = connection[i].split("=", 2);
      info.setProperty(pair[0], pair[1]);
    }
    Properties driver = com.amazon.redshift.Driver.parseURL(url, new RedshiftProperties(info, new Properties()));
    assertThat(driver).as("the driver accepts " + url).isNotNull();
    boolean iam = Boolean.parseBoolean(driver.getProperty("iamauth"));
    Map<String, String> properties = new java.util.HashMap<>();
    info.stringPropertyNames().forEach(n -> properties.put(n, info.getProperty(n)));
    Identity.Login login = login(url, properties, Map.of());

    assertThat(login.iam()).as("IAM authentication of " + url + " " + info).isEqualTo(iam);
    String user = iam && driver.getProperty("dbuser") != null ? driver.getProperty("dbuser")
        : driver.getProperty("user") != null ? driver.getProperty("user") : driver.getProperty("uid");
    assertThat(login.declaredUser()).as("login user of " + url + " " + info).isEqualTo(user);
    String groups = driver.getProperty("dbgroups");
    assertThat(String.join(",", login.dbGroups())).as("DbGroups of " + url + " " + info)
        .isEqualTo(iam && groups != null ? groups : "");
  }
}
