package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN: "Prefix matching on S3 is by path segments on the normalised location (s3://bucket/a does
 * not grant s3://bucket/ab); .., //, and percent-encoding are not ways out of a prefix." Issue 10,
 * item 5: a location is judged by every key the command can touch.
 */
class S3PrefixesTest {

  /** Whether {@code location} as one exact key (a manifest, a JSONPaths file) is granted. */
  static boolean covered(String location, S3Prefix... allowed) {
    assertThat(S3Prefixes.problem(location)).as("problem of " + location).isNull();
    return S3Prefixes.covered(List.of(allowed), location, false);
  }

  /** Whether every key starting with {@code location} (a COPY source, an UNLOAD target) is granted. */
  static boolean coveredAsPrefix(String location, S3Prefix... allowed) {
    assertThat(S3Prefixes.problem(location)).as("problem of " + location).isNull();
    return S3Prefixes.covered(List.of(allowed), location, true);
  }

  /** Issue 10, item 5: "COPY FROM 's3://b/team-a' is allowed today though it also reads team-ab/...". */
  @Nested
  class KeyPrefixes {
    final S3Prefix teamA = prefix("b", "team-a");

    @Test
    void aPrefixLocationEqualToASegmentGrantAlsoTouchesItsSiblings() {
      assertThat(coveredAsPrefix("s3://b/team-a", teamA)).isFalse();
      assertThat(covered("s3://b/team-a", teamA)).isTrue();
    }

    @Test
    void aPrefixLocationInsideTheFolderIsGranted() {
      assertThat(coveredAsPrefix("s3://b/team-a/", teamA)).isTrue();
      assertThat(coveredAsPrefix("s3://b/team-a/part_", teamA)).isTrue();
      assertThat(coveredAsPrefix("s3://b/team-a/x/", prefix("b", "team-a/"))).isTrue();
    }

    /** "UNLOAD TO 's3://b/out/team-a' writes beside the folder" (team-a0000_part_00, team-amanifest). */
    @Test
    void anUnloadTargetNamedLikeTheFolderWritesBesideIt() {
      assertThat(coveredAsPrefix("s3://b/out/team-a", prefix("b", "out/team-a"))).isFalse();
      assertThat(coveredAsPrefix("s3://b/out/team-a", prefix("b", "out/team-a/"))).isFalse();
      assertThat(coveredAsPrefix("s3://b/out/team-a", prefix("b", "out/"))).isTrue();
      assertThat(coveredAsPrefix("s3://b/out/team-a", prefix("b", "out"))).isTrue();
    }

    @Test
    void theWholeBucketCoversEveryPrefix() {
      assertThat(coveredAsPrefix("s3://b", prefix("b", ""))).isTrue();
      assertThat(coveredAsPrefix("s3://b/", prefix("b", ""))).isTrue();
      assertThat(coveredAsPrefix("s3://b", prefix("b", "a/"))).isFalse();
    }
  }

  static S3Prefix prefix(String bucket, String key) {
    return new S3Prefix(bucket, key);
  }

  @Nested
  class PathSegments {
    final S3Prefix a = prefix("b", "a");

    @Test
    void aPrefixWithoutSlashGrantsItselfAndItsSubtree() {
      assertThat(covered("s3://b/a", a)).isTrue();
      assertThat(covered("s3://b/a/", a)).isTrue();
      assertThat(covered("s3://b/a/x", a)).isTrue();
      assertThat(covered("s3://b/a/x/y.csv", a)).isTrue();
    }

    @Test
    void butNotASiblingThatStartsWithTheSameLetters() {
      assertThat(covered("s3://b/ab", a)).isFalse();
      assertThat(covered("s3://b/a.csv", a)).isFalse();
      assertThat(covered("s3://b/a-old/x", a)).isFalse();
    }

    @Test
    void norItsParentOrTheBucket() {
      assertThat(covered("s3://b", prefix("b", "a/x"))).isFalse();
      assertThat(covered("s3://b/", a)).isFalse();
      assertThat(covered("s3://b/a", prefix("b", "a/x"))).isFalse();
    }
  }

  @Nested
  class TrailingSlash {
    final S3Prefix folder = prefix("b", "a/");

