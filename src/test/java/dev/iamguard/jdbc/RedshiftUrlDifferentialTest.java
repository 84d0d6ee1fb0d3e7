package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.redshift.util.RedshiftProperties;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Test;

/**
 * {@link RedshiftUrl} reads every URL of a generated class as the Redshift driver 2.2.5 itself does
 * ({@code com.amazon.redshift.Driver.parseURL}, called directly: the driver is a test dependency),
 * and so does {@link Identity#login} for what decides the identity (IAM, login user, DbGroups).
 * The class puts {@code ;} and {@code ?} in every order after the path of both URL forms: the guard
 * used to read the arguments after the {@code ?} of {@code jdbc:redshift:iam://h/dev;?DbGroups=etl},
 * which the driver throws away, and so counted a group the server never joined.
 */
class RedshiftUrlDifferentialTest {
  private static final String PROVISIONED = "prod.abc123.us-east-1.redshift.amazonaws.com";
  private static final String SERVERLESS = "wg1.123456789012.eu-west-1.redshift-serverless.amazonaws.com";

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> server = Arbitraries.of("jdbc:redshift://h:5439/dev", "jdbc:redshift:iam://h:5439/dev",
        "jdbc:redshift:iam://" + PROVISIONED + ":5439/dev", "jdbc:redshift:iam://" + SERVERLESS + "/dev",
        "jdbc:redshift://" + PROVISIONED + ":5439/dev", "jdbc:redshift:iam://c:us-east-1/dev", "jdbc:redshift:iam://h/dev",
        "jdbc:redshift://h1:5439,h2:5440/dev", "jdbc:redshift:iam://h", "jdbc:redshift:dev", "jdbc:redshift://h");
    Arbitrary<String> argument = Arbitraries.of("DbGroups=etl", "dbgroups=a%2Cb", "IAMAuth=false", "iamauth=true",
        "ClusterID=sandbox", "ssl=true", "DbUser=u1", "user=p", "Region=eu-west-1", "groupFederation=true", "x", "", "y=%41");
    Arbitrary<String> separator = Arbitraries.of("?", ";", "&");
    Arbitrary<List<String>> pieces = Combinators.combine(separator, argument).as((s, a) -> s + a).list().ofMaxSize(5);
    return Combinators.combine(server, pieces).as((s, p) -> s + String.join("", p));
  }

  @Property(tries = 1500)
  void readsEveryUrlAsTheDriverDoes(@ForAll("urls") String url, @ForAll("properties") Map<String, String> properties)
      throws Exception {
    Properties info = new Properties();
    info.putAll(properties);
    Properties driver = com.amazon.redshift.Driver.parseURL(url, new RedshiftProperties(info, new Properties()));
    Map<String, String> guard = RedshiftUrl.read(url, info);
    if (driver == null) {
      assertThat(guard).as("the driver refuses " + url).isNull();
      return;
    }
    Map<String, String> expected = new HashMap<>();
    driver.stringPropertyNames().forEach(n -> expected.put(n, driver.getProperty(n)));
    assertThat(guard).as(url + " " + properties).isEqualTo(expected);

    Identity.Login login = IdentityTest.loginUnlessRefused(url, properties);
    if (login == null) {
      return; // a ClusterID naming another cluster than the host (UrlPlaceTest): refused, nothing counts
    }
    boolean iam = Boolean.parseBoolean(driver.getProperty("iamauth"));
    assertThat(login.iam()).as("IAM of " + url).isEqualTo(iam);
    String user = iam && driver.getProperty("dbuser") != null ? driver.getProperty("dbuser") : driver.getProperty("user");
    assertThat(login.declaredUser()).as("login user of " + url).isEqualTo(user);
    if (!iam || driver.getProperty("dbgroups") == null) {
      assertThat(login.dbGroups()).as("DbGroups the driver does not send, of " + url).isEmpty();
    }
  }

  @Provide
  Arbitrary<Map<String, String>> properties() {
    return Arbitraries.maps(Arbitraries.of("DbGroups", "ClusterID", "IAMAuth", "user", "host", "Region"),
        Arbitraries.of("q1", "true", "sandbox")).ofMaxSize(3);
  }

  @Test
  void aSemicolonBeforeTheQueryOfAnIamUrlThrowsTheQueryAway() throws Exception {
    String base = "jdbc:redshift:iam://" + PROVISIONED + ":5439/dev";
    List<String> found = new ArrayList<>();
    for (String url : List.of(base + ";?DbGroups=etl", base + ";ssl=true?DbGroups=etl", base + ";IAMAuth=true?DbGroups=etl")) {
      found.addAll(IdentityTest.login(url, Map.of("user", "u"), Map.of()).dbGroups());
    }
    assertThat(found).as("the driver sends none of these DbGroups").isEmpty();
    Identity.Login off = IdentityTest.login(base + ";IAMAuth=false?DbGroups=etl", Map.of("user", "u"), Map.of());
    assertThat(off.iam()).as(";IAMAuth=false? turns IAM off").isFalse();
    assertThat(off.dbGroups()).isEmpty();
  }
}
