package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A role of {@code get-account-authorization-details} whose {@code RolePolicyList} or
 * {@code AttachedManagedPolicies} is missing or null was trimmed (by {@code --query}, jq, an
 * editor): the CLI prints both, as {@code []} when the role has none. Read as "no policies", such a
 * role would lose any inline or managed Deny it carries, so the guard would allow what IAM denies;
 * the import names the field instead.
 *
 * <p>Generated: 2 fields x 2 ways of losing them (absent, null) x 3 places of the role among
 * others.
 */
class IamAccountReaderTrimmedRolesTest {
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

  private static String role(String name, String omit, boolean asNull) {
    List<String> fields = new ArrayList<>(List.of("\"Arn\": \"arn:aws:iam::123456789012:role/" + name + "\"",
        "\"RoleName\": \"" + name + "\"", "\"AssumeRolePolicyDocument\": " + TRUST));
    for (String key : List.of("RolePolicyList", "AttachedManagedPolicies")) {
      if (!key.equals(omit)) {
        fields.add("\"" + key + "\": []");
      } else if (asNull) {
        fields.add("\"" + key + "\": null");
      }
    }
    return "{" + String.join(", ", fields) + "}";
  }

  static Stream<Arguments> trimmed() {
    List<Arguments> all = new ArrayList<>();
    for (String key : List.of("RolePolicyList", "AttachedManagedPolicies")) {
      for (boolean asNull : List.of(false, true)) {
        for (int at = 0; at < 3; at++) {
          all.add(Arguments.of(key, asNull, at));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} (null {1}) on role {2}")
  @MethodSource("trimmed")
  void aTrimmedRoleIsNamed(String key, boolean asNull, int at) throws Exception {
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      roles.add(i == at ? role("Trimmed", key, asNull) : role("Whole" + i, "", false));
    }
    List<String> problems = new ArrayList<>();
    IamAccountReader reader = new IamAccountReader(problems);
    for (AwsJson.Document d : AwsJson.read("{\"RoleDetailList\": [" + String.join(", ", roles) + "]}", "x.json")) {
      reader.read(d, "x.json");
    }

    assertThat(problems).singleElement().asString().startsWith("x.json: RoleDetailList[" + at + "]." + key + ": ");
    assertThat(reader.roles().keySet()).hasSize(2).noneMatch(k -> k.contains("trimmed"));
  }
}
