package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JSON object that names a key twice, in any kind of import input, is refused at the line of the
 * second naming and with the key's name, as the registry loader says it; never at the document's
 * first line with the parser's words for the enclosing mapping.
 */
class ImportDuplicateKeyTest {
  private static final Path SEED = ImportFixtures.SEED;
  private static final String NAMESPACE = """
      {
          "namespace": {
              "namespaceArn": "arn:aws:redshift-serverless:us-west-2:123456789012:namespace/n1",
              "namespaceId": "n1",
              "namespaceName": "analytics",
              "defaultIamRoleArn": "arn:aws:iam::123456789012:role/RedshiftCopyUnload",
              "iamRoles": []
          }
      }
      """;

  /** Which input, its text, the (1-based) line of the key to name again, the key. */
  static Stream<Arguments> duplicates() throws IOException {
    String clusters = Files.readString(SEED.resolve("describe-clusters.json"), StandardCharsets.UTF_8);
    String account = Files.readString(SEED.resolve("account-123456789012.json"), StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of("redshift", clusters, line(clusters, "\"DefaultIamRoleArn\""), "DefaultIamRoleArn"),
        Arguments.of("redshift", clusters, line(clusters, "\"ClusterIdentifier\""), "ClusterIdentifier"),
        Arguments.of("iam", account, line(account, "\"Effect\""), "Effect"),
        Arguments.of("iam", account, line(account, "\"RoleName\""), "RoleName"),
        Arguments.of("serverless", NAMESPACE, line(NAMESPACE, "\"namespaceName\""), "namespaceName"),
        // the second of two documents in one file (a paged command's outputs): the line counts from the file's start
        Arguments.of("iam", account + account, account.split("\n", -1).length - 1 + line(account, "\"Effect\""),
            "Effect"),
        Arguments.of("serverless", NAMESPACE + NAMESPACE, NAMESPACE.split("\n", -1).length - 1
            + line(NAMESPACE, "\"defaultIamRoleArn\""), "defaultIamRoleArn"));
  }

  @ParameterizedTest(name = "[{index}] --{0} key {3} at line {2}")
  @MethodSource("duplicates")
  void theProblemNamesTheKeyAndTheLineOfItsSecondNaming(String kind, String text, int line, String key) {
    String twice = twice(text, line);
    String name = kind + ".json";
    RegistryImport.Input input = ImportFixtures.text(name, twice);
    RegistryImport.Input clusters = ImportFixtures.input(SEED.resolve("describe-clusters.json"));
    RegistryImport.Input account = ImportFixtures.input(SEED.resolve("account-123456789012.json"));
    RegistryImport.Request request = new RegistryImport.Request(
        List.of(kind.equals("iam") ? input : account),
        kind.equals("redshift") ? List.of(input) : kind.equals("iam") ? List.of(clusters) : List.of(),
        kind.equals("serverless") ? List.of(input) : List.of(), Optional.empty(), Optional.empty(), false,
        RegistryImport.Layout.EMBEDDED);
    ImportException e = catchThrowableOfType(() -> RegistryImport.run(request), ImportException.class);
    assertThat(e).as(kind).isNotNull();
    assertThat(e.problems()).contains(name + ": line " + (line + 1) + ": not valid JSON: duplicate key \"" + key
        + "\" (each key of a JSON object must be named once; which value counts is not defined)");
  }

  /** The first line holding {@code needle}, 1-based. */
  private static int line(String text, String needle) {
    List<String> lines = Arrays.asList(text.split("\n", -1));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError(needle);
  }

  /** The text with the member at {@code line} written once more just before it, the copy ending in a comma. */
  private static String twice(String text, int line) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    String member = lines.get(line - 1).stripTrailing();
    lines.add(line - 1, member.endsWith(",") ? member : member + ",");
    return String.join("\n", lines);
  }
}
