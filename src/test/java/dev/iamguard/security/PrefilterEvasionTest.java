package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hot path's scan, prefilter first ({@link SqlScript#scan}), on the evasion suite's texts:
 * every spelling of every denied statement in every context is sent to inspection, and each
 * earlier statement the suite hides them behind, on its own, is passed only when the full path
 * allows it unchanged.
 */
class PrefilterEvasionTest {

  @Test
  void everyEvasionTextIsInspected() {
    Random random = new Random(17);
    int tried = 0;
    for (EvasionSuiteTest.Base base : EvasionSuiteTest.BASES) {
      for (String spelling : EvasionSuiteTest.spellings(base, random)) {
        for (String text : EvasionSuiteTest.contexts(spelling)) {
          assertThat(SessionEffects.has(SqlScript.scan(text), SessionEffects.INSPECT)).as(text).isTrue();
          tried++;
        }
      }
    }
    assertThat(tried).isGreaterThan(5000);
  }

  @Test
  void theEarlierStatementsPassOnlyWhenTheFullPathAllowsThemUnchanged() {
    int passed = 0;
    List<String> separators = EvasionSuiteTest.SEPARATORS;
    for (String earlier : EvasionSuiteTest.EARLIER) {
      for (String separator : separators) {
        for (String text : List.of(earlier, earlier.strip(), separator + earlier.strip().replace(";", ""))) {
          if (SqlScript.scan(text) != SessionEffects.NONE) {
            continue;
          }
          passed++;
          Session session = Session.of("user1", null);
          Decision decision = EvasionSuiteTest.guard.inspect(text, session);
          assertThat(decision.inspected()).as(text).isFalse();
          assertThat(decision.sessionAfter()).as(text).isEqualTo(session);
        }
      }
    }
    assertThat(passed).isGreaterThan(10);
  }
}
