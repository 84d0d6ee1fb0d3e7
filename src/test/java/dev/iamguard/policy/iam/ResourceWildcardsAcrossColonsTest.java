package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A wildcard inside the resource part of an ARN pattern, facing a resource whose text at that
 * place holds a {@code :} (S3 keys often do: {@code run=2024-01-01T00:00:00/}). The IAM reference
 * says wildcards work "within the individual segments of an ARN (the parts separated by colons)"
 * and that a {@code *} ending a segment "can expand to match beyond the colon boundaries"; whether
 * the resource part of an S3 object ARN is one segment, colons included, it does not say. The guard
 * may not pick the reading that suits it: a Deny (or an Allow's NotResource) that may apply is
 * taken to apply, an Allow that may not apply is not counted.
 *
 * <p>Generated: 6 pattern shapes x 7 ways of placing colons in what the wildcard spans x 2 action
 * spellings x (Deny with Resource, Allow with NotResource) x (one object, every object under a
 * prefix).
 */
class ResourceWildcardsAcrossColonsTest {

  /** A pattern, and what a text must look like around what its wildcard spans. */
  private record Shape(String pattern, String before, String after) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape("arn:aws:s3:::bkt/*/private/*", "arn:aws:s3:::bkt/", "/private/a.csv"),
      new Shape("arn:aws:s3:::bkt/*.csv", "arn:aws:s3:::bkt/", ".csv"),
      new Shape("arn:aws:s3:::*/private/*", "arn:aws:s3:::", "/private/a.csv"),
      new Shape("arn:aws:s3:::bkt/run=*/pii/*", "arn:aws:s3:::bkt/run=", "/pii/part-0"),
      new Shape("arn:aws:s3:::bkt/x?y/*", "arn:aws:s3:::bkt/x", "y/part-0"),
      new Shape("arn:aws:s3:::bkt/*/*/pii/*", "arn:aws:s3:::bkt/", "/pii/part-0"));

  /** What a star spans: colons first, last, alone, several, inside a timestamp; '?' gets the one-char ones. */
  private static final List<String> SPANS = List.of(
      "2024-01-01T00:00:00", ":", ":a", "a:", "a:b:c", "::", "x/y:z");

  private static List<String> spansFor(Shape shape) {
    return shape.pattern().contains("?") ? List.of(":") : SPANS;
  }

  static Stream<Arguments> colonResources() {
    List<Arguments> all = new ArrayList<>();
    for (Shape shape : SHAPES) {
      for (String span : spansFor(shape)) {
        String filled = shape.pattern().endsWith("/*/*/pii/*") ? span + "/" + span : span;
        for (String action : List.of("s3:GetObject", "S3:getobject")) {
          all.add(Arguments.of(shape.pattern(), shape.before() + filled + shape.after(), action));
        }
      }
    }
    return all.stream();
  }

  private static IamPolicy policy(String statements) throws IamPolicyException {
    return IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + statements + "}", "p.json");
  }

  private static IamPolicy denyWith(String pattern) throws IamPolicyException {
    return policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::*\"},"
        + " {\"Effect\": \"Deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"" + pattern + "\"}]");
  }

  private static IamPolicy allowNot(String pattern) throws IamPolicyException {
    return policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"" + pattern + "\"}]");
  }

  /** The prefix of {@code resource} up to and including the last character the wildcard spans. */
  private static String prefixThroughSpan(String resource, Shape shape) {
    return resource.substring(0, resource.length() - shape.after().length());
  }

  private static Shape shapeOf(String pattern) {
    return SHAPES.stream().filter(s -> s.pattern().equals(pattern)).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "Deny {0} on {1} ({2})")
  @MethodSource("colonResources")
  void aDenyWhoseWildcardMaySpanTheColonIsTakenToApply(String pattern, String resource, String action)
      throws Exception {
    IamPolicy p = denyWith(pattern);

    assertThat(p.evaluate(action, resource, Map.of())).isEqualTo(IamEffect.DENY);
    assertThat(p.evaluateForPrefix(action, prefixThroughSpan(resource, shapeOf(pattern)), Map.of()))
        .isEqualTo(IamEffect.DENY);
  }

  @ParameterizedTest(name = "Allow NotResource {0} on {1} ({2})")
  @MethodSource("colonResources")
  void anAllowWhoseNotResourceMayMatchIsNotCounted(String pattern, String resource, String action)
      throws Exception {
    IamPolicy p = allowNot(pattern);

    assertThat(p.evaluate(action, resource, Map.of())).isEqualTo(IamEffect.IMPLICIT_DENY);
    assertThat(p.evaluateForPrefix(action, prefixThroughSpan(resource, shapeOf(pattern)), Map.of()))
        .isEqualTo(IamEffect.IMPLICIT_DENY);
  }

  @ParameterizedTest(name = "Allow {0} on {1} ({2})")
  @MethodSource("colonResources")
  void anAllowWhoseWildcardMustSpanTheColonIsNotCounted(String pattern, String resource, String action)
      throws Exception {
    IamPolicy p = policy("[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"" + pattern + "\"}]");

    assertThat(p.evaluate(action, resource, Map.of())).isEqualTo(IamEffect.IMPLICIT_DENY);
  }

  /** The same shapes without a colon: the Deny applies surely, the NotResource surely excludes. */
  @Test
  void withoutColonsTheShapesDecideSurely() throws Exception {
    for (Shape shape : SHAPES) {
      String span = shape.pattern().contains("?") ? "-" : shape.pattern().endsWith("/*/*/pii/*") ? "a/b" : "2024";
      String resource = shape.before() + span + shape.after();
      IamDecision deny = denyWith(shape.pattern()).decide("s3:GetObject", resource, Map.of());
      assertThat(deny.effect()).as(shape.pattern()).isEqualTo(IamEffect.DENY);
      assertThat(deny.conservativeUsed()).as(shape.pattern()).isFalse();
      assertThat(allowNot(shape.pattern()).evaluate("s3:GetObject", resource, Map.of()))
          .as(shape.pattern()).isEqualTo(IamEffect.IMPLICIT_DENY);
      assertThat(allowNot(shape.pattern()).evaluate("s3:GetObject", "arn:aws:s3:::other/k", Map.of()))
          .as(shape.pattern()).isEqualTo(IamEffect.ALLOW);
    }
  }

  @Test
  void theDenialSaysWhichPatternWasTakenToApply() throws Exception {
    IamDecision d = denyWith("arn:aws:s3:::bkt/*/private/*")
        .decide("s3:GetObject", "arn:aws:s3:::bkt/t=00:00/private/a", Map.of());

    assertThat(d.effect()).isEqualTo(IamEffect.DENY);
    assertThat(d.conservative()).singleElement().satisfies(c -> assertThat(c.describe())
        .contains("arn:aws:s3:::bkt/*/private/*").contains("Deny is taken to apply"));
  }

  @Test
  void aFinalStarStillSpansColonsSurely() throws Exception {
    IamDecision d = denyWith("arn:aws:s3:::bkt/*").decide("s3:GetObject", "arn:aws:s3:::bkt/a:b", Map.of());

    assertThat(d.effect()).isEqualTo(IamEffect.DENY);
    assertThat(d.conservativeUsed()).isFalse();
  }
}
