package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.AwsPrincipal;
import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.Resources;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryLoaderTest {

  private static final RoleArn ROLE_A = RoleArn.of("arn:aws:iam::123456789012:role/RoleA");
  private static final RoleArn ROLE_B = RoleArn.of("arn:aws:iam::210987654321:role/RoleB");
  private static final RoleArn COPY_UNLOAD =
      RoleArn.of("arn:aws:iam::123456789012:role/RedshiftCopyUnload");
  private static final RoleArn FROM_IAM = RoleArn.of("arn:aws:iam::123456789012:role/FromIam");
  private static final String USER1 = "arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1";

  private static Registry parse(String yaml) throws RegistryException {
    return RegistryLoader.parse(yaml, "r.yaml", null);
  }

  @Test
  void loadsTheDesignExample() throws Exception {
    Path file = Resources.path("registry/design-example.yaml");

    Registry registry = RegistryLoader.load(file);

    assertThat(registry.source()).isEqualTo(file.toString());
    ClusterConfig cluster = registry.cluster("my-cluster").orElseThrow();
    assertThat(cluster.account()).isEqualTo("123456789012");
    assertThat(cluster.region()).isEqualTo("us-west-2");
    assertThat(cluster.attachedRoles()).containsExactly(ROLE_A, COPY_UNLOAD);
    assertThat(cluster.defaultRole()).contains(COPY_UNLOAD);
    assertThat(cluster.serverless()).isFalse();
    assertThat(cluster.line()).isEqualTo(3);
    assertThat(registry.roles()).extracting(RoleConfig::arn).containsExactly(COPY_UNLOAD, ROLE_B, FROM_IAM);
  }

  @Test
  void designExampleRolesInShortForm() throws Exception {
    Registry registry = RegistryLoader.load(Resources.path("registry/design-example.yaml"));

    RoleConfig copyUnload = registry.roleByAlias("Copy-Unload").orElseThrow();
    assertThat(copyUnload.arn()).isEqualTo(COPY_UNLOAD);
    TrustConfig trust = copyUnload.trust().orElseThrow();
    assertThat(trust.trustsRegion("us-east-1")).isTrue();
    assertThat(trust.trustsRegion("eu-west-1")).isFalse();
    assertThat(trust.trustsDbUser(USER1)).isTrue();
    assertThat(trust.trustsDbUser(USER1.replace("user1", "user3"))).isFalse();
    assertThat(trust.trustsDbUser(null)).isFalse();
    assertThat(TrustConfig.DEFAULT.trustsDbUser(null)).isTrue();
    assertThat(trust.trustsRegion(null)).isFalse();
    AllowConfig allow = copyUnload.allow().orElseThrow();
    assertThat(allow.s3Read()).containsExactly(new S3Prefix("acmedata", "redshift/"));
    assertThat(allow.s3Write()).extracting(S3Prefix::toString)
        .containsExactly("s3://acmedata/redshift/unload/");
    assertThat(allow.lambda()).containsExactly("exampleLambdaFunction");
    assertThat(allow.glueDatabases()).containsExactly("exampledb");
    assertThat(allow.mayAssume(ROLE_B)).isTrue();
    assertThat(copyUnload.trustPolicy()).isEmpty();
    assertThat(copyUnload.permissionPolicies()).isEmpty();

    RoleConfig roleB = registry.role(RoleArn.of("arn:aws:iam::210987654321:role/roleb")).orElseThrow();
    assertThat(roleB.trust().orElseThrow().trustsRole(ROLE_A)).isTrue();
    assertThat(roleB.trust().orElseThrow().trustsRole(COPY_UNLOAD)).isFalse();
    // issue 11: a trust listing only principals does not trust the Redshift service in any region
    assertThat(roleB.trust().orElseThrow().trustsRegion("ap-south-1")).isFalse();
    assertThat(roleB.trust().orElseThrow().trustsRedshiftService()).isFalse();
    assertThat(roleB.alias()).isEmpty();
  }

  @Test
  void designExamplePolicyFilesAreParsedRelativeToTheRegistry() throws Exception {
    Registry registry = RegistryLoader.load(Resources.path("registry/design-example.yaml"));

    RoleConfig fromIam = registry.role(FROM_IAM).orElseThrow();
    IamPolicy trust = fromIam.trustPolicy().orElseThrow();
    assertThat(fromIam.trust()).isEmpty();
    assertThat(fromIam.allow()).isEmpty();
    assertThat(trust.source()).isEqualTo("iam/FromIam.trust.json");
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-west-2", USER1)))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(trust.evaluateTrust(TrustRequest.fromRedshift("us-east-1", USER1)))
        .isEqualTo(IamEffect.IMPLICIT_DENY);
    IamPolicy s3 = fromIam.permissionPolicies().get(0);
    assertThat(s3.evaluateForPrefix("s3:GetObject", "arn:aws:s3:::acmedata/redshift/sales/", Map.of()))
        .isEqualTo(IamEffect.ALLOW);
    assertThat(s3.decideForPrefix("s3:GetObject", "arn:aws:s3:::acmedata/redshift/", Map.of())
        .describe()).isEqualTo("iam/FromIam.s3.json statement \"NoPayroll\" (line 10)");
  }

  @Test
  void designExampleChainsGrantsUsersAndSettings() throws Exception {
    Registry registry = RegistryLoader.load(Resources.path("registry/design-example.yaml"));

    ChainConfig companyb = registry.chain("CompanyB").orElseThrow();
    assertThat(companyb.roles()).containsExactly(ROLE_A, ROLE_B);
    assertThat(companyb.toSql()).isEqualTo(ROLE_A + "," + ROLE_B);
    assertThat(registry.grantsEnforced()).isTrue();
    GrantConfig grant = registry.grants().get(0);
    assertThat(grant.scope()).isEqualTo(GrantConfig.Scope.CHAINS);
    assertThat(grant.chains()).containsExactly(List.of(ROLE_A, ROLE_B));
    assertThat(grant.grantees()).extracting(AssumeRoleGrant.Grantee::toString)
        .containsExactly("user1", "group:etl", "role:loader");
    assertThat(grant.grantees().get(1).kind()).isEqualTo(AssumeRoleGrant.Grantee.Kind.GROUP);
    assertThat(grant.commands())
        .containsExactlyInAnyOrder(GrantConfig.Command.COPY, GrantConfig.Command.UNLOAD);
    assertThat(registry.user("ETL_BOT").orElseThrow().groups()).containsExactly("etl");
    assertThat(registry.settings()).isEqualTo(PolicySettings.DEFAULTS);
  }

  @Test
  void readsTheJsonForm() throws Exception {
    Registry registry = parse("""
        {"version": 1,
         "clusters": [{"id": "c1", "account": 123456789012, "region": "eu-west-1",
                       "attached_roles": ["arn:aws:iam::123456789012:role/RoleA"],
                       "default_role": "arn:aws:iam::123456789012:role/rolea"}],
         "roles": [{"arn": "arn:aws:iam::123456789012:role/RoleA",
                    "trust": {"principals": ["123456789012"]},
                    "allow": {"s3_read": ["s3://bucket"]}}],
         "grants": [{"on": "ALL", "to": ["PUBLIC"], "for": ["external function", "CREATE  MODEL"]}],
         "policy": {"mode": "audit", "credentials": "temporary-keys", "rewrite_aliases": false,
                    "rewrite_default_role": true, "max_chain": 3}}""");

    ClusterConfig cluster = registry.clusters().get(0);
    assertThat(cluster.account()).isEqualTo("123456789012");
    assertThat(cluster.defaultRole()).contains(ROLE_A);
    assertThat(registry.role(ROLE_A).orElseThrow().allow().orElseThrow().s3Read())
        .containsExactly(new S3Prefix("bucket", ""));
    GrantConfig grant = registry.grants().get(0);
    assertThat(grant.scope()).isEqualTo(GrantConfig.Scope.ALL);
    assertThat(grant.grantees()).containsExactly(
        new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.PUBLIC, "PUBLIC"));
    assertThat(grant.commands()).containsExactlyInAnyOrder(
        GrantConfig.Command.EXTERNAL_FUNCTION, GrantConfig.Command.CREATE_MODEL);
    assertThat(registry.settings()).isEqualTo(new PolicySettings(PolicySettings.Mode.AUDIT,
        PolicySettings.Credentials.TEMPORARY_KEYS, false, true, 3));
  }

  @Test
  void holdsSeveralClustersIncludingServerless() throws Exception {
    Registry registry = parse("""
        version: 1
        clusters:
          - id: west
            account: 123456789012
            region: us-west-2
          - id: analytics-wg
            serverless: true
            account: "210987654321"
            region: us-gov-west-1
            attached_roles: [arn:aws-us-gov:iam::210987654321:role/Wg]
        """);

    assertThat(registry.clusters()).extracting(ClusterConfig::id).containsExactly("west", "analytics-wg");
    ClusterConfig serverless = registry.cluster("analytics-wg").orElseThrow();
    assertThat(serverless.serverless()).isTrue();
    assertThat(serverless.defaultRole()).isEmpty();
    assertThat(serverless.isAttached(RoleArn.of("arn:aws-us-gov:iam::210987654321:role/wg"))).isTrue();
    assertThat(registry.cluster("west").orElseThrow().attachedRoles()).isEmpty();
    assertThat(registry.cluster("east")).isEmpty();
  }

  /**
   * A workgroup's database users are named by its id ({@code dbuser:serverless-<account>-<workgroup
   * id>/<user>}, facts 5), stated as {@code workgroup_id}; without one the name stands in its place.
   */
  @Test
  void aWorkgroupsDatabaseUsersCarryItsId() throws Exception {
    Registry registry = parse("""
        version: 1
        clusters:
          - id: analytics-wg
            serverless: true
            workgroup_id: 0f0e0d0c-1111-2222-3333-444455556666
            account: "123456789012"
            region: us-west-2
          - id: other-wg
            serverless: true
            account: "123456789012"
            region: us-west-2
          - id: west
            account: "123456789012"
            region: us-west-2
        """);
    assertThat(DbUsers.arn(registry.cluster("analytics-wg").orElseThrow(), "etl")).isEqualTo(
        "arn:aws:redshift:us-west-2:123456789012:dbuser:serverless-123456789012-0f0e0d0c-1111-2222-3333-444455556666/etl");
    assertThat(DbUsers.arn(registry.cluster("other-wg").orElseThrow(), "etl"))
        .isEqualTo("arn:aws:redshift:us-west-2:123456789012:dbuser:serverless-123456789012-other-wg/etl");
    assertThat(DbUsers.arn(registry.cluster("west").orElseThrow(), "etl"))
        .isEqualTo("arn:aws:redshift:us-west-2:123456789012:dbuser:west/etl");

    for (String bad : List.of("workgroup_id: abc/def\n    serverless: true", "workgroup_id: 0f0e0d0c-1111")) {
      RegistryException e = org.junit.jupiter.api.Assertions.assertThrows(RegistryException.class, () -> parse("""
          version: 1
          clusters:
            - id: wg
              %s
              account: "123456789012"
              region: us-west-2
          """.formatted(bad)));
      assertThat(e.getMessage()).contains("workgroup_id");
    }
  }

  @Test
  void absentSectionsKeepTheirDefaults() throws Exception {
    Registry registry = parse("""
        version: 1
        roles:
          - arn: arn:aws:iam::123456789012:role/Bare
        """);

    RoleConfig bare = registry.roles().iterator().next();
    assertThat(bare.trust()).contains(TrustConfig.DEFAULT);
    assertThat(bare.allow()).contains(AllowConfig.NONE);
    assertThat(registry.grantsEnforced()).isFalse();
    assertThat(registry.grants()).isEmpty();
    assertThat(registry.settings()).isEqualTo(PolicySettings.DEFAULTS);
    assertThat(registry.clusters()).isEmpty();
  }

  @Test
  void anEmptyGrantListStillEnforcesGrants() throws Exception {
    Registry registry = parse("version: 1\ngrants: []\n");

    assertThat(registry.grantsEnforced()).isTrue();
    assertThat(registry.grants()).isEmpty();
  }

  @Test
  void grantOnDefaultAndRoleTrustWithRoot() throws Exception {
    Registry registry = parse("""
        version: 1
        roles:
          - arn: arn:aws:iam::210987654321:role/RoleB
            trust: {principals: ["arn:aws:iam::123456789012:root"], regions: [us-east-1]}
        grants:
          - {on: [default], to: [alice], for: [ALL]}
        """);

    assertThat(registry.grants().get(0).scope()).isEqualTo(GrantConfig.Scope.DEFAULT);
    assertThat(registry.grants().get(0).chains()).isEmpty();
    TrustConfig trust = registry.role(ROLE_B).orElseThrow().trust().orElseThrow();
    assertThat(trust.trustsRole(ROLE_A)).isTrue();
    assertThat(trust.principals()).containsExactly(
        new AwsPrincipal.Account(Optional.of("aws"), "123456789012"));
    assertThat(trust.regions()).contains(List.of("us-east-1"));
  }
}
