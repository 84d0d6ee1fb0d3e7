package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An import keeps the roles named and every role they may assume, transitively: a role follows
 * from an Allow statement of an inline or managed policy whose Action matches sts:AssumeRole (any
 * case, wildcards, or NotAction) and whose Resource matches its ARN (or NotResource).
 */
class RoleSelectionTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";
  private static final String C = "arn:aws:iam::210987654321:role/RoleC";
  private static final String D = "arn:aws:iam::123456789012:role/RoleD";
  private static final String MANAGED = "arn:aws:iam::123456789012:policy/AssumeC";

  private static Map<String, Object> allow(Object action, Object resource) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Effect", "Allow");
    statement.put("Action", action);
    statement.put("Resource", resource);
    return statement;
  }

  private static Map<String, Object> document(Object statements) {
    return Map.of("Version", "2012-10-17", "Statement", statements);
  }

  private static ImportedRole role(String arn, List<String> managed, Object... inline) {
    List<ImportedRole.InlinePolicy> policies = new java.util.ArrayList<>();
    for (int i = 0; i < inline.length; i++) {
      policies.add(new ImportedRole.InlinePolicy("p" + i, inline[i]));
    }
    return new ImportedRole(arn, arn.substring(arn.lastIndexOf('/') + 1), Map.of(), policies, managed,
        Optional.empty(), "iam.json");
  }

  private static Map<String, ImportedRole> roles(ImportedRole... roles) {
    Map<String, ImportedRole> map = new LinkedHashMap<>();
    for (ImportedRole role : roles) {
      map.put(RegistryImport.key(role.arn()), role);
    }
    return map;
  }

  private static Set<String> select(Map<String, ImportedRole> roles, Map<String, ManagedPolicy> managed, String... named) {
    return RoleSelection.select(roles, managed, new java.util.LinkedHashSet<>(List.of(named)));
  }

  private static Set<String> keys(String... arns) {
    Set<String> keys = new java.util.LinkedHashSet<>();
    for (String arn : arns) {
      keys.add(RegistryImport.key(arn));
    }
    return keys;
  }

  @Test
  void followsInlineAndManagedPoliciesTransitivelyAndLeavesTheRest() {
    Map<String, ImportedRole> roles = roles(
        role(A, List.of(), document(List.of(allow("sts:AssumeRole", B)))),
        role(B, List.of(MANAGED, "arn:aws:iam::123456789012:policy/NotImported")),
        role(C, List.of()),
        role(D, List.of()));
    Map<String, ManagedPolicy> managed = Map.of(MANAGED,
        new ManagedPolicy(MANAGED, "AssumeC", document(allow(List.of("s3:GetObject", "sts:AssumeRole"), List.of(C)))));
    assertThat(select(roles, managed, A)).containsExactlyElementsOf(keys(A, B, C));
    assertThat(select(roles, managed, B)).containsExactlyElementsOf(keys(B, C));
    assertThat(select(roles, managed, D)).containsExactlyElementsOf(keys(D));
    assertThat(select(roles, managed)).isEmpty();
  }

  @Test
  void aNamedRoleIsKeptEvenWhenTheAccountFilesDoNotHoldItAndNamesCompareIgnoringCase() {
    Map<String, ImportedRole> roles = roles(role(A, List.of(), document(allow("sts:AssumeRole", B))), role(B, List.of()));
    assertThat(select(roles, Map.of(), "arn:aws:iam::999999999999:role/Elsewhere", A.toUpperCase()))
        .containsExactly("arn:aws:iam::999999999999:role/elsewhere", RegistryImport.key(A), RegistryImport.key(B));
  }

  @Test
  void chainsThatLoopEnd() {
    Map<String, ImportedRole> roles = roles(
        role(A, List.of(), document(allow("sts:AssumeRole", B))),
        role(B, List.of(), document(allow("sts:AssumeRole", A))));
    assertThat(select(roles, Map.of(), A, B)).containsExactlyElementsOf(keys(A, B));
    assertThat(select(roles, Map.of(), B)).containsExactlyElementsOf(keys(B, A));
  }

  @Test
  void actionsMatchIgnoringCaseAndWithWildcardsResourcesAsWritten() {
    assertThat(keptFrom(document(allow("STS:assumerole", B)))).contains(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("sts:*", B)))).contains(RegistryImport.key(B));
    assertThat(keptFrom(document(allow(List.of(42, "sts:Assume*"), List.of(7, "arn:aws:iam::210987654321:role/*")))))
        .contains(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("sts:AssumeRoleWithSAML", B)))).doesNotContain(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("s3:*", B)))).doesNotContain(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("sts:AssumeRole", C)))).doesNotContain(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("sts:AssumeRole", B.replace("RoleB", "roleb"))))).doesNotContain(RegistryImport.key(B));
    assertThat(keptFrom(document(allow(null, B)))).doesNotContain(RegistryImport.key(B));
    assertThat(keptFrom(document(allow("sts:AssumeRole", null)))).doesNotContain(RegistryImport.key(B));
  }

  @Test
  void notActionAndNotResourceMayAssumeButDenyAndBrokenDocumentsDoNot() {
    Map<String, Object> notAction = new LinkedHashMap<>(Map.of("Effect", "Allow", "NotAction", "s3:*", "Resource", B));
    Map<String, Object> notResource = new LinkedHashMap<>(Map.of("Effect", "Allow", "Action", "sts:AssumeRole",
        "NotResource", A));
    Map<String, Object> deny = new LinkedHashMap<>(allow("sts:AssumeRole", B));
    deny.put("Effect", "Deny");
    assertThat(keptFrom(document(notAction))).contains(RegistryImport.key(B));
    assertThat(keptFrom(document(notResource))).contains(RegistryImport.key(B));
    assertThat(keptFrom(document(deny))).doesNotContain(RegistryImport.key(B));
    // a single statement not in a list counts; a missing Statement, a statement or document that is no object does not
    assertThat(keptFrom(document(allow("sts:AssumeRole", B)))).contains(RegistryImport.key(B));
    assertThat(keptFrom(Map.of("Version", "2012-10-17"))).containsExactly(RegistryImport.key(A));
    assertThat(keptFrom(document(List.of("sts:AssumeRole")))).containsExactly(RegistryImport.key(A));
    assertThat(keptFrom("{\"Statement\": []}")).containsExactly(RegistryImport.key(A));
  }

  /** The roles kept when RoleA, holding {@code document} inline, is named; RoleB and RoleC exist. */
  private static Set<String> keptFrom(Object document) {
    return select(roles(role(A, List.of(), document), role(B, List.of()), role(C, List.of())), Map.of(), A);
  }
}
