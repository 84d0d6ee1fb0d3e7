package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code db_roles} granted one to the next in long chains and rings: the loader's search for a role
 * that holds itself recursed once per role of a chain (a chain of 4,000 roles overflowed the stack:
 * a raw StackOverflowError out of the loader, the CLI's "a statement nests too deeply", the driver's
 * connect) and walked the chain again from each of its roles (quadratic). Chains and rings of
 * 20,000 roles now load, or are refused with the one cycle, and a grant to the last role of a chain
 * reaches a user holding the first, as it does for a chain of three. Small random grant graphs are
 * reported exactly as a plain recursive search (the previous code, copied here as the oracle) reports
 * them, and every reported path is a cycle of written grants.
 */
class DbRoleChainScaleTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R0";

  /** A registry whose user u1 holds d0; d0 is granted d1, ... (and d(n-1) is granted {@code last}, if any). */
  static String chain(int n, String last, boolean grantToLast) {
    StringBuilder yaml = new StringBuilder("version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
        + "    region: us-west-2\n    attached_roles: [" + ROLE + "]\nroles:\n  - arn: " + ROLE + "\n"
        + "    allow: { s3_read: [\"s3://bkt/p/\"] }\n");
    yaml.append("grants:\n  - on: [" + ROLE + "]\n    to: [\"role:")
        .append(grantToLast ? "d" + (n - 1) : "nobody").append("\"]\n    for: [COPY]\n");
    yaml.append("users:\n  u1: { roles: [d0] }\ndb_roles:\n");
    for (int i = 0; i < n; i++) {
      String next = i + 1 < n ? "d" + (i + 1) : last;
      yaml.append("  d").append(i).append(": { roles: [").append(next == null ? "" : next).append("] }\n");
    }
    return yaml.toString();
  }

  private static Verdict copyAsU1(Registry registry) {
    return new Guard(registry).inspect("copy t from 's3://bkt/p/x' iam_role '" + ROLE + "'",
        Session.of("u1", "c1")).verdict();
  }

  private static List<String> problems(String yaml) {
    RegistryException refused = catchThrowableOfType(() -> RegistryLoader.parse(yaml, "r.yaml", Path.of(".")),
        RegistryException.class);
    assertThat(refused).as("refused").isNotNull();
    return refused.problems().stream().map(RegistryProblem::message).toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 20_000})
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLongChainLoadsAndPassesTheGrantAlong(int n) throws Exception {
    assertThat(copyAsU1(RegistryLoader.parse(chain(n, null, true), "r.yaml", Path.of("."))))
        .isEqualTo(Verdict.ALLOW);
    assertThat(copyAsU1(RegistryLoader.parse(chain(n, null, false), "r.yaml", Path.of("."))))
        .isEqualTo(Verdict.DENY);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 20_000})
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLongRingIsRefusedWithItsOneCycle(int n) {
    List<String> problems = problems(chain(n, "d0", true));
    String tail = "d" + (n - 2) + " -> d" + (n - 1) + " -> d0; Redshift refuses to grant a role to a role that holds"
        + " it: remove one of these grants";
    // one problem: the whole ring from d0 (a long one shortened in its middle, as every long problem is)
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("role \"d0\" holds itself through d0 -> d1 -> d2 -> ").endsWith(tail);
    if (n == 3) {
      assertThat(problems.get(0)).isEqualTo("role \"d0\" holds itself through d0 -> " + tail);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aLongChainEndingInASmallRingReportsTheRingOnly() {
    // d0 -> ... -> d(n-1) -> d(n-3): the ring d(n-3) -> d(n-2) -> d(n-1) -> d(n-3) at the end of a long tail
    int n = 20_000;
    List<String> problems = problems(chain(n, "d" + (n - 3), true));
    assertThat(problems).containsExactly("role \"d" + (n - 3) + "\" holds itself through d" + (n - 3) + " -> d"
        + (n - 2) + " -> d" + (n - 1) + " -> d" + (n - 3) + "; Redshift refuses to grant a role to a role that"
        + " holds it: remove one of these grants");
  }

  @Test
  void smallRandomGraphsAreReportedAsARecursiveSearchReportsThem() {
    Random random = new Random(20261205);
    int withCycles = 0;
    for (int round = 0; round < 3000; round++) {
      int roles = 1 + random.nextInt(7);
      Map<String, List<String>> grants = new LinkedHashMap<>();
      for (int r = 0; r < roles; r++) {
        List<String> granted = new ArrayList<>();
        int count = random.nextInt(4);
        for (int g = 0; g < count; g++) {
          // a few names that are no db_role at all, and one in upper case (folded)
          int target = random.nextInt(roles + 2);
          granted.add(target == roles ? "x" : target == roles + 1 ? "D0" : "d" + target);
        }
        grants.put("d" + r, granted);
      }
      StringBuilder yaml = new StringBuilder("version: 1\ndb_roles:\n");
      grants.forEach((role, granted) -> yaml.append("  ").append(role).append(": { roles: [")
          .append(String.join(", ", granted)).append("] }\n"));
      List<String> expected = oracle(grants);
      List<String> actual;
      try {
        RegistryLoader.parse(yaml.toString(), "r.yaml", Path.of("."));
        actual = List.of();
      } catch (RegistryException refused) {
        actual = refused.problems().stream().map(RegistryProblem::message).toList();
      }
      assertThat(actual).as(yaml.toString()).isEqualTo(expected);
      for (String problem : actual) {
        String path = problem.substring(problem.indexOf("through ") + 8, problem.indexOf(';'));
        String[] steps = path.split(" -> ");
        assertThat(steps[0]).as(problem).isEqualTo(steps[steps.length - 1]);
        for (int i = 0; i + 1 < steps.length; i++) {
          assertThat(grants.get(steps[i]).stream().map(String::toLowerCase)).as(problem).contains(steps[i + 1]);
        }
      }
      withCycles += actual.isEmpty() ? 0 : 1;
    }
    assertThat(withCycles).isBetween(300, 2700); // both kinds of graph were drawn
  }

  /** The messages the previous, recursive search gave (its code, names here all lower case but D0). */
  private static List<String> oracle(Map<String, List<String>> grants) {
    List<String> problems = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (String name : grants.keySet()) {
      List<String> cycle = reported.contains(name) ? List.of()
          : recursive(name, name, grants, new ArrayList<>(List.of(name)), new HashSet<>());
      if (!cycle.isEmpty()) {
        reported.addAll(cycle);
        problems.add("role \"" + name + "\" holds itself through " + String.join(" -> ", cycle)
            + "; Redshift refuses to grant a role to a role that holds it: remove one of these grants");
      }
    }
    return problems;
  }

  private static List<String> recursive(String start, String at, Map<String, List<String>> grants, List<String> path,
      Set<String> seen) {
    List<String> granted = grants.get(at);
    if (granted == null) {
      return List.of();
    }
    for (String written : granted) {
      String next = written.toLowerCase();
      if (next.equals(start)) {
        List<String> found = new ArrayList<>(path);
        found.add(next);
        return found;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = recursive(start, next, grants, path, seen);
        if (!found.isEmpty()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return List.of();
  }
}
