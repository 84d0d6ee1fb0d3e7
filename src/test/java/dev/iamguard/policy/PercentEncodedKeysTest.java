package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.S3Prefixes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key written with percent escapes of letters ({@code s3://bkt/p%69i/}): whether Redshift decodes
 * an S3 path before asking S3 is not documented in ../shared nor found in the docs corpus, so the
 * guard must permit both readings. Before, a role written as IAM documents with {@code Deny s3:*}
 * on {@code bkt/pii/*} passed every such spelling (adv-iam-note, "NOT fixed"). Decoded twice too
 * ({@code %2569} is {@code %69} is {@code i}), and escapes that decode to an escaped dot or slash
 * ({@code %252e}) are refused like {@code %2e}.
 *
 * <p>Generated: 14 spellings of {@code pii} x 7 places (COPY source, manifest, JSONPaths file,
 * UNLOAD target, UNLOAD with MANIFEST, CREATE LIBRARY, CREATE MODEL artifact) x 3 positions in a
 * script; controls: escapes whose readings are all permitted pass.
 */
class PercentEncodedKeysTest {

  private static final String ROLE = WideRoleGuard.ROLE;

  @TempDir Path dir;
  private WideRoleGuard guard;

  @BeforeEach
  void registry() throws Exception {
    guard = new WideRoleGuard(dir, "\"arn:aws:s3:::bkt/pii/*\"");
  }

  /** Spellings of the folder name pii: every subset of letters escaped, and escaped twice. */
  static List<String> spellings() {
    List<String> all = new ArrayList<>();
    String[] plain = {"p", "i", "i"};
    String[] lower = {"%70", "%69", "%69"};
    for (int mask = 1; mask < 8; mask++) {
      StringBuilder b = new StringBuilder();
      for (int at = 0; at < 3; at++) {
        b.append((mask & (1 << at)) != 0 ? lower[at] : plain[at]);
      }
      all.add(b.toString());
    }
    all.addAll(List.of("%2570ii", "p%6%39i", "p%2569i", "%2570%2569%2569", "p%25%369i", "pi%69", "%70ii"));
    return all;
  }

  static final List<Function<String, String>> PLACES = List.of(
      k -> "copy t from 's3://bkt/" + k + "/' iam_role '" + ROLE + "'",
      k -> "copy t from 's3://bkt/" + k + "/load.manifest' iam_role '" + ROLE + "' manifest",
      k -> "copy t from 's3://bkt/in/' iam_role '" + ROLE + "' format as json 's3://bkt/" + k + "/paths.json'",
      k -> "unload ('select 1') to 's3://bkt/" + k + "/out_' iam_role '" + ROLE + "'",
      k -> "unload ('select 1') to 's3://bkt/" + k + "/' iam_role '" + ROLE + "' manifest",
      k -> "create library l language plpythonu from 's3://bkt/" + k + "/lib.zip' iam_role '" + ROLE + "'",
      k -> "create model m from 's3://bkt/" + k + "/model.tar.gz' function f (int) returns int iam_role '"
          + ROLE + "' settings (s3_bucket 'models')");

  @Test
  void everyReadingOfAnEscapedKeyMustBePermitted() {
    // by hand: the decodings reach pii, the folder the Deny names
    assertThat(S3Prefixes.decoded("s3://bkt/p%69i/")).isEqualTo("s3://bkt/pii/");
    assertThat(S3Prefixes.decoded("s3://bkt/p%2569i/")).isEqualTo("s3://bkt/p%69i/");
    assertThat(S3Prefixes.decoded("s3://bkt/p%6%39i/")).isEqualTo("s3://bkt/p%69i/");
    int[] count = {0};
    List<String> passed = guard.notDenied(spellings(), PLACES, count);
    assertThat(count[0]).isEqualTo(14 * 7 * 3);
    assertThat(passed).as("statements whose decoded key lies under the denied pii/").isEmpty();
  }

  @Test
  void theDenialNamesTheDecodedReading() {
    Decision d = guard.inspect("copy t from 's3://bkt/p%69i/' iam_role '" + ROLE + "'");
    assertThat(d.findings()).singleElement().satisfies(f -> assertThat(f.message())
        .contains("s3://bkt/pii/").contains("s3://bkt/p%69i/").contains("percent escapes are decoded"));
  }

  /** Escapes that decode to a dot or slash after a second decoding are refused like a first-level one. */
  @Test
  void escapedEscapesOfDotsAndSlashesAreRefused() {
    for (String key : List.of("x/%252e%252e/pii", "x%252fpii", "x/%25252e%25252e/pii", "x/%255c")) {
      assertThat(S3Prefixes.problem("s3://bkt/" + key + "/")).as(key).isNotNull();
      for (Function<String, String> place : PLACES) {
        assertThat(guard.rules(place.apply(key))).as(key).contains(RuleId.S3_NOT_PERMITTED);
      }
    }
  }

  /** Controls: the folder by its name is denied; escapes whose every reading is permitted pass. */
  @Test
  void escapesWhoseReadingsArePermittedPass() {
    for (Function<String, String> place : PLACES) {
      assertThat(guard.rules(place.apply("pii"))).contains(RuleId.S3_NOT_PERMITTED);
      for (String key : List.of("a%20b", "p%69x", "%70ublic", "pii%20", "q%2569i", "100%", "a%zzb")) {
        assertThat(guard.inspect(place.apply(key)).findings()).as(place.apply(key)).isEmpty();
      }
    }
  }
}
