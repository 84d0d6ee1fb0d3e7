package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The password of a URL's user info holding a {@code ?} or a {@code #} ({@code //bob:pa?ss@host}),
 * alone or beside blanks and {@code ;}: the masking ended every reading of the password at a query
 * or fragment mark, so the URL masked ({@code Redactor.redactUrl}), the driver's "no registered
 * JDBC driver accepts" refusal, {@code iamguard run}'s "cannot connect to" and the secret values a
 * target driver's error is masked with printed it whole, or gave nothing.
 *
 * <p>Generated: five URL schemes x user names x passwords of distinctive random runs joined by
 * {@code ?}, {@code #} and their mixes with blanks, {@code ;}, {@code &}, {@code =} and {@code @} x
 * tails ({@code ?} and {@code ;} arguments, none). The oracle is each run, which no output may hold.
 * The controls: a URL without user info and with a path keeps its host, port, database and an
 * {@code @} in an argument readable. A password holding both a {@code /} and a {@code ?} or
 * {@code #} is left out: a reading that runs past a {@code /} would mask {@code /dev?user=bob@corp}
 * in every URL (a gap the README states).
 */
class UserInfoQueryMarksTest {
  private static final String[] SCHEMES = {"jdbc:iamguard:redshift://", "jdbc:redshift://", "jdbc:postgresql://",
      "jdbc:redshift:iam://", "jdbc:iamguard:postgresql://"};
  private static final String[] USERS = {"bob", "bo b", "AKIAIOSFODNN7EXAMPLE", "etl.user"};
  private static final String[] JOINS = {"?", "#", "??", "?x=", "#f", " ? ", "?;", "; #", "?\u00a0", "#\t", "?&", "=?",
      "@?", "?@", "#@#", "&#", "? ;"};
  private static final String[] TAILS = {"", "?ssl=true", ";ssl=true", "?ssl=true&user=ops@corp", "#frag"};

  private final Random random = new Random(2026120548L);

  @Test
  void noPasswordRunIsPrinted() {
    int urls = 0;
    int leaking = 0;
    List<String> leaks = new ArrayList<>();
    for (String scheme : SCHEMES) {
      for (String user : USERS) {
        for (String tail : TAILS) {
          for (String host : List.of("@redshift-cluster.example.com:5439/dev", "@redshift-cluster.example.com/dev",
              "@[::1]:5439/dev")) {
            for (int n = 0; n < 8; n++) {
              List<String> runs = new ArrayList<>();
              String password = password(runs, null);
              String url = scheme + user + ":" + password + host + tail;
              urls++;
              leaking += UserInfoPasswords.leaks(url, outputs(url, password), runs, leaks) ? 1 : 0;
            }
          }
        }
      }
    }
    assertThat(urls).isEqualTo(5 * 4 * 5 * 3 * 8);
    assertThat(leaking).as(urls + " URLs, these among those printing their password: " + leaks).isZero();
  }

  /** The driver refuses a URL no registered driver accepts, with the URL in its message: the password masked. */
  @Test
  void theDriversRefusalPrintsNoPassword() {
    UserInfoPasswords.assertRefusalsMask(random, JOINS);
  }

  /** A URL without user info, with a path, keeps its host, port, database and arguments readable. */
  @Test
  void urlsWithoutUserInfoKeepTheirPlace() {
    for (String scheme : SCHEMES) {
      for (String tail : List.of("?user=bob@corp&ssl=true", "?user=bob@corp#x", "#bob@corp", "?password=Hunter0912&user=a@b")) {
        String url = scheme + "redshift-cluster.example.com:5439/dev" + tail;

        assertThat(Redactor.redactUrl(url)).as(url).contains("redshift-cluster.example.com:5439/dev")
            .doesNotContain("Hunter0912");
        assertThat(Redactor.redactMessage("cannot connect to " + url + ": timed out")).as(url)
            .contains("redshift-cluster.example.com:5439/dev").doesNotContain("Hunter0912");
        assertThat(Redactor.secretsOf(url, new Properties())).as(url).allMatch(s -> s.equals("Hunter0912"));
      }
    }
  }

  private static List<String> outputs(String url, String password) {
    List<String> secrets = Redactor.secretsOf(url, new Properties());
    String driverMessage = "FATAL: password authentication failed for \"" + password + "\"";
    return List.of(Redactor.redactUrl(url), Redactor.redactMessage("iamguard: cannot connect to " + url + ": timed out"),
        Redactor.redactMessage(driverMessage, secrets), Redactor.redactMessage(url, secrets));
  }

  private String password(List<String> runs, String join) {
    return UserInfoPasswords.password(random, JOINS, runs, join);
  }
}
