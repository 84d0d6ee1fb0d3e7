package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An S3 key may hold {@code *}, {@code ?} and {@code $} (S3 takes any UTF-8 in a key, and COPY and
 * UNLOAD read the location as a plain key prefix, not a pattern), and the registry's prefixes take
 * them literally. The documents {@code suggest} builds from such prefixes must grant that key
 * space and nothing beside it: written as they are into a Resource or an {@code s3:prefix}
 * StringLike value, {@code *} and {@code ?} would be wildcards and {@code ${...}} a policy
 * variable (Version 2012-10-17), each granting keys the registry does not.
 *
 * <p>Generated: 7 special spellings x 3 places in the key x (folder, single key) x (read, write);
 * each document read back by iamguard's evaluator, as IAM would store it, and asked about a key
 * inside and keys that the special characters would wrongly reach, checked against the registry's
 * own reading ({@link S3Prefixes#covered}).
 */
class IamDocumentsLiteralKeysTest {
  private static final String ACCOUNT = "123456789012";
  private static final RoleArn ROLE = RoleArn.of("arn:aws:iam::" + ACCOUNT + ":role/RoleA");
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("my-cluster", ACCOUNT, "us-west-2", List.of(ROLE), Optional.empty(), false, 1);

  private static final List<String> SPECIALS = List.of("*", "?", "$", "${aws:username}", "${*}", "a*b?c", "$$");

  /** Keys a literal reading keeps out and a wildcard or variable reading would let in. */
  private static final List<String> STRANGERS = List.of("x", "xyz", "", "abc", "a-b-c", "RoleA", "${aws:username}x");

  static Stream<Arguments> keys() {
    List<Arguments> all = new ArrayList<>();
    for (String special : SPECIALS) {
      for (String key : List.of(special + "/", "in/" + special + "/", "in/x" + special + "y/")) {
        for (boolean folder : List.of(true, false)) {
          for (boolean write : List.of(false, true)) {
            all.add(Arguments.of(folder ? key : key.substring(0, key.length() - 1), write));
          }
        }
      }
    }
    return all.stream();
  }

  private static IamPolicy permissions(String key, boolean write) throws Exception {
    S3Prefix prefix = S3Prefix.parse("s3://bkt/" + key).location().orElseThrow();
    SuggestedRole role = new SuggestedRole(ROLE, Optional.empty(), List.of("us-west-2"), Optional.empty(), List.of(),
        write ? List.of() : List.of(prefix), write ? List.of(prefix) : List.of(), Map.of(), Map.of(), List.of(),
        Map.of(), Map.of());
    return IamPolicy.parse(IamDocumentsTest.json(IamDocuments.of(role, CLUSTER).permissions()), "RoleA.json");
  }

  @ParameterizedTest(name = "s3://bkt/{0} (write {1})")
  @MethodSource("keys")
  void theDocumentsGrantTheKeySpaceLiterally(String key, boolean write) throws Exception {
    IamPolicy p = permissions(key, write);
    String action = write ? "s3:PutObject" : "s3:GetObject";
    S3Prefix prefix = S3Prefix.parse("s3://bkt/" + key).location().orElseThrow();
    String inside = key.endsWith("/") ? key + "part-0" : key;

    assertThat(p.evaluate(action, "arn:aws:s3:::bkt/" + inside, Map.of())).as(inside).isEqualTo(IamEffect.ALLOW);
    if (!write) {
      assertThat(p.evaluate("s3:ListBucket", "arn:aws:s3:::bkt", Map.of("s3:prefix", key))).as("list " + key)
          .isEqualTo(IamEffect.ALLOW);
    }
    for (String stranger : STRANGERS) {
      String other = key.replace(special(key), stranger) + (key.endsWith("/") ? "part-0" : "");
      boolean registryGrants = S3Prefixes.covered(List.of(prefix), "s3://bkt/" + other, false);
      IamEffect expected = registryGrants ? IamEffect.ALLOW : IamEffect.IMPLICIT_DENY;
      assertThat(p.evaluate(action, "arn:aws:s3:::bkt/" + other, Map.of("aws:username", "RoleA")))
          .as("%s against %s", other, key).isEqualTo(expected);
      if (!write) {
        // a listing under a key the registry does not grant, even as one key, is not granted
        String listed = key.replace(special(key), stranger);
        if (!S3Prefixes.covered(List.of(prefix), "s3://bkt/" + listed, false)) {
          assertThat(p.evaluate("s3:ListBucket", "arn:aws:s3:::bkt", Map.of("s3:prefix", listed, "aws:username", "RoleA")))
              .as("list %s against %s", listed, key).isEqualTo(IamEffect.IMPLICIT_DENY);
        }
      }
    }
  }

  private static String special(String key) {
    return SPECIALS.stream().filter(key::contains).reduce((a, b) -> a.length() >= b.length() ? a : b).orElseThrow();
  }
}
