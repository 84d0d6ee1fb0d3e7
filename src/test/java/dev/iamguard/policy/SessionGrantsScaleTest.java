package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A script of tens of thousands of GRANT ASSUMEROLE statements (a migration granting every loader
 * user), and COPYs after them or between them: every COPY used to apply all the script's grants
 * again (and every GRANT copied all the earlier ones), so 20,000 GRANTs and 20,000 COPYs took 72 s
 * to check and 40,000 of each about five minutes. The privileges a session's grants leave are now
 * worked out once per GRANT, from those before it. The timeouts are hang guards against that
 * growth, not time budgets: these scripts take a few seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionGrantsScaleTest {
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
  private static final String COPY = "copy venue from 's3://companyb/redshift/venue' iam_role '" + CHAIN + "';\n";
  private static Guard guard;

  @BeforeAll
  static void registry() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  private static String grant(String user) {
    return "grant assumerole on '" + CHAIN + "' to " + user + " for copy;\n";
  }

  private static boolean granted(StatementDecision copy) {
    return copy.allFindings().stream().noneMatch(f -> f.rule() == RuleId.ASSUMEROLE_NOT_GRANTED);
  }

  @Test
  void fortyThousandGrantsThenCopiesEachCheckedAgainstThemAll() {
    int n = 40_000;
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sql.append(grant("loader" + i));
    }
    sql.append(COPY.repeat(n)); // loader7 runs them: granted above, 7 grants in
    sql.append("revoke assumerole on '").append(CHAIN).append("' from loader7 for copy;\n").append(COPY);

    Decision decision = guard.inspect(sql.toString(), Session.of("loader7", null));

    List<StatementDecision> statements = decision.statements();
    assertThat(statements).hasSize(2 * n + 2);
    assertThat(statements.subList(n, 2 * n)).allSatisfy(copy -> assertThat(granted(copy)).isTrue());
    assertThat(granted(statements.get(2 * n + 1))).as("the COPY after the REVOKE").isFalse();
  }

  @Test
  void fortyThousandGrantsEachFollowedByACopy() {
    int n = 40_000;
    StringBuilder sql = new StringBuilder(COPY);
    for (int i = 0; i < n; i++) {
      sql.append(grant("loader" + i)).append(COPY);
    }

    Decision decision = guard.inspect(sql.toString(), Session.of("loader" + (n - 1), null));

    List<StatementDecision> statements = decision.statements();
    assertThat(statements).hasSize(2 * n + 1);
    // the user's own grant is the last one: every COPY before it is denied, the last one is not
    for (int i = 0; i < n; i++) {
      assertThat(granted(statements.get(2 * i))).as("COPY %d", i).isFalse();
    }
    assertThat(granted(statements.get(2 * n))).isTrue();
  }

  /**
   * Each REVOKE used to copy and read every privilege the GRANTs before it left (20,000 of each:
   * 12.7 s; 40,000: about 50 s); it is now kept on top of them and read as they are looked up. The
   * timeout is tighter than the class's, so that this growth fails it.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fortyThousandGrantsThenEachRevokedBeforeACopy() {
    int n = 40_000;
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sql.append(grant("loader" + i));
    }
    for (int i = 0; i < n; i++) {
      sql.append("revoke assumerole on '").append(CHAIN).append("' from loader").append(i).append(" for copy;\n")
          .append(COPY);
    }

    Decision decision = guard.inspect(sql.toString(), Session.of("loader7", null));

    List<StatementDecision> statements = decision.statements();
    assertThat(statements).hasSize(3 * n);
    // loader7 holds the chain until its own REVOKE, the eighth: the COPYs before it pass, none after it
    for (int i = 0; i < n; i++) {
      assertThat(granted(statements.get(n + 2 * i + 1))).as("COPY after REVOKE %d", i).isEqualTo(i < 7);
    }
  }
}
