package dev.iamguard.policy.awscli;

import static dev.iamguard.policy.awscli.ImportFixtures.input;
import static dev.iamguard.policy.awscli.ImportFixtures.run;
import static dev.iamguard.policy.awscli.ImportFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.SharedFiles;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistrySchemaTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code registry import}: the seed scenario as the AWS CLI prints it gives a registry that decides
 * every sample script as the hand-written sample registry does; the corpus's CLI shapes load; bad
 * input is refused naming the file and the problem.
 */
class RegistryImportTest {
  private static final String COPY_UNLOAD = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String ROLE_A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String ROLE_B = "arn:aws:iam::210987654321:role/RoleB";

  @TempDir
  Path dir;

  @Test
  void theSeedScenarioImportsToTheRolesRedshiftCanReach() {
    RegistryImport.Result result = run(ImportFixtures.seed(RegistryImport.Layout.FILES));
    Registry registry = ImportFixtures.write(result, dir);
    assertThat(registry.roles()).extracting(r -> r.arn().toString()).containsExactly(
        "arn:aws:iam::123456789012:role/OldCopyRole", COPY_UNLOAD, ROLE_A, ROLE_B);
    ClusterConfig cluster = registry.cluster("my-cluster").orElseThrow();
    assertThat(cluster.attachedRoles()).extracting(RoleArn::toString).containsExactly(COPY_UNLOAD, ROLE_A);
    assertThat(cluster.defaultRole()).map(RoleArn::toString).contains(COPY_UNLOAD);
    assertThat(cluster.account()).isEqualTo("123456789012");
    assertThat(cluster.region()).isEqualTo("us-west-2");
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("OldCopyRole is removing, not in-sync"));
    assertThat(result.registry()).contains("# - my-cluster: arn:aws:iam::123456789012:role/OldCopyRole is removing")
        .contains("alias: copy-unload").doesNotContain("AppServerRole").doesNotContain("BatchRole");
    assertThat(registry.roleByAlias("copy-unload")).isPresent();
    assertThat(registry.chain("companyb")).isPresent();
    assertThat(registry.grantsEnforced()).isTrue();
    assertThat(registry.grants()).hasSize(3);
  }

  @Test
  void urlEncodedDocumentsAreWrittenDecoded() throws IOException {
    RegistryImport.Result result = run(ImportFixtures.seed(RegistryImport.Layout.FILES));
    String trust = result.files().get("iam/210987654321/RoleB/trust.json");
    Object written = new Load(LoadSettings.builder().build()).loadFromString(trust);
    Object sample = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of("samples/iam/RoleB.trust.json")));
    assertThat(written).isEqualTo(sample);
    assertThat(trust).startsWith("{\n  \"Version\": \"2012-10-17\",\n");
  }

  @Test
  void theSampleScriptsAreDecidedAsTheHandWrittenRegistryDecidesThem() throws RegistryException {
    RegistryImport.Result result = run(ImportFixtures.seed(RegistryImport.Layout.FILES));
    assertThat(RegistrySchemaTest.errors(result.registry())).isEmpty();
    Registry imported = ImportFixtures.write(result, dir);
    Registry handWritten = RegistryLoader.load(ImportFixtures.SAMPLE_REGISTRY);
    List<Path> scripts;
    try (Stream<Path> files = Files.list(Path.of("samples/etl"))) {
      scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(scripts).hasSizeGreaterThanOrEqualTo(4);
    List<Session> sessions = List.of(Session.of("user1", "my-cluster"), Session.of("user2", "my-cluster"),
        Session.of("user3", "my-cluster"), Session.of("etl_bot", "my-cluster"),
        new Session("user9", List.of("etl"), List.of(), "my-cluster"));
    int statements = 0;
    List<String> verdicts = new ArrayList<>();
    for (Path script : scripts) {
      String sql = read(script);
      for (Session session : sessions) {
        List<String> expected = outcome(new Guard(handWritten).inspect(sql, session));
        List<String> actual = outcome(new Guard(imported).inspect(sql, session));
        assertThat(actual).as(script + " as " + session.user()).isEqualTo(expected);
        statements += expected.size();
        verdicts.addAll(expected);
      }
    }
    assertThat(statements).isGreaterThan(50);
    // the comparison covers allowed, rewritten and denied statements alike
    assertThat(verdicts).anyMatch(v -> v.startsWith("ALLOW")).anyMatch(v -> v.startsWith("REWRITE"))
        .anyMatch(v -> v.startsWith("DENY") && v.contains("DB_USER_NOT_TRUSTED"))
        .anyMatch(v -> v.startsWith("DENY") && v.contains("S3_NOT_PERMITTED"))
        .anyMatch(v -> v.startsWith("DENY") && v.contains("ASSUMEROLE_NOT_GRANTED"));
  }

  /** Each statement's verdict, rule ids and the SQL it would send. */
  private static List<String> outcome(Decision decision) {
    List<String> out = new ArrayList<>();
    for (StatementDecision statement : decision.statements()) {
      out.add(statement.verdict() + " " + statement.allFindings().stream().map(f -> f.ruleId()).sorted().toList()
          + " " + statement.sql());
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anImportIsTheSameBytesEveryTime() {
    RegistryImport.Result first = run(ImportFixtures.seed(RegistryImport.Layout.FILES));
    RegistryImport.Result second = run(ImportFixtures.seed(RegistryImport.Layout.FILES));
    assertThat(second.registry()).isEqualTo(first.registry());
    assertThat(second.files()).isEqualTo(first.files());
    assertThat(first.files().keySet()).containsExactly(
        "iam/123456789012/OldCopyRole/inline/s3-old.json", "iam/123456789012/OldCopyRole/trust.json",
        "iam/123456789012/RedshiftCopyUnload/inline/s3-access.json",
        "iam/123456789012/RedshiftCopyUnload/inline/spectrum-and-udf.json",
        "iam/123456789012/RedshiftCopyUnload/trust.json", "iam/123456789012/RoleA/inline/assume-roleb.json",
        "iam/123456789012/RoleA/trust.json", "iam/210987654321/RoleB/inline/companyb-s3.json",
        "iam/210987654321/RoleB/trust.json");
  }

  @Test
  void theOrderOfTheInputsDoesNotChangeTheOutput() {
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    RegistryImport.Request reversed = new RegistryImport.Request(reversedList(seed.iam()), seed.redshift(),
        seed.serverless(), seed.grants(), seed.keep(), false, RegistryImport.Layout.FILES);
    assertThat(run(reversed).registry().lines().skip(1).toList())
        .isEqualTo(run(seed).registry().lines().skip(1).toList());
  }

  @Test
  void allRolesImportsEveryRoleOfTheExports() {
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    RegistryImport.Request all = new RegistryImport.Request(seed.iam(), seed.redshift(), seed.serverless(),
        seed.grants(), seed.keep(), true, RegistryImport.Layout.FILES);
    assertThat(run(all).registry()).contains("role/AppServerRole").contains("role/BatchRole");
  }

  @Test
  void theEmbeddedLayoutIsOneSelfContainedRegistry() throws RegistryException {
    RegistryImport.Result result = run(ImportFixtures.seed(RegistryImport.Layout.EMBEDDED));
    assertThat(result.files()).isEmpty();
    Registry registry = RegistryLoader.parse(result.registry(), "imported.yaml", null);
    assertThat(registry.roles()).hasSize(4);
  }

  @Test
  void withoutAGrantsFileTheKeptGrantsStayAndWithoutKeepThereAreNone() {
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    String kept = run(new RegistryImport.Request(seed.iam(), seed.redshift(), List.of(), Optional.empty(),
        seed.keep(), false, RegistryImport.Layout.FILES)).registry();
    assertThat(kept).contains("grants:").contains("- default");
    RegistryImport.Result bare = run(new RegistryImport.Request(seed.iam(), seed.redshift(), List.of(),
        Optional.empty(), Optional.empty(), false, RegistryImport.Layout.FILES));
    Registry registry = ImportFixtures.write(bare, dir);
    assertThat(registry.grantsEnforced()).isFalse();
    assertThat(registry.chains()).isEmpty();
    assertThat(bare.registry()).doesNotContain("alias:").doesNotContain("policy:");
  }

  @Test
  void theCorpusCliShapesImportToARegistryThatLoads() {
    Path cli = SharedFiles.require("corpus/iam/cli");
    RegistryImport.Result result = run(new RegistryImport.Request(
        List.of(input(cli.resolve("aws-iam-get-account-authorization-details.json"))),
        List.of(input(cli.resolve("aws-redshift-describe-clusters.json"))),
        List.of(input(cli.resolve("aws-redshift-serverless-get-namespace.json")),
            input(cli.resolve("aws-redshift-serverless-get-workgroup.json"))),
        Optional.empty(), Optional.empty(), false, RegistryImport.Layout.FILES));
    assertThat(RegistrySchemaTest.errors(result.registry())).isEmpty();
    Registry registry = ImportFixtures.write(result, dir);
    ClusterConfig cluster = registry.cluster("my-cluster").orElseThrow();
    // RoleA is "adding": not attached until in sync
    assertThat(cluster.attachedRoles()).extracting(RoleArn::toString).containsExactly(COPY_UNLOAD);
    ClusterConfig workgroup = registry.cluster("analytics-wg").orElseThrow();
    assertThat(workgroup.serverless()).isTrue();
    assertThat(workgroup.attachedRoles()).hasSize(2);
    assertThat(workgroup.defaultRole()).map(RoleArn::toString).contains(COPY_UNLOAD);
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("RoleA is adding"));
    Guard guard = new Guard(registry);
    assertThat(guard.inspect("copy t from 's3://acmedata/redshift/t/' iam_role default", Session.of("u", "my-cluster"))
        .allowed()).isTrue();
    Decision roleA = guard.inspect("copy t from 's3://acmedata/redshift/t/' iam_role '" + ROLE_A + "'",
        Session.of("u", "my-cluster"));
    assertThat(roleA.allowed()).isFalse();
    assertThat(roleA.findings()).extracting(f -> f.ruleId()).contains("ROLE_UNKNOWN");
  }

  @Test
  void everyCorpusCliShapeIsReadOrRefusedByName() {
    Path cli = SharedFiles.require("corpus/iam/cli");
    List<String> iamOnly = List.of("aws-iam-get-role.json", "aws-iam-get-role.raw-urlencoded.json",
        "aws-iam-get-role-policy.json", "aws-iam-list-attached-role-policies.json", "aws-iam-get-policy-version.json");
    for (String name : iamOnly) {
      assertThatThrownBy(() -> RegistryImport.run(new RegistryImport.Request(List.of(input(cli.resolve(name))),
          List.of(input(cli.resolve("aws-redshift-describe-clusters.json"))), List.of(), Optional.empty(),
          Optional.empty(), false, RegistryImport.Layout.FILES)))
          .as(name).isInstanceOf(ImportException.class)
          .hasMessageContaining(name).hasMessageContaining("--iam reads aws iam get-account-authorization-details");
    }
  }

  @Test
  void pagesGivenAsSeparateFilesOrOneAfterAnotherGiveTheSameRegistry() throws IOException {
    String pages = Files.readString(ImportFixtures.SEED.resolve("account-210987654321.json"));
    int second = pages.indexOf("\n{", 1);
    RegistryImport.Request seed = ImportFixtures.seed(RegistryImport.Layout.FILES);
    RegistryImport.Request split = new RegistryImport.Request(List.of(seed.iam().get(0),
        text("page1.json", pages.substring(0, second)), text("page2.json", pages.substring(second))),
        seed.redshift(), List.of(), seed.grants(), seed.keep(), false, RegistryImport.Layout.FILES);
    assertThat(run(split).files()).isEqualTo(run(seed).files());
  }

  @Test
  void badInputIsRefusedNamingFileAndProblem() {
    assertThat(problems(List.of(text("a.json", "not json")), describe())).anySatisfy(p ->
        assertThat(p).startsWith("a.json: line 1: expected a JSON object").contains("content is not shown"));
    assertThat(problems(List.of(text("cut.json", "{\"RoleDetailList\": [")), describe()))
        .anySatisfy(p -> assertThat(p).contains("cut.json").contains("does not end"));
    assertThat(problems(List.of(text("x.json", "{\"RoleDetailList\": [{\"RoleName\": \"R\"}]}")), describe()))
        .anySatisfy(p -> assertThat(p).isEqualTo("x.json: RoleDetailList[0].Arn: missing"))
        .anySatisfy(p -> assertThat(p).isEqualTo("x.json: RoleDetailList[0].AssumeRolePolicyDocument: missing"));
    String managed = details("\"AttachedManagedPolicies\": [{\"PolicyName\": \"P\", \"PolicyArn\": "
        + "\"arn:aws:iam::aws:policy/P\"}]");
    assertThat(problems(List.of(text("m.json", managed)), describe()))
        .anySatisfy(p -> assertThat(p).contains("attaches managed policy arn:aws:iam::aws:policy/P, whose document is"
            + " not in the --iam files"));
    assertThat(problems(List.of(text("c.json", details(""))), List.of(text("d.json", "{\"Clusters\": [{}]}"))))
        .anySatisfy(p -> assertThat(p).isEqualTo("d.json: Clusters[0].ClusterIdentifier: missing"));
    assertThat(problems(List.of(text("c.json", details(""))), List.of(text("w.json",
        "{\"workgroup\": {\"workgroupName\": \"wg\", \"namespaceName\": \"ns\"}}"))))
        .anySatisfy(p -> assertThat(p).contains("namespace \"ns\" of workgroup wg is not in the files given"));
    assertThat(problems(List.of(text("c.json", details(""))), List.of(text("i.json", details("")))))
        .anySatisfy(p -> assertThat(p).contains("i.json").contains("give it with --iam"));
  }

  /** A boundary limiting a role's policies is never left out: its document missing is a problem. */
  @Test
  void aPermissionsBoundaryIsNeverLeftOut() {
    String bounded = details("\"AttachedManagedPolicies\": [{\"PolicyName\": \"ReadB\", \"PolicyArn\":"
        + " \"arn:aws:iam::123456789012:policy/ReadB\"}], \"PermissionsBoundary\": {\"PermissionsBoundaryType\":"
        + " \"Policy\", \"PermissionsBoundaryArn\": \"arn:aws:iam::123456789012:policy/Boundary\"}")
        .replace("\"Policies\": []", "\"Policies\": [" + managed("ReadB", "{\"Version\": \"2012-10-17\","
            + " \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}") + "]");
    assertThat(problems(List.of(text("b.json", bounded)), describe()))
        .anySatisfy(p -> assertThat(p).contains("has permissions boundary").contains("whose document is not in"));
  }

  /**
   * A role with a boundary and no permission policy grants nothing, a valid AWS state (probe 19b:
   * one such role made the whole import fail, as the registry refuses a boundary limiting nothing):
   * it is imported without the boundary, and grants nothing.
   */
  @Test
  void aBoundaryWithoutPoliciesGrantsNothingAndDoesNotStopTheImport() throws RegistryException {
    String bounded = details("\"PermissionsBoundary\": {\"PermissionsBoundaryType\": \"Policy\","
        + " \"PermissionsBoundaryArn\": \"arn:aws:iam::123456789012:policy/Boundary\"}");
    RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("b.json", bounded)), describe(),
        List.of(), Optional.empty(), Optional.empty(), false, RegistryImport.Layout.EMBEDDED));
    Registry registry = RegistryLoader.parse(result.registry(), "imported.yaml", null);
    assertThat(registry.roles()).singleElement().satisfies(role -> assertThat(role.boundary()).isEmpty());
    Decision copy = new Guard(registry).inspect("copy t from 's3://b/x/' iam_role 'arn:aws:iam::123456789012:role/R'",
        Session.of("u", "c1"));
    assertThat(copy.findings()).extracting(f -> f.ruleId()).containsExactly("S3_NOT_PERMITTED");
  }

  /**
   * A role with an attached managed policy (all of bucket b) under a boundary (only b/allowed/):
   * written as managed_policies, policy_files.managed and .boundary, in both layouts, and the guard
   * allows what both allow, as IAM does.
   */
  @Test
  void managedPoliciesAndBoundariesAreWrittenByArnAndIntersected() throws RegistryException {
    String readBucket = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\":"
        + " [\"s3:GetObject\", \"s3:ListBucket\"], \"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]}]}";
    String boundary = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\","
        + " \"Resource\": [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/allowed/*\"]}]}";
    String export = "{\"RoleDetailList\": [{\"RoleName\": \"R\", \"Arn\": \"arn:aws:iam::123456789012:role/R\","
        + " \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]},"
        + " \"RolePolicyList\": [], \"AttachedManagedPolicies\": [{\"PolicyName\": \"ReadB\", \"PolicyArn\":"
        + " \"arn:aws:iam::123456789012:policy/ReadB\"}], \"PermissionsBoundary\": {\"PermissionsBoundaryType\":"
        + " \"Policy\", \"PermissionsBoundaryArn\": \"arn:aws:iam::123456789012:policy/Boundary\"}}],"
        + " \"Policies\": [" + managed("ReadB", readBucket) + ", " + managed("Boundary", boundary) + "]}";
    for (RegistryImport.Layout layout : RegistryImport.Layout.values()) {
      RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("a.json", export)), describe(),
          List.of(), Optional.empty(), Optional.empty(), false, layout));
      assertThat(result.registry()).contains("managed_policies:").contains("managed:\n")
          .contains("boundary: arn:aws:iam::123456789012:policy/Boundary");
      assertThat(RegistrySchemaTest.errors(result.registry())).as(layout.name()).isEmpty();
      if (layout == RegistryImport.Layout.FILES) {
        // a managed policy's document lies under its owner account
        assertThat(result.files()).containsKeys("iam/managed/123456789012/ReadB.json",
            "iam/managed/123456789012/Boundary.json");
      }
      Registry registry = layout == RegistryImport.Layout.FILES ? ImportFixtures.write(result, dir.resolve("files"))
          : RegistryLoader.parse(result.registry(), "imported.yaml", null);
      assertThat(registry.roles()).singleElement().satisfies(role -> {
        assertThat(role.managedPolicies()).extracting(m -> m.arn()).containsExactly("arn:aws:iam::123456789012:policy/ReadB");
        assertThat(role.boundary()).isPresent();
      });
      Guard guard = new Guard(registry);
      String role = " iam_role 'arn:aws:iam::123456789012:role/R'";
      assertThat(guard.inspect("copy t from 's3://b/allowed/x/'" + role, Session.of("u", "c1")).allowed())
          .as(layout.name()).isTrue();
      Decision outside = guard.inspect("copy t from 's3://b/other/'" + role, Session.of("u", "c1"));
      assertThat(outside.allowed()).isFalse();
      assertThat(outside.findings()).extracting(f -> f.ruleId()).contains("S3_NOT_PERMITTED");
    }
  }

  private static String managed(String name, String document) {
    return "{\"PolicyName\": \"" + name + "\", \"Arn\": \"arn:aws:iam::123456789012:policy/" + name + "\","
        + " \"DefaultVersionId\": \"v2\", \"PolicyVersionList\": [{\"VersionId\": \"v1\", \"IsDefaultVersion\": false,"
        + " \"Document\": {\"Version\": \"2012-10-17\", \"Statement\": []}}, {\"VersionId\": \"v2\","
        + " \"IsDefaultVersion\": true, \"Document\": " + document + "}]}";
  }

  private static List<RegistryImport.Input> describe() {
    return List.of(text("describe.json", "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"ClusterNamespaceArn\":"
        + " \"arn:aws:redshift:us-west-2:123456789012:namespace:x\", \"IamRoles\": [{\"IamRoleArn\":"
        + " \"arn:aws:iam::123456789012:role/R\", \"ApplyStatus\": \"in-sync\"}]}]}"));
  }

  /** Authorization details with one role R, attached to c1, with {@code extra} fields. */
  private static String details(String extra) {
    return "{\"RoleDetailList\": [{\"RoleName\": \"R\", \"Arn\": \"arn:aws:iam::123456789012:role/R\","
        + " \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]},"
        + " \"RolePolicyList\": []" + (extra.contains("\"AttachedManagedPolicies\"") ? "" : ", \"AttachedManagedPolicies\": []")
        + (extra.isEmpty() ? "" : ", " + extra) + "}], \"Policies\": []}";
  }

  private static List<String> problems(List<RegistryImport.Input> iam, List<RegistryImport.Input> redshift) {
    try {
      RegistryImport.run(new RegistryImport.Request(iam, redshift, List.of(), Optional.empty(), Optional.empty(),
          false, RegistryImport.Layout.FILES));
    } catch (ImportException e) {
      return e.problems();
    }
    throw new AssertionError("expected the import to fail");
  }

  @Test
  void aRegistryThatDoesNotLoadIsRefusedWithItsProblems() {
    // a kept chain naming a role the exports do not have makes a registry that does not load
    Path keep = dir.resolve("keep.yaml");
    try {
      Files.writeString(keep, "version: 1\nexternal_schemas:\n  s: {iam_role: \"" + ROLE_B + "\"}\nroles:\n  - arn: "
          + ROLE_B + "\n");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> RegistryImport.run(new RegistryImport.Request(List.of(text("c.json", details(""))),
        describe(), List.of(), Optional.empty(), Optional.of(keep), false, RegistryImport.Layout.FILES)))
        .isInstanceOf(ImportException.class).hasMessageContaining("the imported registry does not load")
        .hasMessageContaining("is not a role of this registry");
  }

  @Test
  void aKeptRegistryThatDoesNotLoadIsRefused() throws IOException {
    Path keep = dir.resolve("broken.yaml");
    Files.writeString(keep, "version: 1\nclustrs: []\n");
    assertThatThrownBy(() -> RegistryImport.run(new RegistryImport.Request(List.of(text("c.json", details(""))),
        describe(), List.of(), Optional.empty(), Optional.of(keep), false, RegistryImport.Layout.FILES)))
        .isInstanceOf(ImportException.class).hasMessageContaining("--keep " + keep + " does not load")
        .hasMessageContaining("unknown key \"clustrs\"");
  }

  @Test
  void serverlessRolesAreReadInEveryShapeTheCliPrints() {
    String namespace = "{\"namespace\": {\"namespaceArn\": \"arn:aws:redshift-serverless:eu-west-1:123456789012:"
        + "namespace/n1\", \"namespaceName\": \"ns\", \"defaultIamRoleArn\": \"arn:aws:iam::123456789012:role/R\","
        + " \"iamRoles\": [\"IamRole(applyStatus=in-sync, iamRoleArn=arn:aws:iam::123456789012:role/R)\","
        + " \"IamRole(iamRoleArn=arn:aws:iam::123456789012:role/S, applyStatus=adding)\","
        + " {\"iamRoleArn\": \"arn:aws:iam::123456789012:role/T\", \"applyStatus\": \"in-sync\"},"
        + " \"arn:aws:iam::123456789012:role/U\"]}}";
    String workgroup = "{\"workgroups\": [{\"workgroupName\": \"wg-1\", \"namespaceName\": \"ns\"}]}";
    RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("c.json", details(""))), List.of(),
        List.of(text("ns.json", namespace), text("wg.json", workgroup)), Optional.empty(), Optional.empty(), false,
        RegistryImport.Layout.FILES));
    Registry registry = ImportFixtures.write(result, dir);
    ClusterConfig wg = registry.cluster("wg-1").orElseThrow();
    assertThat(wg.serverless()).isTrue();
    assertThat(wg.region()).isEqualTo("eu-west-1");
    assertThat(wg.attachedRoles()).extracting(RoleArn::name).containsExactly("R", "T", "U");
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("role/S is adding"));
  }

  @Test
  void aDefaultRoleThatIsNotInSyncIsLeftOutAndSaid() {
    String clusters = "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"Endpoint\": {\"Address\":"
        + " \"c1.x.eu-central-1.redshift.amazonaws.com\"}, \"IamRoles\": [{\"IamRoleArn\":"
        + " \"arn:aws:iam::123456789012:role/R\", \"ApplyStatus\": \"adding\"}, {\"IamRoleArn\":"
        + " \"arn:aws:iam::123456789012:role/Q\", \"ApplyStatus\": \"in-sync\"}],"
        + " \"DefaultIamRoleArn\": \"arn:aws:iam::123456789012:role/R\"}]}";
    RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("c.json", details(""))),
        List.of(text("d.json", clusters)), List.of(), Optional.empty(), Optional.empty(), false,
        RegistryImport.Layout.FILES));
    Registry registry = ImportFixtures.write(result, dir);
    ClusterConfig cluster = registry.cluster("c1").orElseThrow();
    assertThat(cluster.region()).isEqualTo("eu-central-1");
    assertThat(cluster.defaultRole()).isEmpty();
    assertThat(cluster.attachedRoles()).extracting(RoleArn::name).containsExactly("Q");
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("default role").contains("left out"));
    assertThat(result.files()).containsKey("iam/123456789012/R/trust.json");
    assertThat(result.files().keySet()).allMatch(k -> !k.contains(".."));
    assertThat((Map<String, String>) result.files()).isNotEmpty();
  }

  private static <T> List<T> reversedList(List<T> items) {
    List<T> copy = new ArrayList<>(items);
    java.util.Collections.reverse(copy);
    return copy;
  }

  /**
   * IAM role names may hold commas, so a chain is split only before {@code arn:} (facts file): every
   * role of a granted chain is kept, one with a comma in its name too, and a role nothing names is not.
   */
  @Test
  void aGrantedChainKeepsEveryRoleOfItACommaInANameNotWithstanding() {
    String trustR = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
        + " {\"AWS\": \"arn:aws:iam::123456789012:role/R\"}, \"Action\": \"sts:AssumeRole\"}]}";
    String export = "{\"RoleDetailList\": [{\"RoleName\": \"R\", \"Arn\": \"arn:aws:iam::123456789012:role/R\","
        + " \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]},"
        + " \"RolePolicyList\": [], \"AttachedManagedPolicies\": []},"
        + " {\"RoleName\": \"x,y\", \"Arn\": \"arn:aws:iam::123456789012:role/x,y\", \"AssumeRolePolicyDocument\": "
        + trustR + ", \"RolePolicyList\": [], \"AttachedManagedPolicies\": []},"
        + " {\"RoleName\": \"Z\", \"Arn\": \"arn:aws:iam::123456789012:role/Z\", \"AssumeRolePolicyDocument\": "
        + trustR + ", \"RolePolicyList\": [], \"AttachedManagedPolicies\": []}], \"Policies\": []}";
    String csv = "iam_arn,command_type,identity_name,identity_type\n"
        + "\"arn:aws:iam::123456789012:role/R,arn:aws:iam::123456789012:role/x,y\",COPY,u1,user\n";
    RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("a.json", export)), describe(),
        List.of(), Optional.of(text("p.csv", csv)), Optional.empty(), false, RegistryImport.Layout.EMBEDDED));
    // x,y is a role of the registry (not only a name in the grant); Z is not there at all
    assertThat(result.registry()).contains("\n  - arn: arn:aws:iam::123456789012:role/x,y\n")
        .doesNotContain("arn:aws:iam::123456789012:role/Z");
    assertThat(result.notes()).noneMatch(n -> n.contains("role/x\"") || n.contains(" y "));
  }

  /**
   * A role whose association is still being added is kept (with a note), as is a role a kept
   * registry's chain names; an attached role the exports lack is said to be missing; the header
   * names the inputs by base name, sorted, whatever folders they came from.
   */
  @Test
  void pendingAndKeptRolesAreImportedMissingOnesAreSaid() throws IOException {
    String trust = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
        + " {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
    StringBuilder export = new StringBuilder("{\"RoleDetailList\": [");
    for (String name : List.of("R", "P", "K", "Z")) {
      export.append(name.equals("R") ? "" : ", ").append("{\"RoleName\": \"").append(name)
          .append("\", \"Arn\": \"arn:aws:iam::123456789012:role/").append(name)
          .append("\", \"AssumeRolePolicyDocument\": ").append(trust).append(", \"RolePolicyList\": [], \"AttachedManagedPolicies\": []}");
    }
    export.append("], \"Policies\": []}");
    String describe = "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"ClusterNamespaceArn\":"
        + " \"arn:aws:redshift:us-west-2:123456789012:namespace:x\", \"IamRoles\": ["
        + "{\"IamRoleArn\": \"arn:aws:iam::123456789012:role/R\", \"ApplyStatus\": \"in-sync\"},"
        + " {\"IamRoleArn\": \"arn:aws:iam::123456789012:role/P\", \"ApplyStatus\": \"adding\"},"
        + " {\"IamRoleArn\": \"arn:aws:iam::123456789012:role/Missing\", \"ApplyStatus\": \"in-sync\"}]}]}";
    Path kept = dir.resolve("kept.yaml");
    Files.writeString(kept, """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [arn:aws:iam::123456789012:role/R]
        roles:
          - arn: arn:aws:iam::123456789012:role/R
            trust: { regions: [us-west-2] }
          - arn: arn:aws:iam::123456789012:role/K
            trust: { principals: [arn:aws:iam::123456789012:role/R] }
        chains:
          rk: [arn:aws:iam::123456789012:role/R, arn:aws:iam::123456789012:role/K]
        """);
    RegistryImport.Result result = run(new RegistryImport.Request(List.of(text("exports/2024/iam.json", export.toString())),
        List.of(text("C:\\aws\\describe.json", describe)), List.of(), Optional.empty(), Optional.of(kept), false,
        RegistryImport.Layout.EMBEDDED));
    assertThat(result.registry()).startsWith("# Imported by iamguard registry import from describe.json, iam.json.\n")
        .contains("\n  - arn: arn:aws:iam::123456789012:role/P\n", "\n  - arn: arn:aws:iam::123456789012:role/K\n")
        .doesNotContain("role/Z");
    assertThat(result.notes()).contains("c1: arn:aws:iam::123456789012:role/Missing is not in the IAM exports given;"
        + " statements that use it are denied (ROLE_UNKNOWN) until its account's get-account-authorization-details is"
        + " imported too");
  }
}
