package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A finding's sentence masks the statement's secret values (so that a password a rule quotes is not
 * printed), but its head, {@code iamguard: RULE in statement N (...): }, quotes nothing of the
 * statement and stays as it is: tools match it. Found by GuardProperties: a statement whose odd
 * quoting gave a secret reading holding {@code iam} printed {@code ***guard: AUTH_UNPARSEABLE}. Each
 * value here is a piece of that head or of the words around the rule (three characters or more, the
 * shortest value masked), put where a secret stands, in statements the guard refuses or allows with
 * findings.
 */
class FindingHeadUnmaskedTest {
  private static final Registry REGISTRY = GuardProperties.REGISTRY;
  private static final List<String> VALUES = List.of("iam", "iamguard", "guard", "amg", "iamguard:", "statement",
      "in statement", "Remedy", "Remedy:", "line", "AUTH", "AUTH_UNPARSEABLE", "UNPARSEABLE", "OTHER", "COPY",
      "S3_NOT_PERMITTED", "ROLE", "ARN", "statement 1", "(line", ": ");
  private static final List<String> SHAPES = List.of(
      "select 1 access_key_id '%s'",
      "copy t from 's3://data/in/x' access_key_id '%s' secret_access_key 'x%sx'",
      "copy t from 's3://data/in/x' credentials 'aws_access_key_id=AKIAPROPSECRET04;aws_secret_access_key=%s'",
      "copy t from 's3://u:%s@partner/in/x' iam_role 'loader'",
      " iam_role ' access_key_id '%s' iam_role '" + Fixture.LOADER + "'",
      "copy t from 's3://partner/in/x' iam_role '" + Fixture.LOADER + "' session_token '%s' master_symmetric_key '%s'",
      "unload ('select 1') to 's3://u:%s@data/out/x' iam_role 'loader'");

  @Test
  void theHeadOfEveryFindingIsLeftAsItIs() {
    Guard guard = new Guard(REGISTRY);
    int findings = 0;
    for (String shape : SHAPES) {
      for (String value : VALUES) {
        String sql = shape.replace("%s", value);
        for (Session session : List.of(new Session("user1", List.of(), List.of(), null),
            new Session("user2", List.of("etl"), List.of(), null))) {
          Decision decision = guard.inspect(sql, session);
          for (Finding finding : decision.findings()) {
            findings++;
            assertThat(finding.message()).as("%s as %s", sql, session)
                .startsWith("iamguard: " + finding.rule() + " in statement 1 (line 1, ").contains(". Remedy: ");
          }
        }
      }
    }
    assertThat(findings).as("findings looked at").isGreaterThan(VALUES.size() * SHAPES.size());
  }
}
