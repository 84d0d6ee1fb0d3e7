package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A registry problem quotes the value it is about, and a value of megabytes (a file pasted where
 * an ARN belongs) made an error of megabytes, in its path and its message (probe 24c F4). Classes
 * of input: a value of 2,500 to 1.1 million characters in eight kinds of field (role ARN, region, alias,
 * S3 location, database user, policy file, an IAM document's principal, its condition key), of ASCII,
 * of chars outside the BMP (never cut in half) and holding a secret key past the cut. Each problem
 * keeps its line, its path, what is wrong and the value's start and end, in at most a few thousand
 * characters; a short value is quoted whole, as before.
 */
class HugeValueProblemTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /** Registry text with {@code value} where each kind of field expects something short, and what the problem says. */
  private static Map<String, String[]> registries(String value) {
    Map<String, String[]> all = new LinkedHashMap<>();
    String role = "version: 1\nroles:\n  - arn: arn:aws:iam::111122223333:role/A\n";
    all.put("role arn", new String[] {"version: 1\nroles:\n  - arn: \"arn:aws:iam::111122223333:role/" + value + "!\"\n",
        "roles[0].arn", "is not a role ARN"});
    all.put("region", new String[] {"version: 1\nclusters:\n  - id: west\n    account: '111122223333'\n    region: \"us-"
        + value + "\"\n", "clusters[0].region", "is not a region name"});
    all.put("alias", new String[] {role + "    alias: \"a " + value + "\"\n", "roles[0].alias", "alias"});
    all.put("s3", new String[] {role + "    allow:\n      s3_read: [\"http://" + value + "\"]\n",
        "roles[0].allow.s3_read[0]", "invalid S3 location"});
    all.put("db user", new String[] {role + "    trust:\n      db_users: [\"arn:aws:redshift:" + value + "\"]\n",
        "roles[0].trust.db_users[0]", "database user"});
    all.put("policy file", new String[] {role + "    policy_files:\n      trust: \"iam/" + value + ".json\"\n",
        "roles[0].policy_files.trust", "cannot be resolved"});
    all.put("principal", new String[] {role + "    policy_files:\n      trust: {Version: '2012-10-17', Statement: [{Effect:"
        + " Allow, Action: 'sts:AssumeRole', Principal: {AWS: \"arn:aws:iam::" + value + "\"}}]}\n",
        "roles[0].policy_files.trust", "Principal"});
    all.put("condition key", new String[] {role + "    policy_files:\n      trust: {Version: '2012-10-17', Statement:"
        + " [{Effect: Allow, Action: 'sts:AssumeRole', Principal: {Service: redshift.amazonaws.com}, Condition:"
        + " {StringEquals: {? \"" + value + "\" : x}}}]}\n", "roles[0].policy_files.trust", "condition key"});
    return all;
  }

  @Test
  void aHugeValueIsQuotedByItsStartAndEnd() {
    String[] shapes = {"x", "ab-", "\uD834\uDD1E", "aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key=" + SECRET + ";"};
    for (int size : new int[] {2_500, 70_000, 1_100_000}) {
      for (String shape : shapes) {
        if (size > 100_000 && shape.length() > 2) {
          continue; // past the YAML buffer's million chars: one ASCII value and one of pairs (the second half read past it)
        }
        String value = shape.repeat(size / shape.length()) + "END";
        for (Map.Entry<String, String[]> c : registries(value).entrySet()) {
          String what = c.getKey() + ", " + size + " x " + shape;
          RegistryException e = catchThrowableOfType(
              () -> RegistryLoader.parse(c.getValue()[0], "test.yaml", null), RegistryException.class);
          assertThat(e).as(what).isNotNull();
          assertThat(e.getMessage().length()).as(what).isLessThan(12_000);
          // masked before the cut: no piece of a secret is left, wherever the cut falls in one
          assertThat(e.getMessage()).as(what).doesNotContain(SECRET.substring(0, 10), SECRET.substring(15, 25),
              SECRET.substring(30));
          RegistryProblem problem = e.problems().stream().filter(p -> p.path().startsWith(c.getValue()[1]))
              .findFirst().orElseThrow(() -> new AssertionError(what + ": no problem at " + c.getValue()[1] + ": "
                  + e.getMessage().substring(0, Math.min(2_000, e.getMessage().length()))));
          assertThat(problem.line()).as(what).isPositive();
          assertThat(problem.message()).as(what).contains(c.getValue()[2]);
          if (size > 2_500 || !shape.contains("secret")) { // masked, 2,500 chars of keys are shorter than the bound
            assertThat(problem.message()).as(what).contains("characters left out");
          }
          assertThat(problem.message().length()).as(what).isLessThanOrEqualTo(RegistryProblem.LONGEST + 60);
          // the value's end stays (the cut is inside it)
          assertThat(problem.message()).as(what).containsPattern("END|" + java.util.regex.Pattern.quote(
              shape.substring(shape.length() - 1)) + "[\"\\]]");
          for (String text : new String[] {problem.message(), problem.path()}) {
            for (int i = 0; i < text.length(); i++) {
              char ch = text.charAt(i);
              assertThat(Character.isHighSurrogate(ch) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                  : !Character.isLowSurrogate(ch) || i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))
                  .as(what + ": a surrogate pair cut at " + i).isTrue();
            }
          }
        }
      }
    }
  }

  @Test
  void aShortValueIsQuotedWhole() {
    String value = "y".repeat(300);
    for (Map.Entry<String, String[]> c : registries(value).entrySet()) {
      RegistryException e = catchThrowableOfType(() -> RegistryLoader.parse(c.getValue()[0], "test.yaml", null),
          RegistryException.class);
      assertThat(e).as(c.getKey()).isNotNull();
      assertThat(e.getMessage()).as(c.getKey()).contains(value).doesNotContain("characters left out");
    }
  }
}
