package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RoleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code suggest --format iam --out DIR} writes each role's documents to files of its own: over
 * seeded random scripts whose roles come from three accounts, paths ({@code role/a/b},
 * {@code role/a-b}) and names that differ only in case or read as another account's file name
 * ({@code role/111111111111-R1}), every role listed has its own trust and permissions files, ignoring
 * case, holding its own location, and the registry written names them. Two roles that would still
 * share files (one account and name, two paths, which IAM cannot hold both of) are refused before
 * anything is written, naming both. {@code SuggestFileStemsTest} covers the file names over more sets.
 */
class SuggestOutFileNamesTest {
  private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
  private static final List<String> ROLES = List.of("R1", "r1", "111111111111-R1", "222222222222-r1", "a/b", "a-b",
      "A-B", "b", "x/R1", "Loader");

  @TempDir
  Path dir;

  static Stream<Long> seeds() {
    return Stream.iterate(1L, s -> s + 1).limit(30);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  @SuppressWarnings("unchecked")
  void everyRoleGetsFilesOfItsOwn(long seed) throws Exception {
    Random random = new Random(seed);
    Map<String, String> buckets = new LinkedHashMap<>(); // role ARN to the bucket only it reads
    StringBuilder script = new StringBuilder();
    int count = 3 + random.nextInt(5);
    for (int i = 0; i < count; i++) {
      String arn = "arn:aws:iam::" + ACCOUNTS.get(random.nextInt(ACCOUNTS.size())) + ":role/"
          + ROLES.get(random.nextInt(ROLES.size()));
      String bucket = "bucket-" + i;
      script.append("copy t from 's3://").append(bucket).append("/in/' iam_role '").append(arn).append("';\n");
      buckets.putIfAbsent(arn, bucket);
    }
    Files.writeString(dir.resolve("load.sql"), script);
    Path out = dir.resolve("iam");
    CliRun run = CliRun.of("suggest", "--cluster", "c1", "--account", "111111111111", "--region", "us-west-2",
        "--user", "etl", "--format", "iam", "--out", out.toString(), dir.resolve("load.sql").toString());
    assertThat(run.code()).as(script + run.err()).isIn(0, 1); // 1: a role of another path is a gap
    List<Map<String, Object>> roles = (List<Map<String, Object>>) run.json().get("roles");
    Map<String, String> owners = new HashMap<>();
    Registry written = RegistryLoader.load(out.resolve("registry.yaml"));
    for (Map<String, Object> role : roles) {
      String arn = (String) role.get("arn");
      String stem = (String) role.get("file_name");
      assertThat(owners.put(stem.toLowerCase(Locale.ROOT), arn)).as("%s shares %s\n%s", arn, stem, script).isNull();
      String own = roleBucket(buckets, arn);
      assertThat(Files.readString(out.resolve(stem + ".permissions.json"))).as("%s\n%s", arn, script)
          .contains("arn:aws:s3:::" + own + "/in/");
      RoleConfig config = written.roles().stream().filter(r -> r.arn().toString().equals(arn)).findFirst().orElseThrow();
      assertThat(config.permissionPolicies()).singleElement()
          .satisfies(p -> assertThat(p.source()).endsWith(stem + ".permissions.json"));
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".trust.json")).count()).as("%s", script)
          .isEqualTo(roles.size());
    }
  }

  /** The bucket the script reads with {@code arn} (its name may be written in another case there). */
  private static String roleBucket(Map<String, String> buckets, String arn) {
    return buckets.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(arn)).map(Map.Entry::getValue)
        .findFirst().orElseThrow();
  }

  /**
   * A CATALOG_ROLE and IAM_ROLE of one account and name, two paths: they would share one set of files
   * (and a registry cannot hold both), so nothing is written and the error names both.
   */
  @Test
  void rolesThatWouldStillShareFilesAreRefusedBeforeAnythingIsWritten() throws Exception {
    String a = "arn:aws:iam::111111111111:role/a/Spectrum";
    String b = "arn:aws:iam::111111111111:role/b/spectrum";
    Files.writeString(dir.resolve("schema.sql"), "create external schema s from data catalog database 'db' "
        + "iam_role '" + a + "' catalog_role '" + b + "';\n");
    Path out = dir.resolve("iam");
    Files.createDirectories(out);
    Files.writeString(out.resolve("grants.sql"), "-- an older suggestion's\n");
    CliRun run = CliRun.of("suggest", "--cluster", "c1", "--account", "111111111111", "--region", "us-west-2",
        "--format", "iam", "--out", out.toString(), dir.resolve("schema.sql").toString());
    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains(a, b);
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("grants.sql");
    }
    assertThat(Files.readString(out.resolve("grants.sql"))).isEqualTo("-- an older suggestion's\n");
  }

  /** Each kind of collision the defect named, written out: three roles, three sets of files. */
  @Test
  void rolesOfOneNameAcrossAccountsAndANameReadingAsAnAccountsGetThreeSets() throws Exception {
    List<String> arns = new ArrayList<>(List.of("arn:aws:iam::111111111111:role/R1", "arn:aws:iam::222222222222:role/r1",
        "arn:aws:iam::333333333333:role/111111111111-R1"));
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < arns.size(); i++) {
      script.append("copy t from 's3://bucket-").append(i).append("/in/' iam_role '").append(arns.get(i)).append("';\n");
    }
    Files.writeString(dir.resolve("load.sql"), script);
    Path out = dir.resolve("iam");
    CliRun run = CliRun.of("suggest", "--cluster", "c1", "--account", "111111111111", "--region", "us-west-2",
        "--format", "iam", "--out", out.toString(), dir.resolve("load.sql").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readString(out.resolve("111111111111-R1.permissions.json"))).contains("bucket-0");
    assertThat(Files.readString(out.resolve("222222222222-r1.permissions.json"))).contains("bucket-1");
    assertThat(Files.readString(out.resolve("333333333333-111111111111-R1.permissions.json"))).contains("bucket-2");
  }
}
