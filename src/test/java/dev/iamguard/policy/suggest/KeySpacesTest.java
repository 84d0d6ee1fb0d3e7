package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prefix a location needs (its folder when it is a key prefix, at most {@code depth} segments
 * when asked) and whether one prefix grants every key another grants, checked against the plain
 * reading of a registry prefix: {@code s3://b} every key, {@code s3://b/a/} the keys starting with
 * {@code a/}, {@code s3://b/a} the key {@code a} and the keys starting with {@code a/}.
 */
class KeySpacesTest {

  @ParameterizedTest(name = "{0} keyPrefix={1} depth={2}")
  @CsvSource({
      "s3://b/data/2024/part, true, 0, s3://b/data/2024/",
      "s3://b/data/2024/part, false, 0, s3://b/data/2024/part",
      "s3://b/data/2024/part, false, 1, s3://b/data/",
      "s3://b/data/2024/part, true, 1, s3://b/data/",
      "s3://b/data/2024/part, false, 2, s3://b/data/2024/",
      "s3://b/data/2024/part, false, 3, s3://b/data/2024/part",
      "s3://b/data/2024/, false, 2, s3://b/data/2024/",
      "s3://b/data/2024/, true, 5, s3://b/data/2024/",
      "s3://b/part, true, 0, s3://b",
      "s3://b/part, false, 1, s3://b/part",
      "s3://b, true, 1, s3://b",
      "s3://b/x/, true, 0, s3://b/x/"})
  void theNeededPrefix(String uri, boolean keyPrefix, int depth, String needed) {
    assertThat(KeySpaces.needed(uri, keyPrefix, depth).toString()).isEqualTo(needed);
  }

  @Property(tries = 1000)
  void coversMeansEveryKeyGrantedIsGranted(@ForAll("prefixes") S3Prefix outer, @ForAll("prefixes") S3Prefix inner) {
    boolean expected = true;
    for (String key : probes(outer, inner)) {
      if (grants(inner, key) && !grants(outer, key)) {
        expected = false;
      }
    }
    assertThat(KeySpaces.covers(outer, inner)).as(outer + " covers " + inner).isEqualTo(expected);
  }

  @Property(tries = 300)
  void mergeKeepsWhatEveryPrefixGrants(@ForAll("prefixLists") List<S3Prefix> prefixes) {
    List<S3Prefix> merged = KeySpaces.merge(prefixes);
    assertThat(prefixes).containsAll(merged);
    for (S3Prefix prefix : prefixes) {
      assertThat(merged).anySatisfy(m -> assertThat(KeySpaces.covers(m, prefix)).isTrue());
    }
    // none of the merged is covered by another
    for (S3Prefix a : merged) {
      for (S3Prefix b : merged) {
        if (a != b) {
          assertThat(KeySpaces.covers(a, b)).as(a + " covers " + b).isFalse();
        }
      }
    }
  }

  /** The plain reading of a registry prefix. */
  private static boolean grants(S3Prefix prefix, String bucketAndKey) {
    String bucket = bucketAndKey.substring(0, bucketAndKey.indexOf('/'));
    String key = bucketAndKey.substring(bucketAndKey.indexOf('/') + 1);
    if (!bucket.equals(prefix.bucket())) {
      return false;
    }
    String p = prefix.key();
    if (p.isEmpty() || p.endsWith("/")) {
      return key.startsWith(p);
    }
    return key.equals(p) || key.startsWith(p + "/");
  }

  /** Keys that tell the two prefixes apart if anything does: each key, around it and under it. */
  private static Set<String> probes(S3Prefix... prefixes) {
    Set<String> keys = new LinkedHashSet<>();
    for (S3Prefix a : prefixes) {
      for (S3Prefix b : prefixes) {
        for (String key : List.of(a.key(), b.key(), a.key() + "/", a.key() + "x", a.key() + "/x", a.key() + "x/y")) {
          keys.add(b.bucket() + "/" + key);
          keys.add(a.bucket() + "/" + key);
        }
      }
    }
    return keys;
  }

  @Provide
  Arbitrary<S3Prefix> prefixes() {
    Arbitrary<String> segment = Arbitraries.of("a", "ab", "b");
    Arbitrary<String> key = segment.list().ofMaxSize(3).flatMap(parts -> Arbitraries.of(true, false)
        .map(folder -> parts.isEmpty() ? "" : String.join("/", parts) + (folder ? "/" : "")));
    return Arbitraries.of("bkt", "bkt2").flatMap(bucket -> key.map(k -> new S3Prefix(bucket, k)));
  }

  @Provide
  Arbitrary<List<S3Prefix>> prefixLists() {
    return prefixes().list().ofMaxSize(6).map(ArrayList::new);
  }
}
