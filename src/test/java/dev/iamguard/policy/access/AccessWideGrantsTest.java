package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An IAM document can grant every bucket, or every function, without naming one: an Allow with
 * {@code NotResource}, or a Resource whose star ends inside the bucket name or the account field
 * ({@code arn:aws:s3:::*}, {@code arn:aws:s3:::dat*}, {@code arn:aws:lambda:us-west-2:123456789012:*}).
 * The access table (and so {@code registry diff}, which reviewers read for gains) must show such
 * access; a table blind to it would let a role be widened to every bucket with an empty diff.
 *
 * <p>Generated: 7 statement shapes x 4 spellings of the action x (COPY, UNLOAD), and 4 Lambda
 * shapes x 3 spellings of the action.
 */
class AccessWideGrantsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Wide";

  @TempDir
  Path dir;

  private Registry registry(String statement) throws Exception {
    return DocumentRoleRegistry.of(ROLE, "{Effect: Allow, Action: \"s3:ListBucket\", Resource: \"*\"}, " + statement, dir);
  }

  private static List<String> rows(AccessReport report, AccessCommand command) {
    return report.entries().stream()
        .filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(ROLE) && e.command() == command)
        .map(AccessEntry::resource).toList();
  }

  static Stream<Arguments> s3Grants() {
    List<String> shapes = List.of(
        "NotResource: \"arn:aws:s3:::secret/*\"",
        "NotResource: [\"arn:aws:s3:::secret\", \"arn:aws:s3:::secret/*\"]",
        "NotResource: \"arn:aws:lambda:*:*:function:*\"",
        "Resource: \"arn:aws:s3:::*\"",
        "Resource: \"arn:aws:s3:::dat*\"",
        "Resource: \"arn:*:s3:*:*:*\"",
        "Resource: [\"arn:aws:s3:::secret/x\", \"arn:aws:s3:::*\"]");
    List<Arguments> all = new ArrayList<>();
    for (String shape : shapes) {
      for (AccessCommand command : List.of(AccessCommand.COPY, AccessCommand.UNLOAD)) {
        String action = command == AccessCommand.COPY ? "s3:GetObject" : "s3:PutObject";
        for (String spelled : List.of(action, action.toUpperCase(), "s3:*", action.substring(0, 6) + "*")) {
          all.add(Arguments.of(shape, spelled, command));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @MethodSource("s3Grants")
  void aGrantWithoutANamedBucketStillShowsInTheTable(String shape, String action, AccessCommand command)
      throws Exception {
    // an UNLOAD also reads and lists what it writes ("GET, LIST, and PUT"): reading is granted everywhere here,
    // so what the shape grants decides
    String reads = command == AccessCommand.UNLOAD ? ", {Effect: Allow, Action: \"s3:GetObject\", Resource: \"*\"}" : "";
    AccessReport report = AccessReport.of(registry("{Effect: Allow, Action: \"" + action + "\", " + shape + "}" + reads));

    assertThat(rows(report, command)).as("%s rows", command).isNotEmpty();
    if (shape.startsWith("NotResource") || shape.contains("arn:aws:s3:::*\"")) {
      assertThat(rows(report, command)).contains("s3://*/");
    }
  }

  /** The harness itself: a named prefix shows as itself, a NotResource naming every bucket grants nothing. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("controls")
  void namedAndEmptyGrantsShowAsThey(String shape, List<String> expected) throws Exception {
    AccessReport report = AccessReport.of(registry("{Effect: Allow, Action: \"s3:GetObject\", " + shape + "}"));

    assertThat(rows(report, AccessCommand.COPY)).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> controls() {
    return Stream.of(
        Arguments.of("Resource: \"arn:aws:s3:::bkt/in/*\"", List.of("s3://bkt/in/")),
        Arguments.of("Resource: \"arn:aws:s3:::bkt\"", List.of()),
        Arguments.of("NotResource: \"arn:aws:s3:::*\"", List.of()),
        Arguments.of("Resource: \"arn:aws:s3:::dat*\"", List.of("s3://dat*/")));
  }

  static Stream<Arguments> lambdaGrants() {
    List<Arguments> all = new ArrayList<>();
    for (String shape : List.of("NotResource: \"arn:aws:lambda:us-west-2:123456789012:function:secret\"",
        "Resource: \"arn:aws:lambda:us-west-2:123456789012:*\"", "Resource: \"arn:aws:lambda:*:*:*\"",
        "Resource: \"arn:aws:lambda:us-west-2:123456789012:func*\"")) {
      for (String action : List.of("lambda:InvokeFunction", "LAMBDA:invokefunction", "lambda:Invoke*")) {
        all.add(Arguments.of(shape, action));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("lambdaGrants")
  void aLambdaGrantWithoutANamedFunctionStillShowsInTheTable(String shape, String action) throws Exception {
    AccessReport report = AccessReport.of(registry("{Effect: Allow, Action: \"" + action + "\", " + shape + "}"));

    assertThat(rows(report, AccessCommand.EXTERNAL_FUNCTION)).isNotEmpty();
  }
}
