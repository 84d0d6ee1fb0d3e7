package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.iam.Resources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of registry problem, with the message a user sees. */
class RegistryErrorsTest {

  private static final String ARN_A = "arn:aws:iam::123456789012:role/RoleA";

  private static List<String> problems(String yaml) {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(yaml, "r.yaml", Resources.path("registry")));
    return e.problems().stream().map(RegistryProblem::toString).toList();
  }

  private static String cluster(String fields) {
    return "version: 1\nclusters:\n  - " + fields.replace("\n", "\n    ") + "\n";
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    assertThat(problems("version: 1\nclusters:\n  - id: [a, b\n    region: x\n")).singleElement()
        .asString().startsWith("r.yaml:4: YAML syntax error: ");
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> syntaxErrors() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(
            "version: 1\nclusters:\n  - id: c\n    account: \"1\"\n   region: x\n",
            "r.yaml:5: YAML syntax error: at line 5, column 4: this line is indented differently from the entries"
                + " before it (it starts at line 3, column 3): line it up with them, or indent it under a key"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\npolicy: mode: audit\n",
            "r.yaml:2: YAML syntax error: at line 2, column 13: a colon where a plain value is expected"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nclusters:\n\t- id: c\n",
            "r.yaml:3: YAML syntax error: at line 3, column 1: a tab character; YAML indents with spaces only"),
        org.junit.jupiter.params.provider.Arguments.of(
            "version: 1\nroles:\n  - arn: x\n    trust:\n      regions: [us-east-1\n    allow: {}\n",
            "r.yaml:6: YAML syntax error: at line 6, column 10: the list opened by [ (it starts at line 5,"
                + " column 16) is not closed: a ] (or a comma between its items) is missing"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nchains: {a: [x]\n",
            "r.yaml:3: YAML syntax error: at line 3, column 1: the mapping opened by { (it starts at line 2,"
                + " column 9) is not closed"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nclusters:\n  - id: \"c\n",
            "r.yaml:4: YAML syntax error: at line 4, column 1: the quoted value (it starts at line 3, column 9)"
                + " is never closed: a closing quote is missing"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nroles:\n  - arn: x\n  alias: y\n",
            "r.yaml:4: YAML syntax error: at line 4, column 3: a key where the list (it starts at line 3,"
                + " column 3) expects another item"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nclusters:\n- id: c\nroles: *nope\n",
            "r.yaml:4: YAML syntax error: at line 4, column 8: *nope refers to an anchor (&nope) that is not"
                + " defined before it"),
        org.junit.jupiter.params.provider.Arguments.of("version: 1\nclusters: @c\n",
            "r.yaml:2: YAML syntax error: at line 2, column 11: a value cannot start with '@' unless it is in quotes"));
  }

  /** Syntax errors are said in words, with line and column, never in the YAML parser's terms. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("syntaxErrors")
  void yamlSyntaxErrorsAreSaidInWords(String yaml, String message) {
    assertThat(problems(yaml)).singleElement().asString().startsWith(message)
        .doesNotContain("<", "while parsing", "while scanning", "token");
  }

  @Test
  void emptyAndNonMappingFiles() {
    assertThat(problems("# nothing\n"))
        .containsExactly("r.yaml: the registry is empty; start it with version: 1");
    assertThat(problems("- 1\n")).containsExactly("r.yaml:1: expected a mapping, got a list");
  }

  @Test
  void versionMustBeOne() {
    assertThat(problems("version: 2\n"))
        .containsExactly("r.yaml:1: version: unsupported version \"2\"; this iamguard reads version: 1");
    assertThat(problems("roles: []\n")).containsExactly("r.yaml:1: missing required field \"version\"");
  }

  @Test
  void unknownKeysSuggestTheNearestValidKey() {
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-west-2\natached_roles: []")))
        .containsExactly("r.yaml:6: clusters[0]: unknown key \"atached_roles\"; did you mean \"attached_roles\"?");
    assertThat(problems("version: 1\nzzz: 1\n")).containsExactly("r.yaml:2: unknown key \"zzz\";"
        + " valid keys: version, clusters, roles, chains, grants, users, db_roles, policy, external_schemas,"
        + " managed_policies");
  }

  @Test
  void usersAndDatabaseRoles() {
    assertThat(problems("version: 1\nusers:\n  u1: {superuser: yes}\n"))
        .containsExactly("r.yaml:3: users.u1.superuser: expected true or false, got \"yes\"");
    assertThat(problems("version: 1\nusers:\n  u1: {superusers: true}\n"))
        .containsExactly("r.yaml:3: users.u1: unknown key \"superusers\"; did you mean \"superuser\"?");
    assertThat(problems("version: 1\ndb_roles:\n  loader: {role: [reader]}\n"))
        .containsExactly("r.yaml:3: db_roles.loader: unknown key \"role\"; did you mean \"roles\"?");
    assertThat(problems("version: 1\ndb_role:\n  loader: {roles: [reader]}\n"))
        .containsExactly("r.yaml:2: unknown key \"db_role\"; did you mean \"db_roles\"?");
    assertThat(problems("version: 1\ndb_roles:\n  a: {roles: [b]}\n  b: {roles: [c]}\n  c: {roles: [A]}\n  d: {roles: [a]}\n"))
        .containsExactly("r.yaml:3: db_roles.a: role \"a\" holds itself through a -> b -> c -> a; Redshift refuses "
            + "to grant a role to a role that holds it: remove one of these grants");
    assertThat(problems("version: 1\ndb_roles:\n  a: {roles: [a]}\n  B: {}\n  b: {}\n"))
        .containsExactly(
            "r.yaml:5: db_roles.b: role \"b\" differs only in case from \"B\" (line 4); Redshift folds names to lower case",
            "r.yaml:3: db_roles.a: role \"a\" holds itself through a -> a; Redshift refuses "
                + "to grant a role to a role that holds it: remove one of these grants");
    assertThat(problems("version: 1\ndb_roles: [a]\n")).containsExactly("r.yaml:2: db_roles: expected a mapping, got a list");
  }

  @Test
  void duplicateKeysAreReported() {
    assertThat(problems("version: 1\nversion: 1\n"))
        .containsExactly("r.yaml:2: duplicate key \"version\" (first at line 1)");
  }

  @Test
  void wrongTypes() {
    assertThat(problems("version: 1\nclusters: my-cluster\n"))
        .containsExactly("r.yaml:2: clusters: expected a list, got a string");
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-west-2\n"
        + "attached_roles: " + ARN_A)))
        .containsExactly("r.yaml:6: clusters[0].attached_roles: expected a list, got a string");
    assertThat(problems(cluster("id: [c]\naccount: \"123456789012\"\nregion: us-west-2")))
        .containsExactly("r.yaml:3: clusters[0].id: expected a string, got a list");
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-west-2\nserverless: yes")))
        .containsExactly("r.yaml:6: clusters[0].serverless: expected true or false, got \"yes\"");
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-west-2\ndefault_role:")))
        .containsExactly("r.yaml:6: clusters[0].default_role: has no value; give a string or remove the key");
  }

  @Test
  void missingRequiredFields() {
    assertThat(problems(cluster("region: us-west-2"))).containsExactly(
        "r.yaml:3: clusters[0]: missing required field \"id\"",
        "r.yaml:3: clusters[0]: missing required field \"account\"");
    assertThat(problems("version: 1\nroles:\n  - alias: x\n"))
        .containsExactly("r.yaml:3: roles[0]: missing required field \"arn\"");
    assertThat(problems("version: 1\ngrants:\n  - on: ALL\n")).containsExactly(
        "r.yaml:3: grants[0]: missing required field \"to\"",
        "r.yaml:3: grants[0]: missing required field \"for\"");
  }

  @Test
  void unknownRegionsAreErrorsWithTheRegionMeant() {
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-wset-2")))
        .containsExactly("r.yaml:5: clusters[0].region: region \"us-wset-2\" is not an AWS region; did you mean"
            + " \"us-west-2\"?");
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: xx-nowhere-9")))
        .containsExactly("r.yaml:5: clusters[0].region: region \"xx-nowhere-9\" is not an AWS region");
    assertThat(problems("version: 1\nroles:\n  - arn: " + ARN_A + "\n    trust:\n      regions: [us-east-1, eu-wset-1]\n"))
        .containsExactly("r.yaml:5: roles[0].trust.regions[1]: region \"eu-wset-1\" is not an AWS region; did you"
            + " mean \"eu-west-1\"?");
  }

  @Test
  void regionsOfEveryPartitionAreKnown() throws RegistryException {
    for (String region : List.of("cn-northwest-1", "us-gov-west-1", "us-isob-east-1", "eusc-de-east-1", "ap-southeast-7")) {
      assertThat(RegistryLoader.parse(cluster("id: c\naccount: \"123456789012\"\nregion: " + region), "r.yaml",
          Resources.path("registry")).clusters().get(0).region()).isEqualTo(region);
    }
  }

  @Test
  void clusterFieldFormats() {
    assertThat(problems(cluster("id: My_Cluster\naccount: \"0123456789012\"\nregion: uswest2")))
        .containsExactly(
            "r.yaml:3: clusters[0].id: cluster id \"My_Cluster\" must be 1-63 lowercase letters,"
                + " digits or hyphens, start with a letter, and neither end with a hyphen nor hold"
                + " two hyphens in a row",
            "r.yaml:4: clusters[0].account: account id must be 12 digits, got 13: 0123456789012",
            "r.yaml:5: clusters[0].region: region \"uswest2\" is not a region name like us-west-2");
    assertThat(problems(cluster("id: a--b\naccount: \"123456789012\"\nregion: us-west-2")))
        .singleElement().asString().contains("cluster id \"a--b\" must be");
    assertThat(problems(cluster("id: ab\nserverless: true\naccount: \"123456789012\"\nregion: us-west-2")))
        .containsExactly("r.yaml:3: clusters[0].id: workgroup name \"ab\" must be 3-64 lowercase"
            + " letters, digits or hyphens");
  }

  @Test
  void attachedAndDefaultRolesMustBeArnsAndConsistent() {
    assertThat(problems(cluster("id: c\naccount: \"123456789012\"\nregion: us-west-2\n"
        + "attached_roles: [copy-unload, \"arn:aws:iam::role/RoleA\"]\n"
        + "default_role: arn:aws:iam::123456789012:role/Other")))
        .containsExactly(
            "r.yaml:6: clusters[0].attached_roles[0]: \"copy-unload\" is not a role ARN: does not"
                + " start with \"arn:\"",
            "r.yaml:6: clusters[0].attached_roles[1]: \"arn:aws:iam::role/RoleA\" is not a role"
                + " ARN: account id missing",
            "r.yaml:7: clusters[0].default_role: default role arn:aws:iam::123456789012:role/Other"
                + " is not among attached_roles; a cluster's default role must be attached to it,"
                + " so add it to attached_roles");
  }

  @Test
  void duplicateClusterIds() {
    assertThat(problems("version: 1\nclusters:\n"
        + "  - {id: c, account: \"123456789012\", region: us-west-2}\n"
        + "  - {id: c, account: \"123456789012\", region: us-east-1}\n"))
        .containsExactly("r.yaml:4: clusters[1].id: duplicate cluster id \"c\" (first at line 3)");
  }

  @Test
  void invalidRoleArnUsesRoleArnsReason() {
    assertThat(problems("version: 1\nroles:\n  - arn: arn:aws:iam::0123456789012:role/RoleA\n"))
        .containsExactly("r.yaml:3: roles[0].arn: \"arn:aws:iam::0123456789012:role/RoleA\" is not"
            + " a role ARN: account id must be 12 digits, got 13: 0123456789012");
  }

  @Test
  void duplicateRolesNameBothLines() {
    assertThat(problems("version: 1\nroles:\n  - arn: " + ARN_A + "\n  - arn: " + ARN_A + "\n"
        + "  - arn: arn:aws:iam::123456789012:role/etl/ROLEA\n"))
        .containsExactly(
            "r.yaml:4: roles[1].arn: duplicate role " + ARN_A + ": " + ARN_A
                + " is already defined at line 3 (role names are unique per account, ignoring case)",
            "r.yaml:5: roles[2].arn: duplicate role arn:aws:iam::123456789012:role/etl/ROLEA: "
                + ARN_A + " is already defined at line 3 (role names are unique per account,"
                + " ignoring case)");
  }

  @Test
  void aliasesMustBeUniqueValidAndNotChainNames() {
    assertThat(problems("""
        version: 1
        roles:
          - {arn: "arn:aws:iam::123456789012:role/A", alias: loader}
          - {arn: "arn:aws:iam::123456789012:role/B", alias: Loader}
          - {arn: "arn:aws:iam::123456789012:role/C", alias: companyb}
          - {arn: "arn:aws:iam::123456789012:role/D", alias: "two words"}
          - {arn: "arn:aws:iam::123456789012:role/E", alias: default}
        chains:
          companyb: ["arn:aws:iam::123456789012:role/A"]
        """)).containsExactly(
        "r.yaml:4: roles[1].alias: alias \"Loader\" is already used by"
            + " arn:aws:iam::123456789012:role/A (line 3)",
        "r.yaml:6: roles[3].alias: alias \"two words\" must be 1-64 letters, digits or _ . @ + = -,"
            + " starting with a letter or digit",
        "r.yaml:7: roles[4].alias: alias \"default\" is reserved; choose another",
        "r.yaml:9: chains.companyb: chain name \"companyb\" is also the alias of"
            + " arn:aws:iam::123456789012:role/C (line 5); IAM_ROLE 'companyb' would be ambiguous,"
            + " so rename one");
  }

  @Test
  void allowListValues() {
    assertThat(problems("""
        version: 1
        roles:
          - arn: arn:aws:iam::123456789012:role/A
            allow:
              s3_read: ["s3:/acme", "s3://Acme/x", "s3://acme/a/../b", "s3://192.168.1.1"]
              s3_write: "s3://acme/out/"
              lambda: ["my fn"]
              assume: [RoleB]
        """)).containsExactly(
        "r.yaml:5: roles[0].allow.s3_read[0]: invalid S3 location \"s3:/acme\": must start with"
            + " s3:// (expected s3://bucket or s3://bucket/prefix)",
        "r.yaml:5: roles[0].allow.s3_read[1]: invalid S3 location \"s3://Acme/x\": bucket name"
            + " \"Acme\" must be 3-63 lowercase letters, digits, dots or hyphens, starting and"
            + " ending with a letter or digit (expected s3://bucket or s3://bucket/prefix)",
        "r.yaml:5: roles[0].allow.s3_read[2]: invalid S3 location \"s3://acme/a/../b\": key prefix"
            + " \"a/../b\" must not contain a . or .. segment (expected s3://bucket or"
            + " s3://bucket/prefix)",
        "r.yaml:5: roles[0].allow.s3_read[3]: invalid S3 location \"s3://192.168.1.1\": bucket name"
            + " \"192.168.1.1\" is not allowed by S3 (two adjacent dots, an IP address, or a"
            + " reserved xn-- prefix or -s3alias/--ol-s3 suffix) (expected s3://bucket or"
            + " s3://bucket/prefix)",
        "r.yaml:6: roles[0].allow.s3_write: expected a list, got a string",
        "r.yaml:7: roles[0].allow.lambda[0]: Lambda function \"my fn\" must be non-empty without spaces",
        "r.yaml:8: roles[0].allow.assume[0]: \"RoleB\" is not a role ARN: does not start with \"arn:\"");
  }

  @Test
  void trustValues() {
    assertThat(problems("""
        version: 1
        roles:
          - arn: arn:aws:iam::123456789012:role/A
            trust:
              regions: []
              db_users: [user1]
              principals: ["arn:aws:iam::role/RoleA"]
        """)).containsExactly(
        "r.yaml:5: roles[0].trust.regions: empty list: it would trust nobody; remove the key to"
            + " trust every one, or list some",
        "r.yaml:6: roles[0].trust.db_users[0]: \"user1\" is not a database user ARN like"
            + " arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1",
        "r.yaml:7: roles[0].trust.principals[0]: \"arn:aws:iam::role/RoleA\" is not a role ARN,"
            + " account root or account id (account id missing)");
  }

  @Test
  void shortFormAndPolicyFilesExcludeEachOther() {
    assertThat(problems("""
        version: 1
        roles:
          - arn: arn:aws:iam::123456789012:role/FromIam
            trust: {regions: [us-west-2]}
            policy_files: {trust: iam/FromIam.trust.json}
        """)).containsExactly("r.yaml:4: roles[0].trust: a role takes either trust or"
        + " policy_files.trust, not both; keep the one that describes the role");
  }

  @Test
  void anEmptiedPolicyFilesMappingIsRefused() {
    for (String spelling : List.of("{}", "{ }", "\n      {}", "!!map {}")) {
      assertThat(problems("version: 1\nroles:\n  - arn: arn:aws:iam::123456789012:role/FromIam\n    policy_files: "
          + spelling + "\n")).as(spelling).singleElement().asString().endsWith("roles[0].policy_files: empty mapping:"
          + " it would describe the role by no document, leaving it the default trust; name its documents (trust,"
          + " permissions, managed, boundary), or remove the key");
    }
  }

  @Test
  void policyFilesThatCannotBeReadOrParsed() {
    List<String> problems = problems("""
        version: 1
        roles:
          - arn: arn:aws:iam::123456789012:role/FromIam
            policy_files:
              trust: iam/FromIam.broken.json
              permissions: [iam/missing.json, iam/FromIam.trust.json]
        """);

    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).isEqualTo("r.yaml:5: roles[0].policy_files.trust:"
        + " iam/FromIam.broken.json: statement 1, line 6: Principal AWS \"arn:aws:iam::role/RoleA\""
        + " is not an account, role, user or session ARN, an account id or \"*\" (account id missing)");
    assertThat(problems.get(1)).startsWith("r.yaml:6: roles[0].policy_files.permissions[0]: cannot"
        + " read policy file iam/missing.json (looked for in ").endsWith("): NoSuchFileException;"
        + " policy_files are relative to the registry file's folder");
    assertThat(problems.get(2)).isEqualTo("r.yaml:6: roles[0].policy_files.permissions[1]:"
        + " iam/FromIam.trust.json is a trust policy, expected a permission policy");
  }

  @Test
  void policyFilesNeedAFolder() {
    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse(
        "version: 1\nroles:\n  - arn: " + ARN_A + "\n    policy_files: {trust: t.json}\n",
        "inline", null));

    assertThat(e.problems()).singleElement().extracting(RegistryProblem::message).isEqualTo(
        "policy file t.json cannot be resolved: the registry was given as text without a folder;"
            + " load it from a file or pass its folder");
  }

  @Test
  void chainsMustHoldValidArns() {
    assertThat(problems("""
        version: 1
        chains:
          companyb: ["arn:aws:iam::123456789012:role/RoleA", "arn:aws:iam::role/RoleB"]
          empty: []
          text: "arn:aws:iam::123456789012:role/RoleA"
        """)).containsExactly(
        "r.yaml:3: chains.companyb[1]: \"arn:aws:iam::role/RoleB\" is not a role ARN: account id missing",
        "r.yaml:4: chains.empty: empty chain: list the role ARNs in order",
        "r.yaml:5: chains.text: expected a list, got a string");
  }

  @Test
  void grantValues() {
    assertThat(problems("""
        version: 1
        grants:
          - on: ["arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::role/RoleB", ALL]
            to: ["group:", user one]
            for: [UNLAOD, SELECT]
          - {on: everything, to: [PUBLIC], for: []}
        """)).containsExactly(
        "r.yaml:3: grants[0].on[0]: \"arn:aws:iam::role/RoleB\" is not a role ARN: account id missing",
        "r.yaml:3: grants[0].on[1]: ALL cannot be listed with role chains; write on: ALL alone",
        "r.yaml:4: grants[0].to[0]: group name \"\" must be non-empty without spaces",
        "r.yaml:4: grants[0].to[1]: user name \"user one\" must be non-empty without spaces",
        "r.yaml:5: grants[0].for[0]: unknown command \"UNLAOD\"; did you mean \"UNLOAD\"? expected"
            + " one of ALL, COPY, UNLOAD, EXTERNAL FUNCTION, CREATE MODEL",
        "r.yaml:5: grants[0].for[1]: unknown command \"SELECT\"; expected one of ALL, COPY, UNLOAD,"
            + " EXTERNAL FUNCTION, CREATE MODEL",
        "r.yaml:6: grants[1].on: expected default, ALL or a list of role chains, got \"everything\"",
        "r.yaml:6: grants[1].for: empty list: a grant needs at least one entry here");
  }

  @Test
  void settingsValues() {
    assertThat(problems("""
        version: 1
        policy:
          mode: enforcing
          credentials: keys
          rewrite_aliases: "maybe"
          max_chain: 11
          dynamic_sql: allow
        """)).containsExactly(
        "r.yaml:3: policy.mode: unknown mode \"enforcing\"; expected enforce, audit, off",
        "r.yaml:4: policy.credentials: unknown credentials \"keys\"; expected roles-only,"
            + " temporary-keys, any",
        "r.yaml:5: policy.rewrite_aliases: expected true or false, got \"maybe\"",
        "r.yaml:6: policy.max_chain: max_chain must be a whole number from 1 to 10 (Redshift's"
            + " limit), got \"11\"",
        "r.yaml:7: policy.dynamic_sql: unknown dynamic_sql \"allow\"; expected deny, warn");
  }

  @Test
  void dynamicSqlIsDenyByDefaultAndMayBeWarn() throws RegistryException {
    String registry = cluster("id: c\naccount: \"123456789012\"\nregion: us-east-1");
    assertThat(RegistryLoader.parse(registry, "r.yaml", null).settings().dynamicSql())
        .isEqualTo(PolicySettings.DynamicSql.DENY);
    assertThat(RegistryLoader.parse(registry + "policy:\n  dynamic_sql: WARN\n", "r.yaml", null).settings().dynamicSql())
        .isEqualTo(PolicySettings.DynamicSql.WARN);
    assertThat(PolicySettings.DEFAULTS.dynamicSql()).isEqualTo(PolicySettings.DynamicSql.DENY);
  }

  @Test
  void usersAreMappingsOfGroupsAndRoles() {
    assertThat(problems("version: 1\nusers:\n  bob: {groups: etl}\n  Bob: {}\n  eve: {grups: []}\n"))
        .containsExactly(
            "r.yaml:3: users.bob.groups: expected a list, got a string",
            "r.yaml:4: users.Bob: user \"Bob\" differs only in case from \"bob\" (line 3); Redshift"
                + " folds names to lower case",
            "r.yaml:5: users.eve: unknown key \"grups\"; did you mean \"groups\"?");
  }

  @Test
  void collectsEveryProblemIntoOneException() {
    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse("""
        version: 1
        clusters:
          - {id: c, account: "1", region: us-west-2}
        roles:
          - arn: nope
        """, "r.yaml", null));

    assertThat(e.problems()).extracting(RegistryProblem::line, RegistryProblem::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3, "clusters[0].account"),
            org.assertj.core.groups.Tuple.tuple(5, "roles[0].arn"));
    assertThat(e.getMessage()).isEqualTo("registry r.yaml has 2 problems:\n"
        + "  r.yaml:3: clusters[0].account: account id must be 12 digits, got 1: 1\n"
        + "  r.yaml:5: roles[0].arn: \"nope\" is not a role ARN: does not start with \"arn:\"");
  }

  @Test
  void loadReportsAMissingFile() {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.load(Path.of("target/no-such-registry.yaml")));

    assertThat(e.problems()).singleElement().asString().isEqualTo("target/no-such-registry.yaml:"
        + " cannot read the registry file (NoSuchFileException: target/no-such-registry.yaml)");
  }
}
