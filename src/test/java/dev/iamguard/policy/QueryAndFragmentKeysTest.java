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
 * A key prefix holding {@code ?} or {@code #}: S3 keys may hold both, but a client that parses the
 * location as a URL ends the path there ({@code s3://bkt/pii?x/} is {@code s3://bkt/pii}, a prefix
 * that reads {@code pii/}). How Redshift reads them is not documented, so every reading must be
 * permitted, and a reading that ends in a dot segment ({@code x/..?y}) is refused like {@code x/..}.
 * Before, a role whose IAM documents Deny {@code bkt/pii/*} passed each of these.
 *
 * <p>Generated: 20 spellings (2 names of pii x 8 endings, 4 dot segments) x 3 prefix places (COPY
 * source, UNLOAD target, UNLOAD with MANIFEST) x 3 positions in a script.
 */
class QueryAndFragmentKeysTest {

  @TempDir Path dir;
  private WideRoleGuard guard;

  @BeforeEach
  void registry() throws Exception {
    guard = new WideRoleGuard(dir, "\"arn:aws:s3:::bkt/pii/*\"");
  }

  static List<String> spellings() {
    List<String> all = new ArrayList<>();
    for (String name : List.of("pii", "p%69i")) {
      for (String ending : List.of("?", "?x", "#", "#x", "?x#y", "%3Fx", "%23x", "?versionId=3")) {
        all.add(name + ending);
      }
    }
    all.addAll(List.of("x/..?y", "x/..#y", "x/.?y", "x/..%3Fy"));
    return all;
  }

  static final List<Function<String, String>> PLACES = List.of(
      k -> "copy t from 's3://bkt/" + k + "/' iam_role '" + WideRoleGuard.ROLE + "'",
      k -> "unload ('select 1') to 's3://bkt/" + k + "/out_' iam_role '" + WideRoleGuard.ROLE + "'",
      k -> "unload ('select 1') to 's3://bkt/" + k + "/' iam_role '" + WideRoleGuard.ROLE + "' manifest");

  @Test
  void everyReadingOfAKeyWithAQueryOrFragmentMustBePermitted() {
    // by hand: what a URL parser keeps of the path
    assertThat(S3Prefixes.cutAtQuery("s3://bkt/pii?x/")).isEqualTo("s3://bkt/pii");
    assertThat(S3Prefixes.cutAtQuery("s3://bkt/pii#x?y/")).isEqualTo("s3://bkt/pii");
    assertThat(S3Prefixes.otherReadings("s3://bkt/p%69i%3Fx/")).containsExactly("s3://bkt/pii?x/", "s3://bkt/pii");
    int[] count = {0};
    List<String> passed = guard.notDenied(spellings(), PLACES, count);
    assertThat(count[0]).isEqualTo(20 * 3 * 3);
    assertThat(passed).as("statements a URL reading takes under the denied pii/ or out of their prefix").isEmpty();
  }

  /** Controls: keys with ? or # whose every reading is permitted pass; pii by its name is denied. */
  @Test
  void keysWhoseReadingsArePermittedPass() {
    for (Function<String, String> place : PLACES) {
      assertThat(guard.rules(place.apply("pii"))).contains(RuleId.S3_NOT_PERMITTED);
      for (String key : List.of("pub?x", "pub#1", "a/b?c", "q%3Fi", "pu?b")) {
        assertThat(guard.inspect(place.apply(key)).findings()).as(place.apply(key)).isEmpty();
      }
    }
  }
}
