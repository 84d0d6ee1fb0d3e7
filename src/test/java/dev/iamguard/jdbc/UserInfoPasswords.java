package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/** Passwords for the user-info masking tests: distinctive runs, each of which no output may print. */
final class UserInfoPasswords {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private UserInfoPasswords() {}

  /**
   * Two or three distinctive runs joined by {@code join}, or by joins drawn from {@code joins} when it
   * is null; each run is added to {@code runs}.
   */
  static String password(Random random, String[] joins, List<String> runs, String join) {
    int count = 2 + random.nextInt(2);
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        password.append(join != null ? join : joins[random.nextInt(joins.length)]);
      }
      StringBuilder run = new StringBuilder("Qx");
      for (int k = 0; k < 8; k++) {
        run.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      runs.add(run.toString());
      password.append(run);
    }
    return password.toString();
  }

  /**
   * Whether one of {@code outputs} of {@code url} prints one of {@code runs}; the first ten such
   * outputs are added to {@code leaks}, for the failure's message.
   */
  static boolean leaks(String url, List<String> outputs, List<String> runs, List<String> leaks) {
    for (String output : outputs) {
      for (String run : runs) {
        if (output.contains(run)) {
          if (leaks.size() < 10) {
            leaks.add(url + "  ->  " + output);
          }
          return true;
        }
      }
    }
    return false;
  }

  /**
   * For each of {@code joins}, the driver refuses a URL no registered driver accepts whose password's
   * runs are joined by it, printing none of the runs but the URL's host, port and database.
   */
  static void assertRefusalsMask(Random random, String[] joins) {
    for (String join : joins) {
      List<String> runs = new java.util.ArrayList<>();
      String password = password(random, joins, runs, join);
      assertRefusalMasks("jdbc:iamguard:nosuchdb://bob:" + password + "@redshift-cluster.example.com:5439/dev", runs);
    }
  }

  private static void assertRefusalMasks(String url, List<String> runs) {
    SQLException refused = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, new Properties()));

    assertThat((Throwable) refused).as(url).isNotNull();
    for (String run : runs) {
      assertThat(String.valueOf(refused)).as(url).doesNotContain(run).contains("redshift-cluster.example.com:5439/dev");
    }
  }
}
