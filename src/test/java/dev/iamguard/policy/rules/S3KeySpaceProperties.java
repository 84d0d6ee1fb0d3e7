package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamPolicyException;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.policy.registry.TrustConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 10, item 5: "A location is permitted only if every key the command can touch lies inside
 * a permitted prefix: prefix locations (COPY source without MANIFEST, UNLOAD target) are key
 * prefixes; a MANIFEST, JSONPaths file or CREATE LIBRARY object is one exact key."
 *
 * <p>The model here enumerates, over a small alphabet, every key a command can touch and asks of
 * each whether a registry prefix grants it (by path segment: {@code a} grants {@code a} and
 * {@code a/...}, {@code a/} grants {@code a/...}, an empty prefix the bucket). The short form
 * ({@link S3Prefixes}) and IAM documents saying the same thing ({@link RoleAccess} over
 * {@code s3:GetObject} resources) must both agree with it. Keys longer than the longest prefix
 * plus one character are granted exactly when their first {@code longest + 1} characters are
 * (no prefix can equal them), so enumerating to that length decides every longer key as well.
 */
class S3KeySpaceProperties {
  private static final String ALPHABET = "ab/";

  @Provide
  Arbitrary<String> key() {
    return Arbitraries.strings().withChars(ALPHABET).ofMinLength(0).ofMaxLength(4)
        .filter(k -> S3Prefixes.problem("s3://b/" + k) == null && (k.isEmpty() || S3Prefix.parse("s3://b/" + k).location().isPresent()));
  }

  @Provide
  Arbitrary<List<S3Prefix>> grants() {
    Arbitrary<S3Prefix> one = Arbitraries.of("b", "b", "b", "c")
        .flatMap(bucket -> key().map(k -> new S3Prefix(bucket, k)));
    return one.list().ofMinSize(0).ofMaxSize(3);
  }

  @Property(tries = 2000)
  void theShortFormAgreesWithEveryKeyTheCommandTouches(@ForAll("key") String location, @ForAll boolean keyPrefix,
      @ForAll("grants") List<S3Prefix> grants) {
    if (!keyPrefix && location.isEmpty()) {
      return; // one exact key must name a key
    }
    assertThat(S3Prefixes.covered(grants, "s3://b/" + location, keyPrefix))
        .as("%s %s under %s", keyPrefix ? "prefix" : "key", location, grants)
        .isEqualTo(everyTouchedKeyGranted(location, keyPrefix, grants));
  }

  @Property(tries = 600)
  void iamDocumentsSayingTheSameAgree(@ForAll("key") String location, @ForAll boolean keyPrefix,
      @ForAll("grants") List<S3Prefix> grants) throws IamPolicyException {
    if (!keyPrefix && location.isEmpty()) {
      return;
    }
    RoleConfig role = roleWithDocumentFor(grants);
    assertThat(RoleAccess.mayRead(role, "s3://b/" + location, keyPrefix, RequestScope.NONE))
        .as("%s %s under %s", keyPrefix ? "prefix" : "key", location, grants)
        .isEqualTo(everyTouchedKeyGranted(location, keyPrefix, grants) && grants.stream().anyMatch(g -> g.bucket().equals("b")));
  }

  /** The brute-force model: every key the command can touch, each checked on its own. */
  static boolean everyTouchedKeyGranted(String location, boolean keyPrefix, List<S3Prefix> grants) {
    if (!keyPrefix) {
      return granted(location, grants);
    }
    int longest = grants.stream().mapToInt(g -> g.key().length()).max().orElse(0);
    int length = Math.max(location.length(), longest + 1) + 1;
    for (String key : keysStartingWith(location, length)) {
      if (!key.isEmpty() && !granted(key, grants)) {
        return false;
      }
    }
    return true;
  }

  static boolean granted(String key, List<S3Prefix> grants) {
    for (S3Prefix grant : grants) {
      String g = grant.key();
      if (!grant.bucket().equals("b")) {
        continue;
      }
      if (g.isEmpty() || (g.endsWith("/") ? key.startsWith(g) : key.equals(g) || key.startsWith(g + "/"))) {
        return true;
      }
    }
    return false;
  }

  static List<String> keysStartingWith(String start, int maxLength) {
    List<String> keys = new ArrayList<>();
    keys.add(start);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (key.length() < maxLength) {
        for (char c : ALPHABET.toCharArray()) {
          keys.add(key + c);
        }
      }
    }
    return keys;
  }

  /** The IAM document a registry author would write for the same prefixes. */
  static RoleConfig roleWithDocumentFor(List<S3Prefix> grants) throws IamPolicyException {
    List<String> objects = new ArrayList<>();
    List<String> buckets = new ArrayList<>();
    for (S3Prefix grant : grants) {
      String base = "arn:aws:s3:::" + grant.bucket() + "/" + grant.key();
      if (!grant.key().isEmpty() && !grant.key().endsWith("/")) {
        objects.add('"' + base + '"');
        objects.add('"' + base + "/*\"");
      } else {
        objects.add('"' + base + "*\"");
      }
      buckets.add("\"arn:aws:s3:::" + grant.bucket() + '"');
    }
    String statements = objects.isEmpty() ? "" : """
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [%s]},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": [%s]}""".formatted(
        String.join(",", objects), String.join(",", buckets));
    String json = "{\"Version\": \"2012-10-17\", \"Statement\": [" + (statements.isEmpty()
        ? "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::nobody/x\"}" : statements) + "]}";
    IamPolicy policy = IamPolicy.parse(json, "generated.json");
    return new RoleConfig(RoleArn.parse("arn:aws:iam::111122223333:role/R").orElseThrow(), Optional.empty(),
        Optional.of(TrustConfig.DEFAULT), Optional.empty(), Optional.empty(), List.of(policy), 1);
  }
}
