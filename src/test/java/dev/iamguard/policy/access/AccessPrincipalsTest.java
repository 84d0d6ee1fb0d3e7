package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who an access report asks about: every user, group and Redshift role the registry names (users,
 * grants, short-form trusts, trust documents' dbuser ARNs without variables, a pattern of users among
 * them as a principal of its own) and any
 * other user; how long the chains it tries may grow; and its rows in order.
 */
class AccessPrincipalsTest {
  private static final String A = "arn:aws:iam::123456789012:role/A";
  private static final String B = "arn:aws:iam::123456789012:role/B";
  private static final String DBUSER = "arn:aws:redshift:us-west-2:123456789012:dbuser:c1/";

  @TempDir
  Path dir;

  @Test
  void everyNamedPrincipalIsAskedAndNoOtherOne() throws Exception {
    Files.writeString(dir.resolve("trust.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"},
          "Action": "sts:AssumeRole", "Condition": {"StringLike": {"sts:ExternalId": [
            "%1$sfromdoc", "%1$swild*", "%1$sone?", "%1$s${aws:username}", "%1$s", "arn:aws:redshift:x/notadbuser",
            "plain:dbuser:c1/noarn", "arn:aws:redshift:us-west-2:123456789012:dbuser/x"]}}}]}
        """.formatted(DBUSER));
    Files.writeString(dir.resolve("s3.json"), """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        """);
    Registry registry = RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s, %2$s] }
        roles:
          - arn: %1$s
            trust: { db_users: ["%3$sshort"] }
            allow: { s3_read: ["s3://bkt/"] }
          - arn: %2$s
            policy_files: { trust: trust.json, permissions: [s3.json] }
        grants:
          - { on: ALL, to: [granted, "group:loaders", "role:etl_role", PUBLIC], for: [COPY] }
        users:
          alice: { groups: [staff], roles: [analyst] }
        """.formatted(A, B, DBUSER), "reg.yaml", dir);
    assertThat(AccessReport.principals(registry)).extracting(Principal::label).containsExactlyInAnyOrder(
        "(any other user)", "alice", "group:staff", "role:analyst", "granted", "group:loaders", "role:etl_role",
        "short", "fromdoc", "wild*", "one?"); // a pattern stands for the users it matches (probe 21a F7)
  }

  private Registry chains(int maxChain) throws Exception {
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s] }
        roles:
          - arn: %1$s
            allow: { s3_read: ["s3://bkt/a/"], assume: [%2$s] }
          - arn: %2$s
            trust: { principals: [%1$s] }
            allow: { s3_read: ["s3://bkt/b/"] }
        policy: { max_chain: %3$d }
        """.formatted(A, B, maxChain), "reg.yaml", dir);
  }

  @Test
  void chainsGrowUpToMaxChainAndTheRowsAreSorted() throws Exception {
    AccessReport one = AccessReport.of(chains(1));
    assertThat(one.paths()).extracting(UsablePath::auth).containsExactly(A);
    AccessReport two = AccessReport.of(chains(2));
    assertThat(two.paths()).extracting(UsablePath::auth).containsExactly(A, A + "," + B);
    assertThat(two.entries()).extracting(AccessEntry::key).contains(
        "c1 | (any other user) | " + A + " | COPY | s3://bkt/a/",
        "c1 | (any other user) | " + A + "," + B + " | COPY | s3://bkt/b/");
    List<AccessEntry> entries = two.entries();
    assertThat(entries).isSortedAccordingTo(AccessEntry::compareTo);
    assertThat(entries.get(0).key()).isEqualTo("c1 | (any other user) | " + A + " | COPY | s3://bkt/a/");
  }
}
