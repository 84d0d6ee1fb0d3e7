package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry import} of an account whose trust policies name a deleted role by its unique id
 * (IAM prints {@code "AWS": "AROA..."} once the role named is gone): the import loads, the id is
 * kept in the written document, and it trusts no one. RoleB's trust (the seed: the account root of
 * 123456789012) gets the id beside the root, then instead of it.
 */
class DeletedPrincipalImportTest {
  private static final String ROOT = "%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot%22";
  private static final String ID = "AROADBQP57FF2AEXAMPLE";
  private static final String CHAIN_COPY = "copy t from 's3://companyb/redshift/in/' iam_role "
      + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";

  @TempDir
  Path dir;

  private Registry imported(String roleBTrustPrincipal, Path folder) {
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    RegistryImport.Input partner = ImportFixtures.input(ImportFixtures.SEED.resolve("account-210987654321.json"));
    assertThat(partner.text()).contains(ROOT);
    RegistryImport.Input changed = ImportFixtures.text(partner.name(), partner.text().replace(ROOT, roleBTrustPrincipal));
    RegistryImport.Result result = ImportFixtures.run(new RegistryImport.Request(
        List.of(seed.iam().get(0), changed), seed.redshift(), seed.serverless(), seed.grants(), seed.keep(), false,
        RegistryImport.Layout.FILES));
    assertThat(result.files().values()).anySatisfy(document -> assertThat(document).contains(ID));
    return ImportFixtures.write(result, folder);
  }

  private static Decision copy(Registry registry) {
    return new Guard(registry).inspect(CHAIN_COPY, Session.of("user1", "my-cluster"));
  }

  @Test
  void aDeletedRoleBesideTheAccountRootChangesNothing() throws Exception {
    Registry plain = ImportFixtures.write(ImportFixtures.run(ImportFixtures.seed(RegistryImport.Layout.FILES)),
        java.nio.file.Files.createDirectories(dir.resolve("plain")));
    Registry withId = imported("%22AWS%22%3A%5B%22arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot%22%2C%22" + ID + "%22%5D",
        java.nio.file.Files.createDirectories(dir.resolve("beside")));

    assertThat(copy(withId).verdict()).isEqualTo(copy(plain).verdict());
    assertThat(copy(withId).findings()).extracting(f -> f.rule()).isEqualTo(
        copy(plain).findings().stream().map(f -> f.rule()).toList());
    assertThat(copy(withId).findings()).noneMatch(f -> f.rule() == RuleId.CHAIN_NOT_TRUSTED);
  }

  @Test
  void aTrustNamingOnlyADeletedRoleTrustsNoOne() throws Exception {
    Registry onlyId = imported("%22AWS%22%3A%22" + ID + "%22", java.nio.file.Files.createDirectories(dir.resolve("only")));

    Decision decision = copy(onlyId);

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.findings()).anySatisfy(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.CHAIN_NOT_TRUSTED);
      assertThat(f.message()).contains("RoleB");
    });
  }
}
