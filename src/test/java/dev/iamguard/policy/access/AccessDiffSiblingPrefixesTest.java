package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A short-form prefix without a trailing slash ({@code s3://bkt/data}) grants the key {@code data}
 * and the keys under {@code data/}, not {@code database/} (DESIGN: "by path segments"). A new
 * registry granting a sibling that merely starts with the same letters is a gain, and
 * {@code registry diff} must show it; a deeper prefix under the old one is no gain.
 *
 * <p>Generated: 4 old prefixes x 4 siblings x (COPY, UNLOAD), each with a deeper prefix as control.
 */
class AccessDiffSiblingPrefixesTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";

  @TempDir
  Path dir;

  private Registry registry(String key, List<String> prefixes) throws Exception {
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%s] }
        roles:
          - arn: %s
            trust: { regions: [us-west-2] }
            allow: { %s: [%s] }
        """.formatted(ROLE, ROLE, key, String.join(", ", prefixes.stream().map(p -> "\"" + p + "\"").toList())),
        "r" + prefixes.size() + ".yaml", dir);
  }

  static Stream<Arguments> siblings() {
    List<Arguments> all = new ArrayList<>();
    for (String old : List.of("data", "in/2024", "x.csv", "a/b")) {
      for (String sibling : List.of(old + "base/", old + "-old/", old + "x/", old + "_/")) {
        for (String key : List.of("s3_read", "s3_write")) {
          all.add(Arguments.of(old, sibling, key));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{2}: s3://bkt/{0} then + s3://bkt/{1}")
  @MethodSource("siblings")
  void aSiblingSharingTheStartIsAGain(String old, String sibling, String key) throws Exception {
    Registry before = registry(key, List.of("s3://bkt/" + old));
    Registry after = registry(key, List.of("s3://bkt/" + old, "s3://bkt/" + sibling, "s3://bkt/" + old + "/deeper/"));

    AccessDiff diff = AccessDiff.between(before, after);

    assertThat(diff.gained()).extracting(AccessEntry::resource).contains("s3://bkt/" + sibling)
        .doesNotContain("s3://bkt/" + old + "/deeper/");
    assertThat(diff.lost()).isEmpty();
  }
}
