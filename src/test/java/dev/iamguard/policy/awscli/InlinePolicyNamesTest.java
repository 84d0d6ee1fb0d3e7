package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A role's inline policies are written one file each, and a file per name: two policies of one
 * name (which IAM never prints) were written to one file, the second replacing the first, so an
 * export whose Deny came first imported without it and {@code check} then allowed what the account
 * denies (suggest probe finding 2). Such an export is refused naming the policy; names that differ
 * only in case (one file on a file system that ignores case) get files of their own.
 */
class InlinePolicyNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DENY = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\","
      + " \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::acmedata/redshift/*\"}]}";

  /** The seed account with an inline policy named {@code name} holding a Deny put first on RedshiftCopyUnload. */
  private static RegistryImport.Request withDenyNamed(String name) throws Exception {
    ObjectNode account = (ObjectNode) JSON.readTree(Files.readString(ImportFixtures.SEED.resolve("account-123456789012.json")));
    for (var role : account.withArray("RoleDetailList")) {
      if (role.get("RoleName").asText().equals("RedshiftCopyUnload")) {
        ObjectNode deny = JSON.createObjectNode().put("PolicyName", name);
        deny.set("PolicyDocument", JSON.readTree(DENY));
        ((ArrayNode) role.get("RolePolicyList")).insert(0, deny);
      }
    }
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    return new RegistryImport.Request(List.of(ImportFixtures.text("account.json", JSON.writeValueAsString(account)),
        seed.iam().get(1)), seed.redshift(), List.of(), seed.grants(), Optional.empty(), false, RegistryImport.Layout.FILES);
  }

  @Test
  void twoInlinePoliciesOfOneNameAreRefusedNamingThem() {
    assertThatThrownBy(() -> RegistryImport.run(withDenyNamed("s3-access"))).isInstanceOf(ImportException.class)
        .satisfies(e -> assertThat(((ImportException) e).problems()).anySatisfy(p -> assertThat(p)
            .contains("RolePolicyList[1].PolicyName: \"s3-access\" names another inline policy of this role too")));
  }

  @Test
  void namesThatDifferOnlyInCaseGetAFileEach() throws Exception {
    for (String name : List.of("S3-Access", "S3-ACCESS", "s3-Access")) {
      RegistryImport.Result result = ImportFixtures.run(withDenyNamed(name));
      List<String> inline = result.files().keySet().stream()
          .filter(f -> f.contains("/RedshiftCopyUnload/inline/")).toList();
      assertThat(inline).as(name).hasSize(3);
      assertThat(inline.stream().map(f -> f.toLowerCase(java.util.Locale.ROOT)).distinct()).as(name).hasSize(3);
      assertThat(inline.stream().map(f -> result.files().get(f)).filter(text -> text.contains("\"Deny\""))).as(name).hasSize(1);
      for (String file : inline) {
        assertThat(result.registry()).as(name).contains(file);
      }
    }
  }
}
