package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A secret keyword followed by a bind parameter and then the value written after all
 * ({@code SECRET_ACCESS_KEY ? 'x'}, {@code MASTER_SYMMETRIC_KEY $1 'x'}): the statement is denied
 * (AUTH_PARAMETER), and its audit line's sql printed the literal whole. Oracle: the value the test
 * wrote; the redacted text must not hold it, for every keyword, parameter form and literal form.
 */
class ValueAfterParameterTest {
  private static final List<String> KEYWORDS = List.of("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN",
      "MASTER_SYMMETRIC_KEY", "CREDENTIALS", "PASSWORD", "secret_access_key");
  private static final List<String> PARAMETERS = List.of("?", "$1", "$12", "? ", "?\n", "? /* c */");
  private static final List<String> VALUES = List.of("hunter2zebra", "p4ss word", "Zq9xW-secret_value",
      "k=v;tok", "abc$def", "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY");

  @Test
  void aValueWrittenAfterAParameterInASecretsPlaceIsMasked() {
    assertNoLeak(PARAMETERS);
  }

  /**
   * Every keyword, then each of {@code between}, then each value in each literal form, after three
   * statement heads: the redacted text must hold none of the values.
   */
  static void assertNoLeak(List<String> between) {
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (String keyword : KEYWORDS) {
      for (String parameter : between) {
        for (String value : VALUES) {
          for (String literal : List.of("'" + value + "'", "E'" + value + "'", "$$" + value + "$$",
              "$k$" + value + "$k$", "'" + value)) {
            for (String head : List.of("COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID 'AKIAQWERTYUIOPASDFGH' ",
                "UNLOAD ('select 1') TO 's3://lake/out/x_' IAM_ROLE 'loader' ", "ALTER USER bob ")) {
              String sql = head + keyword + " " + parameter + " " + literal;
              String redacted = Redactor.redact(sql);
              checked++;
              if (redacted.contains(value)) {
                leaks.add(sql + " -> " + redacted);
              }
            }
          }
        }
      }
    }
    assertThat(leaks).as("%d of %d texts leak", leaks.size(), checked).isEmpty();
  }

  @Test
  void aParameterAloneStillReadsAsItIs() {
    String sql = "COPY t FROM 's3://lake/in/t/' ACCESS_KEY_ID ? SECRET_ACCESS_KEY ? SESSION_TOKEN ? FORMAT AS CSV";
    assertThat(Redactor.redact(sql)).isEqualTo(sql);
  }
}
