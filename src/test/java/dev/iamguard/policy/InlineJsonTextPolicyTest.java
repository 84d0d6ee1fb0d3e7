package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy document may be written in the registry as JSON text in a string, as CloudFormation,
 * Terraform's {@code jsonencode} or a copy from the console give it (probe 24c F6: the string was
 * looked for as a file named after the whole document). Every trust and permission document of the
 * fixture, written as a file, as a mapping and as a string in three YAML spellings, decides every
 * statement of {@link RulesTest}'s role rules alike; findings name an inline document by its
 * registry path whether it is a mapping or a string. A string that is not a document, or the wrong
 * kind of document, is a registry problem at its path.
 */
class InlineJsonTextPolicyTest {
  private static final Pattern FILE = Pattern.compile("iam/([A-Za-z.]+\\.json)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** The fixture's IAM roles, each document named by a file written as {@code spell} gives its compact JSON. */
  private static String roles(UnaryOperator<String> spell) throws Exception {
    Map<String, String> documents = new java.util.HashMap<>(Fixture.IAM_DOCUMENTS);
    documents.putAll(Fixture.IAM_SHARED);
    Matcher files = FILE.matcher(Fixture.IAM_ROLES);
    StringBuilder roles = new StringBuilder();
    while (files.find()) {
      String compact = JSON.writeValueAsString(JSON.readTree(documents.get(files.group(1))));
      files.appendReplacement(roles, Matcher.quoteReplacement(spell.apply(compact)));
    }
    return files.appendTail(roles).toString();
  }

  private static Registry registry(String roles, Path baseDir) {
    return Fixture.parse("version: 1\n" + Fixture.CLUSTERS + roles + Fixture.CHAINS, baseDir);
  }

  @Test
  void aDocumentWrittenAsJsonTextDecidesAsTheSameDocumentWrittenAnyOtherWay() throws Exception {
    Fixture.writeIamDocuments(dir);
    Registry files = registry(Fixture.IAM_ROLES, dir);
    Registry mapping = registry(roles(json -> json), null);
    Map<String, Registry> strings = Map.of(
        "single-quoted", registry(roles(json -> "'" + json.replace("'", "''") + "'"), null),
        "double-quoted", registry(roles(json -> "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\""), null),
        "space first", registry(roles(json -> "'  " + json.replace("'", "''") + "'"), dir));
    List<String[]> statements = new ArrayList<>();
    RulesTest.roleRules(Fixture.Form.IAM).forEach(c -> {
      statements.add(new String[] {c.deniedUser(), c.denied()});
      statements.add(new String[] {c.allowedUser(), c.allowed()});
    });
    assertThat(statements).hasSizeGreaterThan(20);
    int denied = 0;
    for (String[] statement : statements) {
      Decision fromFiles = RulesTest.inspectAs(files, statement[0], statement[1]);
      Decision fromMapping = RulesTest.inspectAs(mapping, statement[0], statement[1]);
      assertThat(fromMapping.verdict()).as(statement[1]).isEqualTo(fromFiles.verdict());
      assertThat(Fixture.rules(fromMapping)).as(statement[1]).isEqualTo(Fixture.rules(fromFiles));
      assertThat(fromMapping.sql()).as(statement[1]).isEqualTo(fromFiles.sql());
      for (Map.Entry<String, Registry> string : strings.entrySet()) {
        Decision fromString = RulesTest.inspectAs(string.getValue(), statement[0], statement[1]);
        assertThat(fromString.verdict()).as(string.getKey() + ": " + statement[1]).isEqualTo(fromMapping.verdict());
        assertThat(fromString.findings()).as(string.getKey() + ": " + statement[1])
            .isEqualTo(fromMapping.findings());
        assertThat(fromString.sql()).isEqualTo(fromMapping.sql());
      }
      denied += fromFiles.verdict() == Verdict.DENY ? 1 : 0;
    }
    assertThat(denied).as("the role rules' cases deny some statements").isGreaterThan(5);
  }

  @Test
  void aStringThatIsNoDocumentOrTheWrongKindIsAProblemAtItsPath() {
    String role = "roles:\n  - arn: " + Fixture.LOADER + "\n    policy_files:\n      trust: %s\n";
    Map<String, String> cases = Map.of(
        "'{\"Version\": \"2012-10-17\", \"Statement\": ['", "roles[0].policy_files.trust",
        "'{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
            + " \"Resource\": \"*\"}]}'", "expected a trust policy",
        "'{}'", "roles[0].policy_files.trust");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String yaml = "version: 1\n" + Fixture.CLUSTERS + role.formatted(c.getKey());
      assertThatThrownBy(() -> RegistryLoader.parse(yaml, "test.yaml", dir)).as(c.getKey())
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining(c.getValue())
          .hasMessageNotContaining("cannot read policy file")
          .hasMessageNotContaining("looked for in");
    }
  }
}
