package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy file naming a top-level key of its document more than once is refused with one problem
 * for each extra naming (fxR: {@code "Statement"} twice was reported twice, once when the file was
 * recognised as a policy document and again when the document was read). Each key of a document
 * (Version, Statement, Id) and of the AWS CLI's wrappers (PolicyDocument, Role, PolicyVersion) is
 * named two to four times, the extra namings anywhere among the other keys; the count of its
 * "duplicate key" problems is the number of extra namings, counted by hand from the generator.
 */
class DuplicateTopKeysOnceTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";
  private static final String STATEMENT =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]";
  private static final String DOCUMENT = "{\"Version\":\"2012-10-17\",\"Statement\":" + STATEMENT + "}";

  @TempDir
  Path dir;

  private List<String> problems(String policy, String kind) throws Exception {
    Path folder = Files.createTempDirectory(dir, "case");
    Files.writeString(folder.resolve("p.json"), policy);
    Files.writeString(folder.resolve("registry.yaml"), "version: 1\nroles:\n  - arn: " + ROLE
        + "\n    policy_files:\n      " + kind + (kind.equals("trust") ? ": p.json\n" : ": [p.json]\n"));
    List<String> found = new ArrayList<>();
    assertThatThrownBy(() -> RegistryLoader.load(folder.resolve("registry.yaml"), PolicyFileScope.REGISTRY_FOLDER))
        .isInstanceOfSatisfying(RegistryException.class, e -> e.problems().forEach(p -> found.add(p.toString())));
    return found;
  }

  private static long count(List<String> problems, String key) {
    return problems.stream().filter(p -> p.contains("duplicate key \"" + key + "\"")).count();
  }

  /** The entries of an object: {@code key} named {@code times} times, the first at {@code at}. */
  private static String object(List<String> others, String key, String value, int times, int at) {
    List<String> entries = new ArrayList<>(others);
    for (int i = 0; i < times; i++) {
      entries.add(Math.min(at + i, entries.size()), "\"" + key + "\":" + value);
    }
    return "{" + String.join(",\n", entries) + "}";
  }

  @Test
  void aDocumentsDuplicateKeyIsReportedOncePerExtraNaming() throws Exception {
    List<String[]> keys = List.of(new String[] {"Version", "\"2012-10-17\""}, new String[] {"Statement", STATEMENT},
        new String[] {"Id", "\"x\""});
    int cases = 0;
    for (String[] key : keys) {
      List<String> others = new ArrayList<>();
      for (String[] other : keys) {
        if (!other[0].equals(key[0])) {
          others.add("\"" + other[0] + "\":" + other[1]);
        }
      }
      for (int times = 2; times <= 4; times++) {
        for (int at = 0; at <= others.size(); at++) {
          for (String kind : List.of("permissions", "trust")) {
            List<String> problems = problems(object(others, key[0], key[1], times, at), kind);
            assertThat(count(problems, key[0])).as("%s named %d times in a %s file: %s", key[0], times, kind, problems)
                .isEqualTo(times - 1);
            cases++;
          }
        }
      }
    }
    assertThat(cases).isEqualTo(3 * 3 * 3 * 2);
  }

  @Test
  void aWrappersDuplicateKeyIsReportedOncePerExtraNaming() throws Exception {
    for (int times = 2; times <= 4; times++) {
      List<String> problems = problems(object(List.of("\"RoleName\":\"R\"", "\"PolicyName\":\"p\""), "PolicyDocument",
          DOCUMENT, times, 1), "permissions");
      assertThat(count(problems, "PolicyDocument")).as("%s", problems).isEqualTo(times - 1);
      problems = problems(object(List.of(), "PolicyVersion", "{\"Document\":" + DOCUMENT + "}", times, 0), "permissions");
      assertThat(count(problems, "PolicyVersion")).as("%s", problems).isEqualTo(times - 1);
      problems = problems(object(List.of(), "Role", "{\"AssumeRolePolicyDocument\":" + DOCUMENT + "}", times, 0),
          "trust");
      assertThat(count(problems, "Role")).as("%s", problems).isEqualTo(times - 1);
    }
  }
}
