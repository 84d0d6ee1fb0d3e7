package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket written so that the text differs from the bucket S3 may reach: S3 bucket names "can
 * consist only of lowercase letters, numbers, dots (.), and hyphens (-)" (S3 User Guide, bucket
 * naming rules), host names ignore case, and a client may trim or decode what it is given. A role
 * written as IAM documents that may read every bucket but one ({@code Deny s3:*} on
 * {@code secret}) passed {@code COPY ... FROM 's3://SECRET/x'} and {@code 's3://secret /x'}: the
 * Deny was asked about the text as written. Access point aliases ({@code -s3alias},
 * {@code --ol-s3}) address a bucket the guard cannot see. Every such spelling is now refused.
 *
 * <p>Generated: 20 bucket spellings x 2 scheme spellings x 8 places a location stands (COPY
 * source, manifest, JSONPaths file, UNLOAD target with and without MANIFEST, CREATE LIBRARY, CREATE
 * MODEL artifact and S3_BUCKET) x 3 positions in a script (alone, after a statement, before one).
 */
class S3BucketSpellingsTest {

  private static final String ROLE = WideRoleGuard.ROLE;

  @TempDir Path dir;
  private WideRoleGuard guard;

  @BeforeEach
  void registry() throws Exception {
    guard = new WideRoleGuard(dir, "[\"arn:aws:s3:::secret\", \"arn:aws:s3:::secret/*\"]");
  }

  /** Spellings of the denied bucket {@code secret} (or of an alias to some bucket) that are not its name. */
  static final List<String> SPELLINGS = List.of(
      "SECRET", "Secret", "secreT", "sEcret", // host names ignore case
      "secret ", " secret", "secret\t", "secret\u00a0", "secret\u200b", // trimmed by someone
      "secre%74", "%73ecret", // decoded by someone
      "\u0455ecret", "s\u0435cret", "\uff53ecret", // look-alikes (Cyrillic, full width)
      "sec_ret", "secret@secret", "secret:443", // characters no bucket holds
      "secret-ap-abcdefghijklmnopqrstuvwxyz-s3alias", "my-ap-1234567890--ol-s3", "SECRET-s3alias");

  /** Where a location stands, given the bucket: the statement's text. */
  static final List<Function<String, String>> PLACES = List.of(
      b -> "copy t from '%s://" + b + "/x/' iam_role '" + ROLE + "'",
      b -> "copy t from '%s://" + b + "/x/load.manifest' iam_role '" + ROLE + "' manifest",
      b -> "copy t from '%s://public/x/' iam_role '" + ROLE + "' format as json '%s://" + b + "/paths.json'",
      b -> "unload ('select 1') to '%s://" + b + "/out/' iam_role '" + ROLE + "'",
      b -> "unload ('select 1') to '%s://" + b + "/out/' iam_role '" + ROLE + "' manifest allowoverwrite",
      b -> "create library l language plpythonu from '%s://" + b + "/lib.zip' iam_role '" + ROLE + "'",
      b -> "create model m from '%s://" + b + "/model.tar.gz' function f (int) returns int iam_role '" + ROLE
          + "' settings (s3_bucket 'public')",
      b -> "create model m from (select a, b from t) target b function f iam_role '" + ROLE
          + "' settings (s3_bucket '" + b + "')");

  static final List<String> SCHEMES = List.of("s3", "S3");

  @Test
  void everyBucketThatIsNotItsOwnNameIsRefused() {
    List<String> passed = new ArrayList<>();
    int count = 0;
    for (String bucket : SPELLINGS) {
      for (Function<String, String> place : PLACES) {
        for (String scheme : SCHEMES) {
          for (int position = 0; position < 3; position++) {
            String sql = WideRoleGuard.script(place.apply(bucket).replace("%s", scheme), position);
            count++;
            if (!guard.rules(sql).contains(RuleId.S3_NOT_PERMITTED)) {
              passed.add(sql);
            }
          }
        }
      }
    }
    assertThat(count).isEqualTo(20 * 8 * 2 * 3);
    assertThat(passed).as("statements that reached a bucket spelt otherwise than S3 names it").isEmpty();
  }

  @Test
  void theRefusalSaysWhatIsWrongWithTheBucket() {
    Decision d = guard.inspect("copy t from 's3://SECRET/x/' iam_role '" + ROLE + "'");
    assertThat(d.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.S3_NOT_PERMITTED);
      assertThat(f.message()).contains("s3://SECRET/x/").contains("only lower-case letters, digits, dots and hyphens");
    });
    Decision alias = guard.inspect("copy t from 's3://my-ap-1234567890-s3alias/x/' iam_role '" + ROLE + "'");
    assertThat(alias.findings()).singleElement().satisfies(f -> assertThat(f.message()).contains("access point alias"));
  }

  /**
   * A whole bucket or a folder ending in / denied as a prefix has nothing "beside" it: the message
   * and remedy must not suggest {@code s3://bktx} or {@code s3://bkt//}.
   */
  @Test
  void aDeniedBucketOrFolderIsNotSaidToReachBesideIt() throws Exception {
    WideRoleGuard piiDenied = new WideRoleGuard(dir, "\"arn:aws:s3:::bkt/pii/*\"");
    for (String location : List.of("s3://bkt", "s3://bkt/")) { // the one key bkt/ is not denied, pii/x is
      for (String sql : List.of("copy t from '" + location + "' iam_role '" + ROLE + "'",
          "unload ('select 1') to '" + location + "' iam_role '" + ROLE + "'")) {
        assertThat(piiDenied.inspect(sql).findings()).as(sql).singleElement().satisfies(f -> {
          assertThat(f.rule()).isEqualTo(RuleId.S3_NOT_PERMITTED);
          assertThat(f.message()).doesNotContain("beside").doesNotContain(location + "x");
          assertThat(f.remedy()).doesNotContain("//)").doesNotContain("end the location with /");
        });
      }
    }
  }

  /** Controls: the denied bucket by its name is denied, other buckets by their names (dots, hyphens, digits) pass. */
  @Test
  void bucketsByTheirNamesAreJudgedByThePolicy() {
    for (Function<String, String> place : PLACES) {
      for (String scheme : SCHEMES) {
        assertThat(guard.rules(place.apply("secret").replace("%s", scheme))).contains(RuleId.S3_NOT_PERMITTED);
        for (String bucket : List.of("public", "my.data-1", "a1b", "secret2", "s3alias-data")) {
          assertThat(guard.rules(place.apply(bucket).replace("%s", scheme))).as(bucket).isEmpty();
        }
      }
    }
  }
}
