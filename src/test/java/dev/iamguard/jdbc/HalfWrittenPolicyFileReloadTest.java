package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry change that names a new policy file: the watch read that file once, when it applied
 * the registry, so a file still being written (the registry saved first, or the policy file written
 * slowly) was loaded cut, and a policy document in YAML cut before its Deny is valid and grants what
 * the Deny refuses. The new permissions allow all of S3 but deny the lake's exports; for every cut of
 * that document (each line end and 300 random bytes) read at one check, after a shorter cut read at
 * the check before, the registry in force never lets the UNLOAD to the exports through (the old
 * registry's policy denies it too). Once the writer finishes, the change applies within two more
 * checks: it denies that UNLOAD by its Deny and allows a COPY from another bucket, which the old
 * registry denies (liveness).
 */
class HalfWrittenPolicyFileReloadTest {
  private static final long INTERVAL = 3_600_000L; // checks are made by refresh(), never by the clock
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String EXPORTS = "unload ('select 1') to 's3://acmedata/exports/venue_' iam_role '" + ROLE + "'";
  private static final String ELSEWHERE = "copy venue from 's3://otherbucket/in/venue/' iam_role '" + ROLE + "'";
  private static final String NEW_POLICY = """
      Version: "2012-10-17"
      Statement:
        - Sid: AllOfS3
          Effect: Allow
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"]
          Resource: "*"
        - Sid: NeverTheExports
          Effect: Deny
          Action: "s3:*"
          Resource: ["arn:aws:s3:::acmedata/exports/*"]
      """;

  @TempDir
  Path dir;

  /** A copy of samples/registry-iam.yaml and its policy files; the registry's path. */
  private Path copy(String name) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Path iam = Files.createDirectories(folder.resolve("iam"));
    try (Stream<Path> files = Files.list(Path.of("samples/iam"))) {
      for (Path file : files.toList()) {
        Files.copy(file, iam.resolve(file.getFileName().toString()));
      }
    }
    return Files.copy(Path.of("samples/registry-iam.yaml"), folder.resolve("registry.yaml"));
  }

  /** The registry naming the new permissions file of RedshiftCopyUnload instead of its old one. */
  private static void rename(Path registry) throws Exception {
    String old = "permissions: [iam/RedshiftCopyUnload.s3.json]";
    String text = Files.readString(registry);
    assertThat(text).contains(old);
    Files.writeString(registry, text.replace(old, "permissions: [iam/RedshiftCopyUnload.v2.yaml]"));
  }

  private static Verdict verdict(Guard guard, String sql) {
    return guard.inspect(sql, Session.of("user1", null)).verdict();
  }

  /** The verdict on the UNLOAD to the exports of the registry as it is now, or null when it does not load. */
  private static Verdict exportsNow(Path registry) {
    try {
      return verdict(new Guard(RegistryLoader.load(registry, PolicyFileScope.REGISTRY_FOLDER).registry()), EXPORTS);
    } catch (RegistryException e) {
      return null;
    }
  }

  @Test
  void aNewPolicyFileStillBeingWrittenIsNotApplied() throws Exception {
    byte[] whole = NEW_POLICY.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(17);
    int permissive = 0;
    int n = 0;
    for (int length : HalfWrittenRegistryReloadTest.cuts(whole)) {
      Path registry = copy("cut-" + n++);
      RegistryWatch watch = RegistryWatch.open(registry.toString(), INTERVAL, PolicyFileScope.REGISTRY_FOLDER);
      assertThat(verdict(watch.latest(), EXPORTS)).isEqualTo(Verdict.DENY);
      Path policy = registry.resolveSibling("iam").resolve("RedshiftCopyUnload.v2.yaml");
      Files.write(policy, Arrays.copyOf(whole, random.nextInt(length)));
      rename(registry);
      watch.refresh();
      Files.write(policy, Arrays.copyOf(whole, length));
      if (exportsNow(registry) == Verdict.ALLOW) {
        permissive++;
      }
      watch.refresh();
      assertThat(verdict(watch.latest(), EXPORTS)).as("the policy file cut at byte %d, read once", length)
          .isEqualTo(Verdict.DENY);

      Files.write(policy, whole);
      watch.refresh();
      watch.refresh();
      assertThat(verdict(watch.latest(), EXPORTS)).as("finished, cut at %d", length).isEqualTo(Verdict.DENY);
      assertThat(verdict(watch.latest(), ELSEWHERE)).as("finished, cut at %d", length).isEqualTo(Verdict.ALLOW);
    }
    assertThat(permissive).as("cuts that load and let the UNLOAD through").isPositive();
  }

  @Test
  void aPolicyFileWrittenBeforeTheRegistryAppliesAtTheSecondCheck() throws Exception {
    Path registry = copy("before");
    RegistryWatch watch = RegistryWatch.open(registry.toString(), INTERVAL, PolicyFileScope.REGISTRY_FOLDER);
    Guard first = watch.latest();
    Files.writeString(registry.resolveSibling("iam").resolve("RedshiftCopyUnload.v2.yaml"), NEW_POLICY);
    rename(registry);
    watch.refresh();
    assertThat(watch.latest()).isSameAs(first);
    watch.refresh();
    assertThat(watch.latest()).isNotSameAs(first);
    assertThat(verdict(watch.latest(), ELSEWHERE)).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(watch.latest(), EXPORTS)).isEqualTo(Verdict.DENY);
    assertThat(verdict(first, ELSEWHERE)).isEqualTo(Verdict.DENY);
  }
}
