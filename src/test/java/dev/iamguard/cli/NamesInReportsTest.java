package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that have a key's shape in part are names: an S3 location whose bucket holds a {@code -} and
 * whose path holds a run of 40 or more letters and digits ({@code s3://acme-data/year=2024/...}), a
 * role whose {@code role/<name>} is 40 characters. The last mask of the reports masked such runs
 * (probe 23e F1: {@code s3://acme-***} and {@code arn:aws:iam::123456789012:***} in messages and
 * explain, and rewrite refused the script as holding secrets). Generated names of that shape are
 * printed as written by check (text and JSON), explain (text and JSON) and rewrite.
 */
class NamesInReportsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String WORDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  @TempDir
  Path dir;

  @Test
  void locationsAndRoleArnsArePrintedAsWritten() throws Exception {
    Random random = new Random(202612023L);
    StringBuilder script = new StringBuilder();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // a run of 40, or of 80 and more, with upper and lower case and digits: a secret's or a token's shape
      String run = chars(random, i % 2 == 0 ? 37 : 90) + "aZ9";
      String location = "s3://acme-data" + i + "/" + (i % 3 == 0 ? "year=2024/" : "") + run + "/";
      String role = "arn:aws:iam::123456789012:role/" + chars(random, 32) + "aZ9";
      assertThat(role.substring(role.lastIndexOf(':') + 1)).hasSize(40);
      script.append("copy t from '").append(location).append("' iam_role '").append(ROLE).append("';\n");
      script.append("unload ('select 1') to '").append(location).append("' iam_role '").append(role).append("';\n");
      names.add(location);
      names.add(role);
    }
    Path file = Files.writeString(dir.resolve("names.sql"), script);

    List<CliRun> runs = List.of(
        CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--verbose", file.toString()),
        CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "json", file.toString()),
        CliRun.of("explain", file.toString()),
        CliRun.of("explain", "--format", "json", file.toString()));
    for (CliRun run : runs) {
      assertThat(run.out()).doesNotContain("***");
      for (String name : names) {
        assertThat(run.out()).contains(name);
      }
    }
    Path allowed = Files.writeString(dir.resolve("allowed.sql"), "copy t from 's3://acme-data/x/" + chars(random, 37)
        + "aZ9/' iam_role 'copy-unload';\n");
    CliRun rewrite = CliRun.of("rewrite", "--registry", REGISTRY, "--user", "user1", allowed.toString());
    assertThat(rewrite.err()).doesNotContain("holds secret values");
  }

  private static String chars(Random random, int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(WORDS.charAt(random.nextInt(WORDS.length())));
    }
    return out.toString();
  }
}
