package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The password of a URL's user info written with what no URL syntax allows there, and people write
 * anyway: a space, a tab, a no-break space, a {@code /} ({@code //bob:pa ss@host}, reported as "URL
 * user-info password with a space"), or a user name with a space. The masking read the password only
 * up to white space or a {@code /}, so it was printed whole by the driver's "no registered JDBC driver
 * accepts" refusal, {@code iamguard run}'s connection errors and a target driver's error quoting it.
 *
 * <p>Generated: five URL schemes x user names (plain, with a space or a no-break space, a key id) x
 * passwords made of distinctive random runs joined by those characters (and {@code @}, {@code %20},
 * {@code +}) at random places x tails ({@code ?} and {@code ;} arguments, none). The oracle is each
 * run of the password, which no output may hold: the URL masked, a message quoting it, a driver's
 * message quoting the password as written or decoded, and the driver's own refusal. The controls: a
 * URL without user info keeps its host, port and database readable, an {@code @} in an argument too.
 */
class UserInfoBlanksTest {
  private static final String[] SCHEMES = {"jdbc:iamguard:redshift://", "jdbc:redshift://", "jdbc:postgresql://",
      "jdbc:redshift:iam://", "jdbc:iamguard:postgresql://"};
  private static final String[] USERS = {"bob", "bo b", "b\u00a0ob", "AKIAIOSFODNN7EXAMPLE", "etl.user"};
  private static final String[] JOINS = {" ", "  ", "\t", "\u00a0", "/", "//", " / ", "@", "%20", "+", " @ "};
  private static final String[] TAILS = {"", "?ssl=true", ";ssl=true", "?ssl=true&user=ops@corp"};

  private final Random random = new Random(2026120512L);

  @Test
  void noPasswordRunIsPrinted() {
    int urls = 0;
    int leaking = 0;
    List<String> leaks = new ArrayList<>();
    for (String scheme : SCHEMES) {
      for (String user : USERS) {
        for (String tail : TAILS) {
          for (int n = 0; n < 12; n++) {
            List<String> runs = new ArrayList<>();
            String password = password(runs);
            String url = scheme + user + ":" + password + "@redshift-cluster.example.com:5439/dev" + tail;
            urls++;
            leaking += UserInfoPasswords.leaks(url, outputs(url, password), runs, leaks) ? 1 : 0;
          }
        }
      }
    }
    assertThat(leaking).as(urls + " URLs, these among those printing their password: " + leaks).isZero();
  }

  /** The driver refuses a URL no registered driver accepts, with the URL in its message: the password masked. */
  @Test
  void theDriversRefusalPrintsNoPassword() {
    UserInfoPasswords.assertRefusalsMask(random, JOINS);
  }

  /** A URL without user info keeps its host, port and database readable, an {@code @} in an argument too. */
  @Test
  void urlsWithoutUserInfoKeepTheirPlace() {
    for (String scheme : SCHEMES) {
      for (String tail : List.of(";UID=bob@corp;PWD=Hunter0912", "?user=bob@corp&password=Hunter0912", "",
          "/dev;ssl=true")) {
        String url = scheme + "redshift-cluster.example.com:5439/dev" + tail;
        String masked = Redactor.redactUrl(url);

        assertThat(masked).as(url).contains("redshift-cluster.example.com:5439/dev").doesNotContain("Hunter0912");
        assertThat(Redactor.redactMessage("cannot connect to " + url + ": timed out")).as(url)
            .contains("redshift-cluster.example.com:5439/dev").doesNotContain("Hunter0912");
      }
    }
  }

  private static List<String> outputs(String url, String password) {
    List<String> secrets = Redactor.secretsOf(url, new Properties());
    String decoded = java.net.URLDecoder.decode(password.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    String driverMessage = "FATAL: could not connect with \"" + password + "@redshift-cluster.example.com:5439\" ("
        + decoded + ")";
    return List.of(Redactor.redactUrl(url), Redactor.redactMessage("iamguard: cannot connect to " + url + ": timed out"),
        Redactor.redactMessage("cannot connect to " + url + "\nnext line"),
        Redactor.redactMessage(driverMessage, secrets), Redactor.redactMessage(url, secrets));
  }

  private String password(List<String> runs) {
    return password(runs, null);
  }

  private String password(List<String> runs, String join) {
    return UserInfoPasswords.password(random, JOINS, runs, join);
  }
}
