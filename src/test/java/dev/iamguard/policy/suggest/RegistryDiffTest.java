package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The comparison of a suggestion with the registry it was made with, entry by entry: every line of
 * {@code additions} is something a statement needs that the registry lacks, every line of {@code unused}
 * something it grants that no statement touches. Each expectation below is worked out from the registry
 * and the script by hand.
 */
class RegistryDiffTest {
  private static final String LOAD = "arn:aws:iam::123456789012:role/Load";
  private static final String EAST = "arn:aws:iam::123456789012:role/East";
  private static final String NEXT = "arn:aws:iam::210987654321:role/Next";
  private static final String NEVER = "arn:aws:iam::210987654321:role/Never";
  private static final String FILES = "arn:aws:iam::123456789012:role/Files";
  private static final String DBUSER = "arn:aws:redshift:us-west-2:123456789012:dbuser:c1/";

  private static final String CLUSTER = """
      version: 1
      clusters:
        - id: c1
          account: "123456789012"
          region: us-west-2
          attached_roles: [%s, %s]
          default_role: %s
      """.formatted(LOAD, EAST, EAST);

  private static Suggestion diff(String registryYaml, String script, String... users) throws Exception {
    Registry registry = RegistryLoader.parse(registryYaml, "registry.yaml", Path.of("."));
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.of(registry), null, null, null, null,
        List.of(users), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("t.sql", statement);
    }
    Suggestion suggestion = needs.suggestion();
    assertThat(suggestion.gaps()).isEmpty();
    return suggestion;
  }

  @Test
  void everyResourceKindIsComparedBothWays() throws Exception {
    String registry = CLUSTER + """
        roles:
          - arn: %s
            trust:
              regions: [us-west-2, eu-west-1]
            allow:
              s3_read: ["s3://lake/in/", "s3://lake/old/"]
              s3_write: ["s3://lake/"]
              lambda: [fnUsed, fnIdle]
              glue_databases: [dbused, dbidle]
              dynamodb_tables: [Orders, Idle]
              emr_clusters: [j-USED, j-IDLE]
          - arn: %s
            trust:
              regions: [eu-west-1]
            allow:
              s3_read: ["s3://east/"]
        """.formatted(LOAD, EAST);
    String script = """
        copy t from 's3://lake/in/a/' iam_role '%1$s';
        unload ('select 1') to 's3://lake/out/x_' iam_role '%1$s';
        create external function f1() returns int volatile lambda 'fnUsed' iam_role '%1$s';
        create external function f2() returns int volatile lambda 'fnNew' iam_role '%1$s';
        create external schema s1 from data catalog database 'dbused' iam_role '%1$s';
        create external schema s2 from data catalog database 'dbnew' iam_role '%1$s';
        copy t from 'dynamodb://Orders' iam_role '%1$s' readratio 50;
        copy t from 'dynamodb://Fresh' iam_role '%1$s' readratio 50;
        copy t from 'emr://j-USED/part*' iam_role '%1$s';
        copy t from 'emr://j-NEW/part*' iam_role '%1$s';
        copy t from 's3://east/x/' iam_role '%2$s';
        """.formatted(LOAD, EAST);
    Suggestion s = diff(registry, script);
    String load = "roles[" + LOAD + "].";
    String east = "roles[" + EAST + "].";
    assertThat(s.additions()).containsExactlyInAnyOrder(
        load + "allow.lambda: fnNew",
        load + "allow.glue_databases: dbnew",
        load + "allow.dynamodb_tables: Fresh",
        load + "allow.emr_clusters: j-NEW",
        east + "trust.regions: us-west-2");
    assertThat(s.unused()).containsExactlyInAnyOrder(
        "clusters[c1].default_role: " + EAST + " (no statement uses IAM_ROLE DEFAULT)",
        load + "trust.regions: eu-west-1",
        load + "allow.s3_read: s3://lake/in/ (broader than needed: the statements touch only s3://lake/in/a/)",
        load + "allow.s3_read: s3://lake/old/",
        load + "allow.s3_write: s3://lake (broader than needed: the statements touch only s3://lake/out/)",
        load + "allow.lambda: fnIdle",
        load + "allow.glue_databases: dbidle",
        load + "allow.dynamodb_tables: Idle",
        load + "allow.emr_clusters: j-IDLE",
        east + "trust.regions: eu-west-1",
        east + "allow.s3_read: s3://east (broader than needed: the statements touch only s3://east/x/)");
  }

  /**
   * A broad prefix over many folders the statements touch names the first ten and how many more;
   * the granted folders the statements touch are neither unused nor missing, those they do not are
   * unused (each looked up among the prefixes above a location, no longer compared with every one).
   */
  @Test
  void aBroadPrefixOverManyFoldersNamesTheFirstTen() throws Exception {
    StringBuilder folders = new StringBuilder();
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      folders.append(", \"s3://lake/in/d").append(i).append("/\"");
      script.append("copy t from 's3://lake/in/d").append(i).append("/' iam_role '").append(LOAD).append("';\n");
    }
    String registry = CLUSTER + """
        roles:
          - arn: %s
            allow:
              s3_read: ["s3://lake/in/"%s, "s3://lake/in/idle/"]
        """.formatted(LOAD, folders);

    Suggestion s = diff(registry, script.toString());

    String load = "roles[" + LOAD + "].";
    assertThat(s.additions()).isEmpty();
    assertThat(s.unused()).contains(load + "allow.s3_read: s3://lake/in/ (broader than needed: the statements touch only "
        + "s3://lake/in/d0/, s3://lake/in/d1/, s3://lake/in/d2/, s3://lake/in/d3/, s3://lake/in/d4/, s3://lake/in/d5/, "
        + "s3://lake/in/d6/, s3://lake/in/d7/, s3://lake/in/d8/, s3://lake/in/d9/, and 2 more)",
        load + "allow.s3_read: s3://lake/in/idle/");
    assertThat(s.unused()).noneMatch(line -> line.startsWith(load + "allow.s3_read: s3://lake/in/d"));
  }

  @Test
  void registryEntriesThatCoverWhatIsNeededAreNeitherAddedNorUnused() throws Exception {
    String registry = CLUSTER + """
        roles:
          - arn: %s
            trust:
              regions: ["*"]
            allow:
              s3_read: ["s3://lake/in/a/"]
              s3_write: ["s3://lake/out/"]
              lambda: ["fn*"]
              glue_databases: ["arn:aws:glue:us-west-2:123456789012:database/db*"]
              dynamodb_tables: ["Ord*"]
              emr_clusters: ["j-*"]
          - arn: %s
        """.formatted(LOAD, EAST);
    String script = """
        copy t from 's3://lake/in/a/' iam_role '%1$s';
        unload ('select 1') to 's3://lake/out/x_' iam_role '%1$s';
        create external function f1() returns int volatile lambda 'fnUsed' iam_role '%1$s';
        create external schema s1 from data catalog database 'dbused' iam_role '%1$s';
        copy t from 'dynamodb://Orders' iam_role '%1$s' readratio 50;
        copy t from 'emr://j-USED/part*' iam_role '%1$s';
        """.formatted(LOAD);
    Suggestion s = diff(registry, script);
    // East carries neither trust nor allow: it is described elsewhere, and nothing uses it
    assertThat(s.additions()).isEmpty();
    assertThat(s.unused()).containsExactly(
        "clusters[c1].attached_roles: " + EAST + " (no chain starts with it)",
        "clusters[c1].default_role: " + EAST + " (no statement uses IAM_ROLE DEFAULT)",
        "roles: " + EAST + " (no statement uses it)");
  }

  private static final String GRANTED = CLUSTER + """
      roles:
        - arn: %1$s
          trust: { regions: [us-west-2] }
          allow: { s3_read: ["s3://lake/"], s3_write: ["s3://lake/"] }
        - arn: %2$s
          trust: { regions: [us-west-2] }
          allow: { s3_read: ["s3://lake/"], s3_write: ["s3://lake/"] }
      grants:
        - on: [%1$s]
          to: [Alice, "group:ETL", "role:Loader"]
          for: [COPY]
        - on: default
          to: [PUBLIC]
          for: [UNLOAD]
        - on: ALL
          to: [nobody]
          for: [ALL]
        - on: [%2$s]
          to: [alice]
          for: [COPY]
        - on: [%1$s]
          to: [zed]
          for: [UNLOAD]
      users:
        gina: { groups: [etl] }
        rita: { roles: [sub] }
        root1: { superuser: true }
        hank: { groups: [other] }
      db_roles:
        sub: { roles: [loader] }
      """.formatted(LOAD, EAST);

  private static final String USES_GRANTS = """
      copy t from 's3://lake/a/' iam_role '%s';
      unload ('select 1') to 's3://lake/out/' iam_role default;
      """.formatted(LOAD);

  @Test
  void grantsAreComparedUserByUserThroughGroupsRolesAndSuperusers() throws Exception {
    Suggestion s = diff(GRANTED, USES_GRANTS, "alice", "gina", "rita", "root1", "zed", "hank");
    // alice is named (in other case), gina is in group etl, rita holds loader through sub, root1 is a
    // superuser; zed holds only an UNLOAD grant on that role, hank is in another group; the default role is
    // granted to PUBLIC
    assertThat(s.additions()).containsExactly("grants: ON " + LOAD + " TO zed FOR COPY",
        "grants: ON " + LOAD + " TO hank FOR COPY");
    assertThat(s.unused()).filteredOn(u -> u.startsWith("grants")).containsExactly(
        "grants: the grant at line " + lineOf(GRANTED, "- on: ALL") + " (on ALL to [nobody] for [ALL]): no statement"
            + " needs it",
        "grants: the grant at line " + lineOf(GRANTED, "- on: [" + EAST) + " (on [" + EAST + "] to [alice] for"
            + " [COPY]): no statement needs it",
        "grants: the grant at line " + (lineOf(GRANTED, "to: [zed]") - 1) + " (on [" + LOAD + "] to [zed] for [UNLOAD]):"
            + " no statement needs it");
  }

  @Test
  void aGrantOfTheDefaultRoleIsNotAGrantOfItsChainNorTheOtherWayRound() throws Exception {
    String registry = GRANTED.replace("on: default", "on: [" + EAST + "]").replace("- on: [" + EAST + "]\n"
        + "    to: [alice]", "- on: default\n    to: [alice]");
    Suggestion s = diff(registry, USES_GRANTS, "alice");
    assertThat(s.additions()).containsExactly("grants: ON default TO alice FOR UNLOAD");
  }

  @Test
  void withoutUsersNoGrantIsComparedAndWithoutASectionEveryUserMayUseEveryRole() throws Exception {
    Suggestion anonymous = diff(GRANTED, USES_GRANTS);
    assertThat(anonymous.additions()).isEmpty();
    assertThat(anonymous.unused()).noneMatch(u -> u.startsWith("grants"));
    String noSection = GRANTED.substring(0, GRANTED.indexOf("grants:")) + GRANTED.substring(GRANTED.indexOf("users:"));
    Suggestion open = diff(noSection, USES_GRANTS, "zed");
    assertThat(open.additions()).isEmpty();
    assertThat(open.unused()).filteredOn(u -> u.startsWith("grants")).containsExactly("grants: (no section) every user may use every attached role; the"
        + " suggested grants say who needs which");
  }

  /**
   * 20,000 roles with a grant each, and a COPY through each: every suggested grant was compared with
   * every grant of the registry, twice, and each registry role searched for among the suggested ones
   * (2,000 roles: 13 s to {@code suggest --registry} on a loaded host, 3 s now); now with the grants
   * that name its target, and looked up. The last role's grant is for UNLOAD, so its COPY lacks one and the grant is unused;
   * the others are covered and used. The timeout is a hang guard, not a time budget.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void manyGrantsAreEachComparedWithTheGrantsOfTheirTarget() throws Exception {
    int n = 20_000;
    String role = "arn:aws:iam::123456789012:role/R";
    StringBuilder attached = new StringBuilder();
    StringBuilder roles = new StringBuilder("roles:\n");
    StringBuilder grants = new StringBuilder("grants:\n");
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < n; i++) {
      attached.append(i == 0 ? "" : ", ").append(role).append(i);
      roles.append("  - arn: ").append(role).append(i).append("\n    allow: { s3_read: [\"s3://lake/k").append(i)
          .append("/\"] }\n");
      grants.append("  - { on: [").append(role).append(i).append("], to: [alice], for: [")
          .append(i == n - 1 ? "UNLOAD" : "COPY").append("] }\n");
      script.append("copy t from 's3://lake/k").append(i).append("/' iam_role '").append(role).append(i).append("';\n");
    }
    String registry = "version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles: [" + attached + "]\n" + roles + grants;

    Suggestion s = diff(registry, script.toString(), "alice");

    assertThat(s.additions()).containsExactly("grants: ON " + role + (n - 1) + " TO alice FOR COPY");
    assertThat(s.unused()).filteredOn(u -> u.startsWith("grants")).containsExactly("grants: the grant at line "
        + lineOf(registry, "- { on: [" + role + (n - 1) + "]") + " (on [" + role + (n - 1) + "] to [alice] for [UNLOAD]):"
        + " no statement needs it");
  }

  private static int lineOf(String text, String part) {
    int at = text.indexOf(part);
    assertThat(at).isNotNegative();
    return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void chainsTrustAssumeDbUsersNamedChainsAndSchemasAreComparedBothWays() throws Exception {
    String other = "arn:aws:iam::123456789012:role/Other";
    String fresh = "arn:aws:iam::210987654321:role/Fresh";
    String registry = CLUSTER + """
        roles:
          - arn: %1$s
            trust: { regions: [us-west-2], db_users: ["%5$salice", "%5$sbob"] }
            allow: { s3_read: ["s3://lake/in/", "s3://other/"], assume: [%3$s, %4$s] }
          - arn: %3$s
            trust: { principals: [%6$s] }
            allow: { s3_read: ["s3://bk2/x/"] }
          - arn: %2$s
            trust: { regions: [us-west-2] }
            allow: { s3_read: ["s3://east/"] }
        chains:
          used: [%1$s, %3$s]
          idle: [%2$s]
        external_schemas:
          spectrum: { iam_role: "%1$s" }
          dusty: { iam_role: "%1$s" }
        """.formatted(LOAD, EAST, NEXT, NEVER, DBUSER, other);
    String script = """
        copy t from 's3://lake/in/a/' iam_role '%1$s';
        copy t from 's3://other/b/' iam_role '%1$s';
        copy t from 's3://bk2/x/' iam_role 'used';
        copy t from 's3://east/q/' iam_role '%1$s,%2$s';
        create external table spectrum.t (a int) location 's3://lake/in/t/';
        """.formatted(LOAD, fresh);
    Suggestion s = diff(registry, script, "alice", "carol");
    String load = "roles[" + LOAD + "].";
    String next = "roles[" + NEXT + "].";
    assertThat(s.additions()).containsExactlyInAnyOrder(
        load + "trust.db_users: " + DBUSER + "carol",
        load + "allow.assume: " + fresh,
        next + "trust.principals: " + LOAD,
        "roles: " + fresh + " (not in the registry)");
    assertThat(s.unused()).containsExactlyInAnyOrder(
        "clusters[c1].attached_roles: " + EAST + " (no chain starts with it)",
        "clusters[c1].default_role: " + EAST + " (no statement uses IAM_ROLE DEFAULT)",
        load + "trust.db_users: " + DBUSER + "bob",
        load + "allow.s3_read: s3://lake/in/ (broader than needed: the statements touch only s3://lake/in/a/,"
            + " s3://lake/in/t/)",
        load + "allow.s3_read: s3://other (broader than needed: the statements touch only s3://other/b/)",
        load + "allow.assume: " + NEVER,
        next + "trust.principals: " + other + " (no chain has it before this role)",
        "roles: " + EAST + " (no statement uses it)",
        "chains: idle (no statement names it)",
        "external_schemas: dusty (no statement uses its tables)",
        "grants: (no section) every user may use every attached role; the suggested grants say who needs which");
  }
}
