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

  @Test
  void theIamFormNamesThePolicyFiles() {
    var registry = Fixture.registry(Fixture.Form.IAM, dir, "");
    assertThat(s3(inspect(registry, "copy t from 's3://other/x/' iam_role '" + LOADER + "'")).message())
        .contains("its permission policies [", "Loader.permissions.json");
  }
}
