package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.REGIONAL;
import static dev.iamguard.policy.Fixture.inspect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An S3_NOT_PERMITTED denial says what the role may touch: its prefixes, that it has none, or its policy files. */
class S3DenialMessagesTest {
  @TempDir
  Path dir;

  private static Finding s3(Decision decision) {
    return decision.findings().stream().filter(f -> f.rule() == RuleId.S3_NOT_PERMITTED).findFirst().orElseThrow();
  }

  @Test
  void theShortFormNamesThePrefixesOrTheirAbsence() {
    var registry = Fixture.registry();
    assertThat(s3(inspect(registry, "copy t from 's3://other/x/' iam_role '" + LOADER + "'")).message())
        .contains("may not read s3://other/x/", "its s3_read prefixes are [s3://data/in/]");
    assertThat(s3(inspect(registry, "unload ('select 1') to 's3://other/y/' iam_role '" + LOADER + "'")).message())
        .contains("may not write s3://other/y/", "its s3_write prefixes are [s3://data/out/]");
    assertThat(s3(inspect(registry, "unload ('select 1') to 's3://data/out/y_' iam_role '" + REGIONAL + "'"))
        .message()).contains("it has no s3_write prefixes");
  }

  /**
   * A role of many prefixes (imported from an account, it may hold thousands) is listed by its first
   * ten and how many more: every denial quotes the list, and listed whole, 4,000 denials of a role of
   * 10,000 prefixes ran a 256 MB heap out of memory.
   */
  @Test
  void aLongPrefixListIsCut() {
    for (int count : new int[] {9, 10, 11, 25, 10_000}) {
      StringBuilder prefixes = new StringBuilder();
      for (int i = 0; i < count; i++) {
        prefixes.append(i == 0 ? "" : ", ").append("\"s3://data/in").append(i).append("/\"");
      }
      var registry = Fixture.parse(("version: 1\n" + Fixture.CLUSTERS + Fixture.SHORT_ROLES + Fixture.CHAINS)
          .replace("s3_read: [\"s3://data/in/\"]", "s3_read: [" + prefixes + "]"), null);
      String message = s3(inspect(registry, "copy t from 's3://other/x/' iam_role '" + LOADER + "'")).message();

      int listed = Math.min(count, 10);
      String expected = java.util.stream.IntStream.range(0, listed).mapToObj(i -> "s3://data/in" + i + "/")
          .collect(java.util.stream.Collectors.joining(", ", "its s3_read prefixes are [",
              count > listed ? ", and " + (count - listed) + " more]" : "]"));
      assertThat(message).as("%d prefixes", count).contains(expected).hasSizeLessThan(1_000);
    }
  }

  @Test
  void theIamFormNamesThePolicyFiles() {
    var registry = Fixture.registry(Fixture.Form.IAM, dir, "");
    assertThat(s3(inspect(registry, "copy t from 's3://other/x/' iam_role '" + LOADER + "'")).message())
        .contains("its permission policies [", "Loader.permissions.json");
  }
}
