package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry rewritten in place can be read half-written by a reload, and a cut registry is often
 * valid YAML that grants more: cut before {@code grants:}, the sample registry lets every user use
 * every attached role (user2 may then use the RoleA,RoleB chain that only user1 is granted). Each cut
 * of {@code samples/registry.yaml} (every line end and 300 bytes chosen at random) is written over
 * the loaded registry, in place, and read by a check: the registry loaded before stays in force. The
 * writer finishing (the whole file again, or a new version) is applied once it reads the same at two
 * checks; a cut left in the file is, by then, what its owner wrote, and applies too. With a reload
 * interval of 0 a change applies at the next decision, as README says (the control).
 */
class HalfWrittenRegistryReloadTest {
  private static final long INTERVAL = 3_600_000L; // checks are made by refresh(), never by the clock

  @TempDir
  Path dir;

  private static byte[] sample() throws Exception {
    return Files.readAllBytes(Path.of("samples/registry.yaml"));
  }

  /** Each line end of {@code whole} and 300 lengths chosen at random, the whole length left out. */
  static List<Integer> cuts(byte[] whole) {
    TreeSet<Integer> cuts = new TreeSet<>();
    for (int i = 0; i < whole.length; i++) {
      if (whole[i] == '\n') {
        cuts.add(i + 1);
      }
    }
    Random random = new Random(20261205L);
    for (int i = 0; i < 300; i++) {
      cuts.add(1 + random.nextInt(whole.length - 1));
    }
    cuts.remove(whole.length);
    return new ArrayList<>(cuts);
  }

  private boolean loads(Path file) {
    try {
      RegistryLoader.load(file, PolicyFileScope.REGISTRY_FOLDER);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  private static byte[] cut(byte[] whole, int length) {
    return java.util.Arrays.copyOf(whole, length);
  }

  @Test
  void aCutRegistryReadByACheckIsNotApplied() throws Exception {
    byte[] whole = sample();
    byte[] edited = (new String(whole, StandardCharsets.UTF_8) + "# edited\n").getBytes(StandardCharsets.UTF_8);
    int valid = 0;
    int n = 0;
    for (int length : cuts(whole)) {
      Path registry = dir.resolve("cut-" + n++ + ".yaml");
      Files.write(registry, whole);
      RegistryWatch watch = RegistryWatch.open(registry.toString(), INTERVAL, PolicyFileScope.REGISTRY_FOLDER);
      Guard first = watch.latest();
      Files.write(registry, cut(whole, length));
      if (loads(registry)) {
        valid++;
      }
      watch.refresh();
      assertThat(watch.latest()).as("cut at byte %d of %d, read once", length, whole.length).isSameAs(first);
      // the writer finishes with a new version: seen once, then again
      Files.write(registry, edited);
      watch.refresh();
      assertThat(watch.latest()).as("cut at %d, then the new version read once", length).isSameAs(first);
      watch.refresh();
      assertThat(watch.latest()).as("cut at %d, then the new version read twice", length).isNotSameAs(first);
    }
    // the class this test is about: cuts that load, and so would have been applied
    assertThat(valid).as("cuts that are a valid registry").isGreaterThan(20);
  }

  @Test
  void aWriterPuttingBackTheLoadedBytesChangesNothing() throws Exception {
    byte[] whole = sample();
    int n = 0;
    for (int length : cuts(whole)) {
      Path registry = dir.resolve("back-" + n++ + ".yaml");
      Files.write(registry, whole);
      RegistryWatch watch = RegistryWatch.open(registry.toString(), INTERVAL, PolicyFileScope.REGISTRY_FOLDER);
      Guard first = watch.latest();
      Files.write(registry, cut(whole, length));
      watch.refresh();
      Files.write(registry, whole);
      watch.refresh();
      watch.refresh();
      assertThat(watch.latest()).as("cut at %d, then the loaded bytes again", length).isSameAs(first);
      // the cut written again is a new change: it waits for a second reading once more
      Files.write(registry, cut(whole, length));
      watch.refresh();
      assertThat(watch.latest()).as("cut at %d written again, read once", length).isSameAs(first);
    }
  }

  @Test
  void aCutThatStaysIsWhatItsOwnerWroteAndApplies() throws Exception {
    byte[] whole = sample();
    Path registry = dir.resolve("registry.yaml");
    Files.write(registry, whole);
    RegistryWatch watch = RegistryWatch.open(registry.toString(), INTERVAL, PolicyFileScope.REGISTRY_FOLDER);
    Guard first = watch.latest();
    int grants = new String(whole, StandardCharsets.UTF_8).indexOf("\ngrants:") + 1;
    Files.write(registry, cut(whole, grants));
    assertThat(loads(registry)).isTrue();
    watch.refresh();
    assertThat(watch.latest()).isSameAs(first);
    assertThat(first.registry().grantsEnforced()).isTrue();
    watch.refresh();
    assertThat(watch.latest()).isNotSameAs(first);
    assertThat(watch.latest().registry().grantsEnforced()).as("a registry without grants: lets every user use every attached role").isFalse();
  }

  @Test
  void anIntervalOfZeroAppliesAChangeAtTheNextDecision() throws Exception {
    byte[] whole = sample();
    Path registry = dir.resolve("zero.yaml");
    Files.write(registry, whole);
    RegistryWatch watch = RegistryWatch.open(registry.toString(), 0, PolicyFileScope.REGISTRY_FOLDER);
    Guard first = watch.current();
    int grants = new String(whole, StandardCharsets.UTF_8).indexOf("\ngrants:") + 1;
    Files.write(registry, cut(whole, grants));
    assertThat(watch.current()).isNotSameAs(first);
  }
}
