package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Choosing the roles to import keeps a role "when in doubt" ({@link RoleSelection}): a Resource of
 * {@code sts:AssumeRole} with a policy variable ({@code role/${aws:PrincipalTag/next}}) may name any role
 * its text around the variable allows, which IAM decides per request. Such a Resource was compared as
 * plain text, matched no role, and the role a chain goes on to was left out of the registry: every
 * statement using the chain was denied as ROLE_UNKNOWN, where IAM may allow it. In a document of Version
 * 2008-10-17 (or none) {@code ${...}} is plain text, which names no role, as before.
 */
class RoleSelectionVariablesTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/team/RoleB";
  private static final String OTHER = "arn:aws:iam::210987654321:role/Other";

  @Test
  void aResourceWithAVariableKeepsEveryRoleItMayName() {
    List<String> mayNameB = List.of("arn:aws:iam::210987654321:role/team/${aws:PrincipalTag/next}",
        "arn:aws:iam::210987654321:role/team/Role${aws:PrincipalTag/next}",
        "arn:aws:iam::${aws:PrincipalTag/account}:role/team/RoleB",
        "arn:aws:iam::210987654321:role/${aws:PrincipalTag/path}/RoleB",
        "arn:aws:iam::210987654321:role/team/${aws:PrincipalTag/next, 'RoleB'}",
        "arn:aws:iam::210987654321:role/team/${ aws:PrincipalTag/first }${aws:PrincipalTag/second}");
    List<String> wrong = new ArrayList<>();
    for (String resource : mayNameB) {
      for (String version : List.of("2012-10-17", "2008-10-17", "")) {
        Set<String> kept = select(resource, version);
        boolean expected = version.equals("2012-10-17");
        if (kept.contains(B.toLowerCase()) != expected) {
          wrong.add(resource + " (Version " + version + "): kept " + kept);
        }
        if (kept.contains(OTHER.toLowerCase())) {
          wrong.add(resource + " (Version " + version + "): keeps a role it cannot name: " + kept);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static Set<String> select(String resource, String version) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Action", "sts:AssumeRole");
    statement.put("Resource", resource);
    Map<String, Object> document = new LinkedHashMap<>();
    if (!version.isEmpty()) {
      document.put("Version", version);
    }
    document.put("Statement", List.of(statement));
    Map<String, ImportedRole> roles = new LinkedHashMap<>();
    roles.put(A.toLowerCase(), new ImportedRole(A, "RoleA", Map.of(), List.of(new ImportedRole.InlinePolicy("p", document)),
        List.of(), Optional.empty(), "iam.json"));
    for (String arn : List.of(B, OTHER)) {
      roles.put(arn.toLowerCase(), new ImportedRole(arn, arn.substring(arn.lastIndexOf('/') + 1), Map.of(), List.of(),
          List.of(), Optional.empty(), "iam.json"));
    }
    return RoleSelection.select(roles, Map.of(), new LinkedHashSet<>(List.of(A)));
  }
}
