package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the access table's resources come from: the short form's prefixes and Glue database ARNs,
 * and the Resource patterns of Allow statements in inline and managed documents (Glue database
 * ARNs with {@code *} for the region or account stand for the cluster's). Each row is one the
 * guard allows when asked the statement the table names.
 */
class AccessCandidatesTest {
  private static final String SHORT = "arn:aws:iam::123456789012:role/Short";
  private static final String DOC = "arn:aws:iam::123456789012:role/Doc";

  @TempDir
  Path dir;

  private Registry registry() throws Exception {
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s, %2$s] }
        managed_policies:
          arn:aws:iam::123456789012:policy/ReadM: {Version: "2012-10-17", Statement: [
            {Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/m/*"]}]}
        roles:
          - arn: %1$s
            trust: { regions: [us-west-2] }
            allow:
              s3_read: ["s3://bkt/data"]
              glue_databases: [salesdb, "arn:aws:glue:us-west-2:210987654321:database/shared",
                "arn:aws:lambda:us-west-2:123456789012:function:notadb"]
          - arn: %2$s
            policy_files:
              trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: redshift.amazonaws.com},
                Action: "sts:AssumeRole"}]}
              permissions: [{Version: "2012-10-17", Statement: [
                {Effect: Allow, Action: "glue:GetDatabase", Resource: ["arn:aws:glue:*:*:catalog",
                  "arn:aws:glue:*:*:database/sales*", "arn:aws:glue:us-west-2:123456789012:table/sales/t",
                  "arn:aws:s3:::bkt/glue/*"]},
                {Effect: Allow, Action: "glue:GetDatabase", Resource: ["arn:aws:glue:us-west-2:210987654321:catalog",
                  "arn:aws:glue:us-west-2:210987654321:database/partner"]},
                {Effect: Allow, NotAction: ["iam:*", "glue:*"], Resource: "arn:aws:glue:us-west-2:123456789012:database/notaction"},
                {Effect: Allow, NotAction: ["s3:*"], Resource: "arn:aws:glue:us-west-2:123456789012:database/notacts"}]}]
              managed: [arn:aws:iam::123456789012:policy/ReadM]
        """.formatted(SHORT, DOC), "reg.yaml", dir);
  }

  private static List<String> rows(AccessReport report, String role, AccessCommand command) {
    return report.entries().stream()
        .filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(role) && e.command() == command)
        .map(AccessEntry::resource).toList();
  }

  @Test
  void theShortFormProposesItsPrefixesAndDatabases() throws Exception {
    AccessReport report = AccessReport.of(registry());

    // a prefix without a trailing slash is the folder and the key of that name: the table shows the
    // folder, what a COPY may name (COPY FROM 's3://bkt/data' would read s3://bkt/database too, and
    // the guard refuses it; the table showed it: probe 21a F3), and the key itself as one object, which a
    // COPY names as a manifest (it was not shown, and adding it diffed as nothing gained)
    assertThat(rows(report, SHORT, AccessCommand.COPY)).containsExactly("s3://bkt/data", "s3://bkt/data/");
    assertThat(report.entries()).filteredOn(e -> e.resource().equals("s3://bkt/data"))
        .allSatisfy(e -> assertThat(e.exact()).isTrue());
    assertThat(rows(report, SHORT, AccessCommand.EXTERNAL_SCHEMA)).containsExactlyInAnyOrder(
        "arn:aws:glue:us-west-2:123456789012:database/salesdb",
        "arn:aws:glue:us-west-2:210987654321:database/shared");
  }

  @Test
  void documentsProposeTheDatabasesOfTheirAllowStatements() throws Exception {
    AccessReport report = AccessReport.of(registry());

    // * for the region and account: the cluster's, and the pattern as written for the other regions and
    // accounts it takes in; a table, a catalog or an S3 ARN is no database
    assertThat(rows(report, DOC, AccessCommand.EXTERNAL_SCHEMA)).containsExactlyInAnyOrder(
        "arn:aws:glue:us-west-2:123456789012:database/sales*",
        "arn:aws:glue:*:*:database/sales*",
        "arn:aws:glue:us-west-2:210987654321:database/partner",
        // NotAction s3:* covers glue:GetDatabase; NotAction glue:* does not
        "arn:aws:glue:us-west-2:123456789012:database/notacts");
    // the managed policy proposes its prefix
    assertThat(rows(report, DOC, AccessCommand.COPY)).containsExactly("s3://bkt/m/");
  }

  @Test
  void theDiffListsItsEntriesInTheTablesOrder() throws Exception {
    Registry before = registry();
    Registry after = RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s] }
        roles:
          - arn: %1$s
            trust: { regions: [us-west-2] }
            allow:
              s3_read: ["s3://bkt/data", "s3://zbk/in/"]
              s3_write: ["s3://bkt/out/"]
              glue_databases: [salesdb, "arn:aws:glue:us-west-2:210987654321:database/shared", newdb]
        grants:
          - { on: [%1$s], to: [zed, "group:aa"], for: [COPY, UNLOAD] }
        """.formatted(SHORT), "after.yaml", dir);

    AccessDiff diff = AccessDiff.between(before, after);

    assertThat(diff.isEmpty()).isFalse();
    // users before groups before any other user; COPY before UNLOAD before the external commands
    assertThat(diff.gained()).isSorted().extracting(AccessEntry::key).startsWith(
        "c1 | zed | " + SHORT + " | COPY | s3://zbk/in/",
        "c1 | zed | " + SHORT + " | UNLOAD | s3://bkt/out/");
    assertThat(diff.gained()).extracting(AccessEntry::key).contains(
        "c1 | group:aa | " + SHORT + " | COPY | s3://zbk/in/",
        "c1 | (any other user) | " + SHORT + " | EXTERNAL SCHEMA | arn:aws:glue:us-west-2:123456789012:database/newdb");
    assertThat(diff.lost()).isSorted().extracting(AccessEntry::auth).contains(DOC);
    assertThat(AccessDiff.between(after, after).isEmpty()).isTrue();
  }

  @Test
  void entriesSortByClusterPrincipalAuthCommandThenResource() {
    AccessEntry a = new AccessEntry("c1", new Principal(Principal.Kind.USER, "zed"), "r", List.of("r"),
        AccessCommand.UNLOAD, "s3://a/");
    AccessEntry b = new AccessEntry("c1", new Principal(Principal.Kind.GROUP, "aa"), "r", List.of("r"),
        AccessCommand.COPY, "s3://a/");
    AccessEntry c = new AccessEntry("c1", new Principal(Principal.Kind.USER, "zed"), "r", List.of("r"),
        AccessCommand.COPY, "s3://zbk/");

    assertThat(c.compareTo(a)).isNegative();
    assertThat(a.compareTo(b)).isNegative();
    assertThat(b.compareTo(a)).isPositive();
    assertThat(a.compareTo(a)).isZero();
    assertThat(AccessCommand.COPY.resourceKind()).isEqualTo("s3_read");
    // a star covers a resource that holds a star itself
    AccessEntry starred = new AccessEntry("c1", Principal.OTHER, "r", List.of("r"), AccessCommand.EXTERNAL_FUNCTION,
        "arn:aws:lambda:us-west-2:123456789012:function:*x");
    assertThat(AccessDiff.covers("arn:aws:lambda:us-west-2:123456789012:function:*", starred)).isTrue();
    assertThat(AccessDiff.covers("arn:aws:lambda:us-west-2:123456789012:function:*?", starred)).isTrue();
    assertThat(AccessDiff.covers("arn:aws:lambda:us-west-2:123456789012:function:x*", starred)).isFalse();
    assertThat(AccessCommand.UNLOAD.resourceKind()).isEqualTo("s3_write");
    assertThat(AccessCommand.EXTERNAL_FUNCTION.resourceKind()).isEqualTo("lambda");
    assertThat(AccessCommand.EXTERNAL_SCHEMA.resourceKind()).isEqualTo("glue_database");
  }
}
