package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A long allow list answers whether it grants a location by looking up the prefixes that can, not
 * by comparing with each; whatever the prefixes and the location (bare buckets, folders, keys,
 * empty segments, a text too short to be a location), the answer is the one comparing with each
 * gives.
 */
class S3PrefixListProperties {
  @Property(tries = 3000)
  void theLookupAnswersAsComparingWithEachPrefix(@ForAll("longLists") List<S3Prefix> prefixes,
      @ForAll("locations") String uri, @ForAll boolean keyPrefix) {
    List<S3Prefix> list = S3PrefixList.of(prefixes);
    boolean expected = S3Prefixes.coveredByEach(prefixes, uri, keyPrefix);

    assertThat(S3Prefixes.covered(list, uri, keyPrefix)).as(uri + " keyPrefix=" + keyPrefix).isEqualTo(expected);
    assertThat(list).isEqualTo(prefixes);
    Statistics.label("granted").collect(expected);
    Statistics.label("granted").coverage(c -> c.check(true).percentage(p -> p > 15));
  }

  /** As above, for a location that is one of the list's own prefixes, written as the registry writes it. */
  @Property(tries = 1000)
  void aListedPrefixIsLookedUpAsItIsCompared(@ForAll("longLists") List<S3Prefix> prefixes, @ForAll int pick,
      @ForAll boolean keyPrefix) {
    if (prefixes.isEmpty()) {
      return;
    }
    String uri = prefixes.get(Math.floorMod(pick, prefixes.size())).toString();

    assertThat(S3Prefixes.covered(S3PrefixList.of(prefixes), uri, keyPrefix)).as(uri + " keyPrefix=" + keyPrefix)
        .isEqualTo(S3Prefixes.coveredByEach(prefixes, uri, keyPrefix));
  }

  /**
   * 40,000 prefixes of one role, asked about 40,000 locations (comparing with each: 1.6 billion
   * comparisons). The timeout is a hang guard; it takes well under a second.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aRoleOfManyPrefixesIsAskedInConstantTime() {
    List<S3Prefix> list = S3PrefixList.of(ManyPrefixes.siblingFolders(40_000));
    int granted = 0;
    for (int i = 0; i < 40_000; i++) {
      granted += S3Prefixes.covered(list, "s3://lake/events/" + (i % 2 == 0 ? "d" : "e") + i + "/part_", true) ? 1 : 0;
    }
    assertThat(granted).isEqualTo(20_000);
  }

  @Provide
  Arbitrary<S3Prefix> prefixes() {
    Arbitrary<String> segment = Arbitraries.of("a", "ab", "b");
    Arbitrary<String> key = segment.list().ofMaxSize(3).flatMap(parts -> Arbitraries.of("", "/")
        .map(end -> parts.isEmpty() ? "" : String.join("/", parts) + end));
    return Arbitraries.of("bkt", "bkt2").flatMap(bucket -> key.map(k -> new S3Prefix(bucket, k)));
  }

  @Provide
  Arbitrary<List<S3Prefix>> longLists() {
    return prefixes().list().ofMinSize(0).ofMaxSize(40).map(ArrayList::new);
  }

  @Provide
  Arbitrary<String> locations() {
    Arbitrary<String> segment = Arbitraries.of("a", "ab", "b", "");
    return Arbitraries.of("s3://bkt", "s3://bkt2", "s3://", "s3:/", "").flatMap(start -> segment.list().ofMaxSize(4)
        .flatMap(parts -> Arbitraries.of("", "/").map(end -> parts.isEmpty() ? start + end
            : start + "/" + String.join("/", parts) + end)));
  }
}
