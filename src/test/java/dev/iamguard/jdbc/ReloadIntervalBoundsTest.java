package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.PolicyFileScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iamguard.reload-interval is honoured whatever its size: a registry changed right after it was loaded is
 * not reloaded before an interval of an hour or more has passed (the test takes seconds), up to
 * Long.MAX_VALUE milliseconds. Before, an interval past about 292 years (Long.MAX_VALUE nanoseconds) wrapped
 * to a negative number of nanoseconds, and the files were read and reloaded before every statement: the
 * change below was in force at once. An interval of 0 reloads at once (the control).
 */
class ReloadIntervalBoundsTest {
  private static final String ONE_ROLE = "version: 1\nroles:\n  - arn: arn:aws:iam::123456789012:role/R1\n";
  private static final String TWO_ROLES = ONE_ROLE + "  - arn: arn:aws:iam::123456789012:role/R2\n";

  @TempDir
  Path dir;

  @Test
  void aChangeWaitsForTheIntervalWhateverItsSize() throws Exception {
    List<Long> intervals = new ArrayList<>(List.of(3_600_000L, 86_400_000L, 31_557_600_000L,
        Long.MAX_VALUE / 2_000_000 - 1, Long.MAX_VALUE / 2_000_000, Long.MAX_VALUE / 1_000_000 - 1,
        Long.MAX_VALUE / 1_000_000, Long.MAX_VALUE / 1_000_000 + 1, 10_000_000_000_000L, 1L << 53,
        Long.MAX_VALUE / 2, Long.MAX_VALUE - 1, Long.MAX_VALUE));
    Random random = new Random(20261205L);
    for (int i = 0; i < 60; i++) {
      // an hour and more, spread over every order of magnitude up to Long.MAX_VALUE
      intervals.add(Math.max(3_600_000L, random.nextLong() >>> random.nextInt(42)));
    }
    for (long interval : intervals) {
      Path registry = dir.resolve("registry-" + interval + ".yaml");
      Files.writeString(registry, ONE_ROLE);
      RegistryWatch watch = RegistryWatch.open(registry.toString(), interval, PolicyFileScope.REGISTRY_FOLDER);
      Files.writeString(registry, TWO_ROLES);
      for (int statement = 0; statement < 3; statement++) {
        assertThat(watch.current().registry().roles()).as("interval %d ms, statement %d", interval, statement)
            .hasSize(1);
      }
    }
  }

  @Test
  void anIntervalOfZeroReloadsAtTheNextStatement() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, ONE_ROLE);
    RegistryWatch watch = RegistryWatch.open(registry.toString(), 0, PolicyFileScope.REGISTRY_FOLDER);
    assertThat(watch.current().registry().roles()).hasSize(1);
    Files.writeString(registry, TWO_ROLES);
    assertThat(watch.current().registry().roles()).hasSize(2);
  }
}
