package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry validate} warns of a short-form S3 location holding {@code *} or {@code ?}
 * (red-team review: {@code s3_read: ['s3://acmedata/redshift/*']} loaded with no warning, and every
 * COPY under the folder was denied, the pattern being taken as the characters it is). Generated over
 * the character, its place (last, in a folder's name, inside a key) and the four lists that hold
 * such locations (a role's s3_read and s3_write, policy.keys' s3_read and s3_write).
 */
class S3PatternLiteralTest {
  private static final String BASE = "samples/registry.yaml";
  /** The sample's lines, each with its path in the registry. */
  private static final List<String[]> LINES = List.of(
      new String[] {"      s3_read: [\"s3://acmedata/redshift/\"]", "roles[0].allow.s3_read", "acmedata/redshift/"},
      new String[] {"      s3_write: [\"s3://acmedata/redshift/unload/\"]", "roles[0].allow.s3_write",
          "acmedata/redshift/unload/"},
      new String[] {"    s3_read:  [\"s3://acmedata/redshift/\"]", "policy.keys.s3_read", "acmedata/redshift/"},
      new String[] {"    s3_write: [\"s3://acmedata/redshift/unload/\"]", "policy.keys.s3_write",
          "acmedata/redshift/unload/"});

  @TempDir
  Path dir;

  @Test
  void theSampleHasNone() {
    CliRun clean = CliRun.of("registry", "validate", BASE);
    assertThat(clean.out() + clean.err()).doesNotContain("S3_PATTERN_LITERAL");
  }

  @Test
  void aWildcardInAShortFormLocationIsNamedWithThePrefixToWrite() throws Exception {
    String base = Files.readString(Path.of(BASE));
    for (String[] line : LINES) {
      assertThat(base).contains(line[0]);
      String prefix = line[2];
      for (String pattern : new String[] {"*", "?"}) {
        for (String written : List.of(prefix + pattern, prefix + "x" + pattern + "/", prefix + "in" + pattern + "x.csv")) {
          String changed = base.replace(line[0], line[0].replace("s3://" + prefix, "s3://" + written));
          Path registry = Files.writeString(dir.resolve("r.yaml"), changed);
          CliRun validate = CliRun.of("registry", "validate", registry.toString());
          assertThat(validate.code()).as(written).isEqualTo(1);
          String before = written.substring(0, written.indexOf(pattern));
          assertThat(validate.out()).as(written).contains("warning S3_PATTERN_LITERAL " + line[1] + ": s3://" + written
              + " is a prefix, not an IAM pattern").contains("write s3://" + before + " for every key under it");
        }
      }
    }
  }

  /** The premise: such a location is taken as written, so a COPY under the folder is denied. */
  @Test
  void theLocationIsTakenAsWritten() throws Exception {
    String changed = Files.readString(Path.of(BASE)).replace(LINES.get(0)[0],
        LINES.get(0)[0].replace("s3://acmedata/redshift/", "s3://acmedata/redshift/*"));
    Path registry = Files.writeString(dir.resolve("r.yaml"), changed);
    Path sql = Files.writeString(dir.resolve("c.sql"),
        "copy t from 's3://acmedata/redshift/x/' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n");
    assertThat(CliRun.of("check", "--registry", BASE, "--user", "user1", sql.toString()).code()).isZero();
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "user1", sql.toString());
    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out()).contains("S3_NOT_PERMITTED");
  }
}
