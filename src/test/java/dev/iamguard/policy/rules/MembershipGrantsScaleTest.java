package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of ASSUMEROLE grants to Redshift roles or groups the user does not hold, read before the
 * one that decides, while the user holds thousands of db_roles or groups: the user's roles (their
 * closure through db_roles) and groups were worked out again for every such grant, so one COPY
 * took time quadratic in the registry (4,000 of each: 2.2 s, 8,000: 9.1 s, 20,000: about a minute
 * per statement, in the driver's statement path). Each statement now works them out once. The
 * decisions are those of the same registry with 3 of each (hand-checked: the last grant alone
 * names a role or group the user holds, through the end of the chain of db_roles or the last group).
 */
class MembershipGrantsScaleTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R0";

  /**
   * n grants on R0 for COPY to {@code kind}:x0.. (held by no one) and, when {@code held}, last a grant to
   * the last of u1's n groups or to the end of its chain of n db_roles (u1 holds d0, d0 holds d1, ...).
   */
  static String registry(int n, String kind, boolean held) {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
        + "    region: us-west-2\n    attached_roles: [" + ROLE + "]\nroles:\n  - arn: " + ROLE + "\n"
        + "    allow: { s3_read: [\"s3://bkt/p/\"] }\ngrants:\n");
    for (int i = 0; i < n; i++) {
      yaml.append("  - on: [" + ROLE + "]\n    to: [\"" + kind + ":x" + i + "\"]\n    for: [COPY]\n");
    }
    if (held) {
      String last = kind.equals("group") ? "g" + (n - 1) : "d" + (n - 1);
      yaml.append("  - on: [" + ROLE + "]\n    to: [\"" + kind + ":" + last + "\"]\n    for: [COPY]\n");
    }
    yaml.append("users:\n  u1: { groups: [");
    for (int i = 0; i < n; i++) {
      yaml.append(i > 0 ? ", " : "").append('g').append(i);
    }
    yaml.append("], roles: [d0] }\ndb_roles:\n");
    for (int i = 0; i < n; i++) {
      yaml.append("  d").append(i).append(": { roles: [").append(i + 1 < n ? "d" + (i + 1) : "").append("] }\n");
    }
    return yaml.toString();
  }

  @ParameterizedTest
  @CsvSource({"3, role", "3, group", "20000, role", "20000, group"})
  @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aGrantAfterThousandsToOthersIsFoundInOnePass(int n, String kind) throws Exception {
    String copy = "copy t from 's3://bkt/p/x' iam_role '" + ROLE + "'";
    for (boolean held : new boolean[] {true, false}) {
      Registry registry = RegistryLoader.parse(registry(n, kind, held), "r.yaml", Path.of("."));
      Guard guard = new Guard(registry);
      for (int statement = 0; statement < 3; statement++) {
        assertThat(guard.inspect(copy, Session.of("u1", "c1")).verdict()).as("%s grants, held %s", kind, held)
            .isEqualTo(held ? Verdict.ALLOW : Verdict.DENY);
      }
      // another user holds none of them: denied either way
      assertThat(guard.inspect(copy, Session.of("u2", "c1")).verdict()).isEqualTo(Verdict.DENY);
    }
  }

  /**
   * 20,000 grants on R0 to groups (or Redshift roles) x0.. that no one is in, and one to {@code mine},
   * the one group (or role) u1 holds. Hand-checked: u1's COPY is allowed by the grant to mine; u2
   * holds nothing and is denied. (That a statement reads only the grants to what its user holds is
   * counted in {@code GroupGrantLookupTest}.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"group", "role"})
  @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aGrantToTheOneGroupOrRoleHeldAmongThousandsDecides(String kind) throws Exception {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
        + "    region: us-west-2\n    attached_roles: [" + ROLE + "]\nroles:\n  - arn: " + ROLE + "\n"
        + "    allow: { s3_read: [\"s3://bkt/p/\"] }\ngrants:\n");
    for (int i = 0; i < 20_000; i++) {
      yaml.append("  - on: [" + ROLE + "]\n    to: [\"" + kind + ":x" + i + "\"]\n    for: [COPY]\n");
    }
    yaml.append("  - on: [" + ROLE + "]\n    to: [\"" + kind + ":mine\"]\n    for: [COPY]\n");
    yaml.append("users:\n  u1: { ").append(kind.equals("group") ? "groups" : "roles").append(": [mine] }\n  u2: {}\n");
    Guard guard = new Guard(RegistryLoader.parse(yaml.toString(), "r.yaml", Path.of(".")));
    String copy = "copy t from 's3://bkt/p/x' iam_role '" + ROLE + "'";
    for (int statement = 0; statement < 3; statement++) {
      assertThat(guard.inspect(copy, Session.of("u1", "c1")).verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(guard.inspect(copy, Session.of("u2", "c1")).verdict()).isEqualTo(Verdict.DENY);
    }
  }
}
