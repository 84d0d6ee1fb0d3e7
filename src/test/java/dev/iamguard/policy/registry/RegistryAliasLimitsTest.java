package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.iam.Resources;
import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aliases: a registry sharing one anchored value among many roles loads however many roles share
 * it (the YAML engine's default refused more than 50), while documents whose aliases multiply
 * (billion laughs, in every shape) or pass the alias count are refused with the bound and the
 * line named, never as a syntax error and never by walking the expansion.
 */
class RegistryAliasLimitsTest {

  private static final String CLUSTER = "version: 1\nclusters:\n  - id: c\n    account: \"123456789012\"\n"
      + "    region: us-east-1\n    attached_roles: [arn:aws:iam::123456789012:role/R0]\n";

  /** Roles sharing one anchored value: {@code count} aliases, in the anchor shapes YAML has. */
  static Stream<Arguments> sharedAnchors() {
    return Stream.of(51, 52, 200, 2_000).flatMap(count -> Stream.of(
        Arguments.of(count, "a block mapping", "    allow: &common\n      s3_read: [\"s3://bkt/data/\"]\n",
            "    allow: *common\n"),
        Arguments.of(count, "a flow mapping", "    allow: &common {s3_read: [\"s3://bkt/data/\"]}\n",
            "    allow: *common\n"),
        Arguments.of(count, "a list", "    allow:\n      s3_read: &common [\"s3://bkt/data/\", \"s3://bkt/in/\"]\n",
            "    allow:\n      s3_read: *common\n"),
        Arguments.of(count, "a merge-free nested list", "    allow:\n      s3_read: &common\n        - s3://bkt/data/\n",
            "    allow: {s3_read: *common}\n")));
  }

  @ParameterizedTest(name = "{0} roles share {1}")
  @MethodSource("sharedAnchors")
  void manyRolesShareOneAnchor(int count, String shape, String anchored, String alias) throws RegistryException {
    StringBuilder yaml = new StringBuilder(CLUSTER).append("roles:\n");
    yaml.append("  - arn: arn:aws:iam::123456789012:role/R0\n").append(anchored);
    for (int i = 1; i <= count; i++) {
      yaml.append("  - arn: arn:aws:iam::123456789012:role/R").append(i).append('\n').append(alias);
    }
    Registry registry = RegistryLoader.parse(yaml.toString(), "r.yaml", Resources.path("registry"));
    assertThat(registry.roles()).hasSize(count + 1);
    assertThat(registry.role(RoleArn.of("arn:aws:iam::123456789012:role/R" + count)).orElseThrow().allow()
        .orElseThrow().s3Read()).isEqualTo(registry.role(RoleArn.of("arn:aws:iam::123456789012:role/R0"))
        .orElseThrow().allow().orElseThrow().s3Read());
  }

  /**
   * Documents whose aliases multiply: {@code levels} levels, each {@code width} aliases of the one
   * before, in lists, mappings, flow and block style, under a registry key or beside the registry.
   */
  static Stream<Arguments> bombs() {
    return Stream.of(
        bomb(10, 9, true, "version: 1\n"),
        bomb(10, 9, false, "version: 1\n"),
        bomb(2, 40, true, "version: 1\n"),
        bomb(3, 25, false, CLUSTER),
        bomb(100, 5, true, "version: 1\n"),
        bomb(1000, 4, false, "version: 1\n"));
  }

  private static Arguments bomb(int width, int levels, boolean lists, String head) {
    StringBuilder yaml = new StringBuilder(head).append("x0: &a0 ")
        .append(lists ? "[lol, lol]" : "{a: lol, b: lol}").append('\n');
    for (int level = 1; level <= levels; level++) {
      int previous = level - 1;
      String items = IntStream.range(0, width)
          .mapToObj(i -> lists ? "*a" + previous : "k" + i + ": *a" + previous).collect(Collectors.joining(", "));
      yaml.append('x').append(level).append(": &a").append(level).append(lists ? " [" : " {").append(items)
          .append(lists ? "]" : "}").append('\n');
    }
    return Arguments.of(width + " wide, " + levels + " deep, " + (lists ? "lists" : "mappings"), yaml.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bombs")
  void multiplyingAliasesAreRefusedNamingTheBoundAndTheLine(String shape, String yaml) {
    long start = System.nanoTime();
    List<String> problems = problems(yaml);
    assertThat(System.nanoTime() - start).as("refused without expanding").isLessThan(10_000_000_000L);
    assertThat(problems).singleElement().asString()
        .matches("r\\.yaml:[1-9][0-9]*: the aliases repeat more than 10000000 values in all .*")
        .contains("(*a").doesNotContain("syntax error", "exceeds the specified");
  }

  /** More aliases than the bound, each of one scalar or one small list, in block and flow style. */
  static Stream<Arguments> tooManyAliases() {
    return Stream.of("lol", "[lol]", "{a: lol}").flatMap(value -> Stream.of(
        Arguments.of(value, true), Arguments.of(value, false)));
  }

  @ParameterizedTest(name = "anchor {0}, flow {1}")
  @MethodSource("tooManyAliases")
  void tooManyAliasesAreRefusedNamingTheBoundAndTheLine(String value, boolean flow) {
    int count = 100_001;
    StringBuilder yaml = new StringBuilder("version: 1\nx: &v ").append(value).append("\ny:");
    for (int i = 0; i < count; i++) {
      yaml.append(flow ? (i == 0 ? " [*v" : ", *v") : "\n  - *v");
    }
    yaml.append(flow ? "]\n" : "\n");
    int line = flow ? 3 : 3 + count;
    assertThat(problems(yaml.toString())).singleElement().asString()
        .isEqualTo("r.yaml:" + line + ": more than 100000 aliases (*v is one of them); a registry or an IAM policy"
            + " needs far fewer: write the values out, or is this the right file?");
  }

  private static List<String> problems(String yaml) {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry")));
    return e.problems().stream().map(RegistryProblem::toString).toList();
  }
}