    @Test
    void grantsWhatIsInsideTheFolder() {
      assertThat(covered("s3://b/a/x", folder)).isTrue();
      assertThat(covered("s3://b/a/", folder)).isTrue();
      assertThat(covered("s3://b/a/x/y", folder)).isTrue();
    }

    @Test
    void butNotTheNameWithoutTheSlashNorASibling() {
      assertThat(covered("s3://b/a", folder)).isFalse();
      assertThat(covered("s3://b/ab/x", folder)).isFalse();
    }
  }

  @Nested
  class Buckets {
    @Test
    void aBucketWithoutKeyGrantsTheWholeBucket() {
      S3Prefix bucket = prefix("b", "");

      assertThat(covered("s3://b", bucket)).isTrue();
      assertThat(covered("s3://b/", bucket)).isTrue();
      assertThat(covered("s3://b/any/key", bucket)).isTrue();
    }

    @Test
    void anotherBucketIsNeverGranted() {
      assertThat(covered("s3://c/a", prefix("b", "a"))).isFalse();
      assertThat(covered("s3://bb/a", prefix("b", ""))).isFalse();
      assertThat(covered("s3://b/a", prefix("bb", ""))).isFalse();
    }

    /** Bucket names are lower case; a legacy upper-case bucket is another bucket, and keys are case-sensitive. */
    @Test
    void bucketsAndKeysCompareExactly() {
      assertThat(S3Prefixes.covered(List.of(prefix("b", "a")), "s3://B/a", false)).isFalse();
      assertThat(S3Prefixes.problem("s3://B/a")).isNotNull(); // and refused: S3 may reach bucket b
      assertThat(covered("s3://b/A", prefix("b", "a"))).isFalse();
    }

    @Test
    void theBucketAndKeyOfALocation() {
      assertThat(dev.iamguard.sql.S3Location.bucket("s3://data/in/x.csv")).isEqualTo("data");
      assertThat(dev.iamguard.sql.S3Location.key("s3://data/in/x.csv")).isEqualTo("in/x.csv");
      assertThat(dev.iamguard.sql.S3Location.bucket("s3://data")).isEqualTo("data");
      assertThat(dev.iamguard.sql.S3Location.key("s3://data")).isEmpty();
    }

    @Test
    void anyOfSeveralPrefixesMayGrant() {
      assertThat(S3Prefixes.covered(List.of(prefix("b", "x/"), prefix("b", "a")), "s3://b/a/1", true)).isTrue();
      assertThat(S3Prefixes.covered(List.of(), "s3://b/a/1", false)).isFalse();
    }
  }

  @Nested
  class WaysOut {
    @ParameterizedTest
    @ValueSource(strings = {
        "s3://b/a/../secret", "s3://b/a/..", "s3://b/..", "s3://b/a/./x", "s3://b/./a", "s3://b/a/.",
        "s3://b/a//x", "s3://b//a", "s3://b/a/x//",
        "s3://b/a/%2e%2e/secret", "s3://b/a/%2E%2E/secret", "s3://b/a/.%2e/x", "s3://b/a%2Fx", "s3://b/a%2fx",
        "s3://b/a/%5c..%5csecret"})
    void dotSegmentsEmptySegmentsAndEncodedDotsOrSlashesAreRefused(String location) {
      assertThat(S3Prefixes.problem(location)).isNotNull();
    }

    /** The registry refuses to grant such a prefix in the first place. */
    @ParameterizedTest
    @ValueSource(strings = {"s3://data//a", "s3://data/a//b", "s3://data/a/../b", "s3://data/./a"})
    void theRegistryRefusesToGrantThem(String prefix) {
      assertThat(S3Prefix.parse(prefix).problem()).isPresent();
      assertThat(S3Prefix.parse(prefix).location()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://b/a.b/x", "s3://b/a..b", "s3://b/.hidden", "s3://b/a/x...", "s3://b/a%20b"})
    void dotsInsideANameAreNotSegments(String location) {
      assertThat(S3Prefixes.problem(location)).isNull();
    }

    @Test
    void otherSchemesAndMissingBucketsAreRefused() {
      assertThat(S3Prefixes.problem("https://b.s3.amazonaws.com/a")).contains("s3://");
      assertThat(S3Prefixes.problem("s3:///a")).contains("bucket");
      assertThat(S3Prefixes.problem("s3://")).contains("bucket");
      assertThat(S3Prefixes.problem("S3://b/a")).isNull();
    }
  }
}
