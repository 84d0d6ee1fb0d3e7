package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access table of the sample registry. The expected rows are read off samples/registry.yaml by
 * hand (trusts, grants, allow lists); every row is checked again by asking the guard a statement
 * written here, not the report's own probe.
 */
class AccessReportTest {
  private static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
  private static Registry registry;
  private static AccessReport report;

  @BeforeAll
  static void load() throws RegistryException {
    registry = RegistryLoader.load(Path.of("samples/registry.yaml"));
    report = AccessReport.of(registry);
  }

  private static List<String> rows() {
    return report.entries().stream().map(AccessEntry::key).toList();
  }

  @Test
  void theRowsTheSampleRegistryImpliesAreThere() {
    assertThat(rows()).contains(
        // RedshiftCopyUnload: trusted by user1 and user2 only, granted to both for ALL
        "my-cluster | user1 | " + COPY_UNLOAD + " | COPY | s3://acmedata/redshift/",
        "my-cluster | user2 | " + COPY_UNLOAD + " | UNLOAD | s3://acmedata/redshift/unload/",
        "my-cluster | user1 | " + COPY_UNLOAD + " | EXTERNAL FUNCTION"
            + " | arn:aws:lambda:us-west-2:123456789012:function:exampleLambdaFunction",
        // the chain: granted to user1 and group etl for COPY, UNLOAD, EXTERNAL FUNCTION; etl_bot is in etl
        "my-cluster | user1 | " + CHAIN + " | COPY | s3://companyb/redshift/",
        "my-cluster | group:etl | " + CHAIN + " | UNLOAD | s3://companyb/redshift/",
        "my-cluster | etl_bot | " + CHAIN + " | COPY | s3://companyb/redshift/",
        // default role for PUBLIC, but its trust names user1 and user2 only
        "my-cluster | user2 | default | COPY | s3://acmedata/redshift/",
        // CREATE EXTERNAL SCHEMA needs no ASSUMEROLE grant: anyone may use the chain for the catalog
        "my-cluster | (any other user) | " + CHAIN + " | EXTERNAL SCHEMA"
            + " | arn:aws:glue:us-west-2:123456789012:database/exampledb");
  }

  @Test
  void whatTheRegistryDoesNotGrantIsAbsent() {
    assertThat(rows())
        // user2 holds no grant on the chain for COPY
        .doesNotContain("my-cluster | user2 | " + CHAIN + " | COPY | s3://companyb/redshift/")
        // RedshiftCopyUnload's trust does not name other users, nor does its write list the read prefix
        .noneMatch(r -> r.startsWith("my-cluster | (any other user) | " + COPY_UNLOAD))
        .noneMatch(r -> r.startsWith("my-cluster | (any other user) | default"))
        .doesNotContain("my-cluster | user1 | " + COPY_UNLOAD + " | UNLOAD | s3://acmedata/redshift/")
        // RoleB alone is not attached; RoleA alone grants no S3
        .noneMatch(r -> r.contains("| arn:aws:iam::210987654321:role/RoleB |"))
        .noneMatch(r -> r.contains("| arn:aws:iam::123456789012:role/RoleA | COPY"));
  }

  @Test
  void everyRowIsAStatementTheGuardAllows() {
    Guard guard = new Guard(registry);
    assertThat(report.entries()).hasSizeGreaterThan(20);
    for (AccessEntry entry : report.entries()) {
      String sql = statement(entry);
      assertThat(guard.inspect(sql, session(entry)).verdict()).as(sql + " as " + entry.principal().label())
          .isNotEqualTo(Verdict.DENY);
    }
  }

  @Test
  void aRowOneStepOutsideIsDenied() {
    Guard guard = new Guard(registry);
    for (AccessEntry entry : report.entries()) {
      if (entry.command() == AccessCommand.COPY || entry.command() == AccessCommand.UNLOAD) {
        AccessEntry outside = new AccessEntry(entry.cluster(), entry.principal(), entry.auth(), entry.roles(),
            entry.command(), "s3://not-" + entry.resource().substring("s3://".length()));
        assertThat(guard.inspect(statement(outside), session(entry)).verdict()).as(statement(outside))
            .isEqualTo(Verdict.DENY);
      }
    }
  }

  @Test
  void pathsNameTheCommandsEachRoleOrChainIsGrantedFor() {
    assertThat(report.paths()).anySatisfy(p -> {
      assertThat(p.principal().label()).isEqualTo("user2");
      assertThat(p.auth()).isEqualTo(CHAIN);
      assertThat(p.commands()).containsExactly(AccessCommand.EXTERNAL_SCHEMA);
    });
    assertThat(report.principals()).extracting(Principal::label)
        .contains("user1", "user2", "etl_bot", "group:etl", "(any other user)");
  }

  /** samples/registry-iam.yaml names user1 and user2 only in its trust document's sts:ExternalId values. */
  @Test
  void usersATrustDocumentNamesAreAsked() throws RegistryException {
    Registry iam = RegistryLoader.load(Path.of("samples/registry-iam.yaml"));
    AccessReport documents = AccessReport.of(iam);
    assertThat(documents.principals()).extracting(Principal::label).contains("user1", "user2");
    assertThat(documents.entries()).extracting(AccessEntry::key)
        .contains("my-cluster | user1 | " + COPY_UNLOAD + " | COPY | s3://acmedata/redshift/",
            "my-cluster | user2 | default | UNLOAD | s3://acmedata/redshift/unload/")
        .noneMatch(k -> k.startsWith("my-cluster | (any other user) | " + COPY_UNLOAD));
    assertThat(RegistryValidator.validate(iam, documents)).isEmpty();
  }

  private static Session session(AccessEntry entry) {
    return entry.principal().session(entry.cluster());
  }

  /** The statement a person would write for the row (not the report's probe text). */
  static String statement(AccessEntry entry) {
    String role = entry.auth().equals("default") ? "IAM_ROLE DEFAULT" : "IAM_ROLE '" + entry.auth() + "'";
    String resource = entry.resource();
    return switch (entry.command()) {
      case COPY -> "COPY sales FROM '" + resource + "part-0000' " + role + " FORMAT AS CSV";
      case UNLOAD -> "UNLOAD ('select * from sales') TO '" + resource + "sales_' " + role;
      case EXTERNAL_FUNCTION -> "CREATE EXTERNAL FUNCTION f_up(varchar) RETURNS varchar STABLE LAMBDA '"
          + resource.substring(resource.lastIndexOf(':') + 1) + "' " + role;
      case EXTERNAL_SCHEMA -> "CREATE EXTERNAL SCHEMA spec FROM DATA CATALOG DATABASE '"
          + resource.substring(resource.lastIndexOf('/') + 1) + "' " + role;
      case COPY_DYNAMODB -> "COPY sales FROM '" + resource + "' " + role + " READRATIO 50";
      case COPY_EMR -> "COPY sales FROM '" + resource + "/part-*' " + role + " FORMAT AS CSV";
    };
  }
}
