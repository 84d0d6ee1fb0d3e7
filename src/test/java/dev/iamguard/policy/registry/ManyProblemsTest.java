package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A registry with any number of problems fails with a bounded report: every problem up to the first
 * thousand, in file order, then how many more there are. Before, each problem was kept and listed:
 * 200,000 bad list items (5 MB of YAML) made an error message of 24 MB, and the largest registry the
 * reader takes (64 M chars) one of about 300 MB.
 */
class ManyProblemsTest {

  private static String registry(int badRoles) throws Exception {
    StringBuilder bad = new StringBuilder("    attached_roles:\n");
    for (int i = 0; i < badRoles; i++) {
      bad.append("      - not-a-role-").append(i).append('\n');
    }
    return Files.readString(Path.of("samples/registry.yaml")).replaceFirst("    attached_roles:\\s*\\n", bad.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 999, 1_000, 1_001, 5_000, 200_000})
  void theFirstThousandProblemsAreListedAndTheRestCounted(int badRoles) throws Exception {
    RegistryException e = catchThrowableOfType(() -> RegistryLoader.parse(registry(badRoles), "many.yaml", Path.of(".")),
        RegistryException.class);

    assertThat(e.count()).isEqualTo(badRoles);
    List<RegistryProblem> listed = e.problems();
    assertThat(listed).hasSize(Math.min(badRoles, Problems.KEPT));
    for (int i = 0; i < listed.size(); i++) {
      assertThat(listed.get(i).path()).isEqualTo("clusters[0].attached_roles[" + i + "]");
      assertThat(listed.get(i).message()).contains("not-a-role-" + i);
    }
    assertThat(listed).extracting(RegistryProblem::line).isSorted();
    String message = e.getMessage();
    assertThat(message).startsWith("registry many.yaml has " + (badRoles == 1 ? "1 problem:" : badRoles + " problems:"));
    assertThat(message.lines().filter(line -> line.contains("not-a-role-")).count()).isEqualTo(listed.size());
    if (badRoles > Problems.KEPT) {
      assertThat(message).endsWith("... and " + (badRoles - Problems.KEPT) + " more, not listed: fix the 1000 above first"
          + " (problems often follow from earlier ones)");
    } else {
      assertThat(message).doesNotContain("more, not listed");
    }
    assertThat(message.length()).isLessThan(Problems.KEPT * 200);
  }
}
