package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.RegistryReloadTest.version;
import static dev.iamguard.jdbc.RegistryReloadTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.PolicyFileScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reloads of one registry on two threads (with {@code iamguard.reload-interval} 0 every statement
 * checks the files, so threads reload side by side): one reads the file, is held before it installs
 * what it read, and meanwhile the file is rewritten again and another thread reloads and installs the
 * newer version. The held reload must not then install its older reading over the newer one: a
 * registry that removed a role would allow it again, for the decisions until the next check (with an
 * interval above 0, for a whole interval). Without the fix the older version was in force in every
 * round. The oracle is the version the file held last.
 */
class RegistryReloadOrderTest {
  @TempDir
  Path dir;

  /** The version a registry of {@link RegistryReloadTest#version} is: the number of its one role. */
  private static int versionOf(Guard guard) {
    String arn = String.valueOf(guard.registry().clusters().get(0).attachedRoles().get(0));
    return Integer.parseInt(arn.substring(arn.lastIndexOf("/V") + 2));
  }

  @Test
  void aReloadHeldAfterItsReadingNeverInstallsItOverANewerOne() throws Exception {
    List<String> failed = new ArrayList<>();
    int rounds = 0;
    for (long interval : new long[] {0, 3_600_000}) {
      for (int round = 0; round < 20; round++) {
        int older = 2 * round + 1;
        int newer = older + 1;
        Path registry = dir.resolve("registry-" + interval + "-" + round + ".yaml");
        write(registry, version(0));
        RegistryWatch watch = RegistryWatch.open(registry.toString(), interval, PolicyFileScope.REGISTRY_FOLDER);
        write(registry, version(older));
        if (interval > 0) {
          watch.refresh(); // a change applies once it reads the same at two checks: this is the first
        }
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        watch.afterRead(() -> {
          if (first.compareAndSet(true, false)) {
            read.countDown();
            Interleavings.await(release);
          }
        });
        Throwable[] failure = new Throwable[1];
        Thread held = Interleavings.start("held reload", failure, watch::refresh);
        Interleavings.await(read); // it read the older version and has not installed it
        write(registry, version(newer));
        watch.refresh();
        if (interval > 0) {
          watch.refresh();
        }
        assertThat(versionOf(watch.latest())).as("the newer version installed").isEqualTo(newer);
        release.countDown();
        Interleavings.join(held);
        assertThat(failure[0]).isNull();
        rounds++;
        if (versionOf(watch.latest()) != newer) {
          failed.add("interval " + interval + ": version " + versionOf(watch.latest()) + " in force after " + newer);
        }
      }
    }
    assertThat(failed).as("rounds of %s in which an older registry came back", rounds).isEmpty();
  }
}
