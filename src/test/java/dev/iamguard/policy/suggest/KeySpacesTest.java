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

  /**
   * The merge compares each prefix only with those at its segment boundaries: it keeps exactly what
   * comparing each with every prefix kept so far kept (the merge until the sixteenth session,
   * quadratic: 112 s for 40,000 folders of one role), in the same order.
   */
  @Property(tries = 2000)
  void mergeKeepsWhatComparingWithEveryKeptPrefixKept(@ForAll("longPrefixLists") List<S3Prefix> prefixes) {
    List<S3Prefix> kept = new ArrayList<>();
    for (S3Prefix candidate : prefixes) {
      if (kept.stream().noneMatch(k -> KeySpaces.covers(k, candidate))) {
        kept.removeIf(k -> KeySpaces.covers(candidate, k));
        kept.add(candidate);
      }
    }
    assertThat(KeySpaces.merge(prefixes)).isEqualTo(kept);
  }

  /**
   * 40,000 sibling folders of one bucket and 20,000 folders up to 200 segments deep (the probe's
   * inputs: 112 s and 114 s before). The timeout is a hang guard; each takes about a second.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void manyFoldersOfOneRoleAreMergedInLinearTime() {
    List<S3Prefix> siblings = dev.iamguard.policy.registry.ManyPrefixes.siblingFolders(40_000);
    siblings.add(new S3Prefix("lake", "events/d7/x/"));
    List<S3Prefix> nested = new ArrayList<>();
    StringBuilder path = new StringBuilder("deep/");
    for (int i = 0; i < 20_000; i++) {
      if (i % 100 == 0 && path.length() < 400) {
        path.append("s").append(i).append('/');
      }
      nested.add(new S3Prefix("lake", path + "x" + i + "/"));
    }

    assertThat(KeySpaces.merge(siblings)).hasSize(40_000).doesNotContain(new S3Prefix("lake", "events/d7/x/"));
    assertThat(KeySpaces.merge(nested)).hasSize(20_000);
    siblings.add(new S3Prefix("lake", "events/"));
    assertThat(KeySpaces.merge(siblings)).containsExactly(new S3Prefix("lake", "events/"));
  }

  /**
   * The granted prefixes that cover a location, looked up among those above it, are those that
   * comparing with each granted one finds ({@code suggest --registry} once compared every location
   * with every granted prefix).
   */
  @Property(tries = 2000)
  void coveringFindsEveryGrantedPrefixThatCovers(@ForAll("longPrefixLists") List<S3Prefix> granted,
      @ForAll("locations") String uri, @ForAll boolean keyPrefix) {
    Set<S3Prefix> expected = new java.util.HashSet<>();
    for (S3Prefix prefix : granted) {
      if (dev.iamguard.policy.registry.S3Prefixes.covered(List.of(prefix), uri, keyPrefix)) {
        expected.add(prefix);
      }
    }
    assertThat(new java.util.HashSet<>(KeySpaces.covering(new java.util.HashSet<>(granted), uri, keyPrefix)))
        .as(uri + " keyPrefix=" + keyPrefix).isEqualTo(expected);
  }

  /** Every prefix that covers another (itself aside) is one of those {@link dev.iamguard.policy.registry.S3Prefixes#above} it. */
  @Property(tries = 2000)
  void onlyThePrefixesAboveOneCoverIt(@ForAll("prefixes") S3Prefix outer, @ForAll("prefixes") S3Prefix inner) {
    if (!outer.equals(inner) && KeySpaces.covers(outer, inner)) {
      assertThat(dev.iamguard.policy.registry.S3Prefixes.above(inner.bucket(), inner.key())).contains(outer);
    }
  }

  @Provide
  Arbitrary<String> locations() {
    Arbitrary<String> segment = Arbitraries.of("a", "ab", "b", "");
    return Arbitraries.of("s3://bkt", "s3://bkt2", "s3:/").flatMap(bucket -> segment.list().ofMaxSize(4)
        .flatMap(parts -> Arbitraries.of("", "/").map(end -> parts.isEmpty() ? bucket + end
            : bucket + "/" + String.join("/", parts) + end)));
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
  Arbitrary<List<S3Prefix>> longPrefixLists() {
    return prefixes().list().ofMaxSize(30).map(ArrayList::new);
  }

  @Provide
  Arbitrary<List<S3Prefix>> prefixLists() {
    return prefixes().list().ofMaxSize(6).map(ArrayList::new);
  }
}
