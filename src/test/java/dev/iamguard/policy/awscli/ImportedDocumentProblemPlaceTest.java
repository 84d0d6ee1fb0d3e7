package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A policy document of the export that the guard refuses (here a statement key spelled {@code effect})
 * is found when the imported registry is loaded, and was named by its place in that registry:
 * {@code <output>/registry.yaml:38: roles[0].policy_files.permissions[1]: inline document: statement 2,
 * line 45}. The registry is never written when it fails, so neither the role nor the policy could be
 * found from that. Each problem of an imported document names the role's ARN (or the managed policy's),
 * which document of it (trust, the inline policy by name, a boundary) and the --iam file it came from.
 *
 * <p>For the trust policy, each of three inline policies, an attached managed policy and a boundary, in
 * both layouts, with the other documents well formed.
 */
class ImportedDocumentProblemPlaceTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";
  private static final String GOOD_TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
  private static final String BAD_TRUST = GOOD_TRUST.replace("\"Effect\"", "\"effect\"");
  private static final String GOOD = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
  private static final String BAD = GOOD.replace("\"Effect\"", "\"effect\"");

  private record Broken(String document, String expected) {}

  @Test
  void aProblemOfAnImportedDocumentNamesItsRoleDocumentAndFile() {
    List<Broken> cases = List.of(new Broken("trust", "trust policy of role " + ROLE),
        new Broken("inline 0", "inline policy alpha of role " + ROLE),
        new Broken("inline 1", "inline policy beta of role " + ROLE),
        new Broken("inline 2", "inline policy gamma of role " + ROLE),
        new Broken("managed", "managed policy arn:aws:iam::123456789012:policy/M"),
        new Broken("boundary", "managed policy arn:aws:iam::123456789012:policy/B"));
    List<String> wrong = new ArrayList<>();
    for (RegistryImport.Layout layout : RegistryImport.Layout.values()) {
      for (Broken broken : cases) {
        List<String> problems = problems(export(broken.document()), layout);
        List<String> aboutIt = problems.stream().filter(p -> p.contains("unknown key \"effect\"")).toList();
        if (aboutIt.isEmpty() || !aboutIt.stream().allMatch(p -> p.contains(broken.expected()) && p.contains("iam.json"))) {
          wrong.add(layout + ", " + broken.document() + ": " + problems);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static String export(String broken) {
    List<String> names = List.of("gamma", "alpha", "beta"); // not in the order they are written
    StringBuilder inline = new StringBuilder();
    for (String name : names) {
      boolean bad = broken.equals("inline " + List.of("alpha", "beta", "gamma").indexOf(name));
      inline.append(inline.length() > 0 ? ", " : "").append("{\"PolicyName\": \"").append(name)
          .append("\", \"PolicyDocument\": ").append(bad ? BAD : GOOD).append('}');
    }
    return "{\"RoleDetailList\": [{\"RoleName\": \"R\", \"Arn\": \"" + ROLE + "\", \"AssumeRolePolicyDocument\": "
        + (broken.equals("trust") ? BAD_TRUST : GOOD_TRUST) + ", \"RolePolicyList\": [" + inline + "],"
        + " \"AttachedManagedPolicies\": [{\"PolicyName\": \"M\", \"PolicyArn\": \"arn:aws:iam::123456789012:policy/M\"}],"
        + " \"PermissionsBoundary\": {\"PermissionsBoundaryType\": \"Policy\", \"PermissionsBoundaryArn\":"
        + " \"arn:aws:iam::123456789012:policy/B\"}}], \"Policies\": [" + managed("M", broken.equals("managed") ? BAD : GOOD)
        + ", " + managed("B", broken.equals("boundary") ? BAD : GOOD) + "]}";
  }

  private static String managed(String name, String document) {
    return "{\"PolicyName\": \"" + name + "\", \"Arn\": \"arn:aws:iam::123456789012:policy/" + name + "\","
        + " \"DefaultVersionId\": \"v1\", \"PolicyVersionList\": [{\"VersionId\": \"v1\", \"IsDefaultVersion\": true,"
        + " \"Document\": " + document + "}]}";
  }

  private static List<String> problems(String iam, RegistryImport.Layout layout) {
    String clusters = "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"ClusterNamespaceArn\":"
        + " \"arn:aws:redshift:us-west-2:123456789012:namespace:x\", \"IamRoles\": [{\"IamRoleArn\": \"" + ROLE + "\","
        + " \"ApplyStatus\": \"in-sync\"}]}]}";
    try {
      RegistryImport.run(new RegistryImport.Request(List.of(ImportFixtures.text("exports/iam.json", iam)),
          List.of(ImportFixtures.text("d.json", clusters)), List.of(), Optional.empty(), Optional.empty(), false, layout));
      return List.of("imported");
    } catch (ImportException e) {
      return e.problems();
    }
  }
}
