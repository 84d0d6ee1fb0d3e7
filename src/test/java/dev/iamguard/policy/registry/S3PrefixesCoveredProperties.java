package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link S3Prefixes#covered} reads the location by offsets instead of cutting it into bucket and
 * key: it must answer exactly what the rule says, here written the plain way (split the location,
 * compare the parts), over locations and grants drawn from a small alphabet so that near misses
 * (a shared stem, a bucket that is another's prefix, a slash more or less) are common.
 */
class S3PrefixesCoveredProperties {

  /** The rule as the class documents it, on substrings. */
  static boolean expected(List<S3Prefix> allowed, String uri, boolean keyPrefix) {
    if (uri.length() < 5) {
      return false;
    }
    int slash = uri.indexOf('/', 5);
    String bucket = slash < 0 ? uri.substring(5) : uri.substring(5, slash);
    String key = slash < 0 ? "" : uri.substring(slash + 1);
    for (S3Prefix prefix : allowed) {
      if (!prefix.bucket().equals(bucket)) {
        continue;
      }
      String granted = prefix.key();
      if (granted.isEmpty()
          || granted.endsWith("/") && key.startsWith(granted)
          || !granted.endsWith("/") && key.startsWith(granted + "/")
          || !keyPrefix && key.equals(granted)) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 3000)
  void coveredAnswersAsTheRuleOnSubstrings(@ForAll("grants") List<S3Prefix> allowed,
      @ForAll("locations") String uri, @ForAll boolean keyPrefix) {
    assertThat(S3Prefixes.covered(allowed, uri, keyPrefix))
        .as("%s in %s (key prefix %s)", uri, allowed, keyPrefix)
        .isEqualTo(expected(allowed, uri, keyPrefix));
  }

  @Property(tries = 200)
  void aTextTooShortForTheSchemeIsCoveredByNothing(@ForAll("grants") List<S3Prefix> allowed,
      @ForAll("short") String uri, @ForAll boolean keyPrefix) {
    assertThat(S3Prefixes.covered(allowed, uri, keyPrefix)).isFalse();
  }

  private static Arbitrary<String> path() {
    return Arbitraries.of("a", "ab", "a/", "a/b", "ab/c", "a/b/", "", "/", "a//b", "b").list().ofMaxSize(3)
        .map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<List<S3Prefix>> grants() {
    Arbitrary<S3Prefix> one = Combinators.combine(Arbitraries.of("bkt", "bk", "bkt2", "other"), path())
        .as(S3Prefix::new);
    return one.list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> locations() {
    Arbitrary<String> scheme = Arbitraries.of("s3://", "S3://");
    Arbitrary<String> bucket = Arbitraries.of("bkt", "bk", "bkt2", "bktx", "", "other");
    Arbitrary<String> rest = Arbitraries.oneOf(Arbitraries.just(""), path().map(p -> "/" + p));
    return Combinators.combine(scheme, bucket, rest).as((s, b, r) -> s + b + r);
  }

  @Provide("short")
  Arbitrary<String> shortTexts() {
    return Arbitraries.strings().withChars("s3:/b").ofMaxLength(4);
  }
}
