package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suggestion written with IAM policy files (the documents {@link IamDocuments} builds, saved under
 * the file stems the suggestion names) loads as a registry, and the guard on it allows the
 * statements the scripts run, chains and IAM_ROLE DEFAULT included, and denies them to another user.
 */
class PolicyFilesFormTest {
  private static final String ACCOUNT = "123456789012";
  private static final String A = "arn:aws:iam::" + ACCOUNT + ":role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";
  private static final String LOADER = "arn:aws:iam::" + ACCOUNT + ":role/Loader";
  private static final String OTHER_LOADER = "arn:aws:iam::210987654321:role/loader";

  private static final String SCRIPT = """
      copy t from 's3://bucket1/in/2024/' iam_role '%1$s,%2$s';
      unload ('select 1') to 's3://bucket2/out/' iam_role default;
      copy t from 's3://bucket3/x/' iam_role '%3$s,%4$s';
      """.formatted(A, B, LOADER, OTHER_LOADER);

  private static Suggestion suggest(String script) {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", ACCOUNT, "us-west-2", LOADER,
        List.of("etl"), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("load.sql", statement);
    }
    return needs.suggestion();
  }

  @Test
  void rolesSharingANameAcrossAccountsGetTheAccountInTheirFileStem() {
    Suggestion s = suggest(SCRIPT);
    assertThat(s.fileStems()).containsExactlyInAnyOrderEntriesOf(Map.of(A, "RoleA", B, "RoleB",
        LOADER, ACCOUNT + "-Loader", OTHER_LOADER, "210987654321-loader"));
    assertThat(s.defaultRoleArn()).contains(LOADER);
    assertThat(s.complete()).isTrue();
    assertThat(s.notes()).isEmpty();
    assertThat(RegistryYaml.shortForm(s)).doesNotContain("# note");
    assertThat(s.role(RoleArn.of(B))).map(SuggestedRole::roleName).contains("RoleB");
    assertThat(s.role(RoleArn.of(OTHER_LOADER))).map(SuggestedRole::accountId).contains("210987654321");
  }

  @Test
  void aStatementWhoseNeedsCannotBeStatedLeavesTheSuggestionIncomplete() {
    Suggestion s = suggest(SCRIPT + "copy t from 's3://bucket1/../x/' iam_role '" + A + "';\n");
    assertThat(s.complete()).isFalse();
    assertThat(s.gaps()).singleElement().satisfies(g -> assertThat(g.line()).isEqualTo(4));
    assertThat(RegistryYaml.shortForm(s)).contains("# incomplete:\n#   load.sql:4:1: COPY: ");
    assertThat(s.notes()).containsExactly("1 statement(s) could not be resolved: the suggestion does not cover them"
        + " (see gaps)");
  }

  @Test
  void withoutKnownUsersTheSuggestionSaysEveryUserMayUseTheRoles() {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", ACCOUNT, "us-west-2", null,
        List.of(), 0));
    for (SqlStatement statement : SqlScript.parse("copy t from 's3://bucket1/x/' iam_role '" + A + "';").statements()) {
      needs.add("load.sql", statement);
    }
    Suggestion s = needs.suggestion();
    String note = "no database user named (--user, --users-from-grants): the trust policies name no sts:ExternalId"
        + " and no GRANT ASSUMEROLE is suggested, so every user may use the roles";
    assertThat(s.notes()).containsExactly(note);
    assertThat(RegistryYaml.shortForm(s)).contains("\n# note:\n#   " + note + "\n");
    assertThat(s.roles()).singleElement().satisfies(r -> assertThat(r.dbUsers()).isEmpty());
  }

  @Test
  void aChainNamedInTheGivenRegistryIsKeptByName() throws Exception {
    Registry given = RegistryLoader.parse("""
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
        roles:
          - arn: %1$s
            trust: { regions: [us-west-2] }
            allow: { assume: [%2$s] }
          - arn: %2$s
            trust: { principals: [%1$s] }
            allow: { s3_read: ["s3://bucket1/"] }
        chains:
          companyb: [%1$s, %2$s]
        """.formatted(A, B), "given.yaml", null);
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.of(given), null, null, null, null, List.of("etl"), 0));
    for (SqlStatement statement : SqlScript.parse("copy t from 's3://bucket1/x/' iam_role 'companyb';").statements()) {
      needs.add("load.sql", statement);
    }
    Suggestion s = needs.suggestion();
    assertThat(s.chains()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("companyb"));
    String yaml = RegistryYaml.shortForm(s);
    assertThat(yaml).contains("\nchains:\n  \"companyb\": [\"" + A + "\", \"" + B + "\"]\n");
    assertThat(RegistryLoader.parse(yaml, "suggested.yaml", null).chain("companyb")).isPresent();
  }

  /** The suggestion written with policy files: the registry's text, its documents saved under {@code dir}. */
  private static String withPolicyFiles(Suggestion s, Path dir) throws Exception {
    Map<String, String> stems = s.fileStems();
    String yaml = RegistryYaml.withPolicyFiles(s, arn -> new RegistryYaml.PolicyFiles(
        "iam/" + stems.get(arn) + ".trust.json", "iam/" + stems.get(arn) + ".json"));
    Files.createDirectories(dir.resolve("iam"));
    for (SuggestedRole role : s.roles()) {
      IamDocuments docs = IamDocuments.of(role, s.cluster());
      Files.writeString(dir.resolve("iam/" + stems.get(role.arnText()) + ".trust.json"), IamDocumentsTest.json(docs.trust()));
      Files.writeString(dir.resolve("iam/" + stems.get(role.arnText()) + ".json"), IamDocumentsTest.json(docs.permissions()));
    }
    return yaml;
  }

  /**
   * A Glue database named with capitals: the guard asks IAM documents about the name as written and
   * as Glue stores it (lower case), so the suggested documents grant both.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"SalesDB", "WEB", "web_Events1", "lower"})
  void aCapitalisedGlueDatabaseIsAllowedByTheSuggestedDocuments(String database, @TempDir Path dir) throws Exception {
    String script = "create external schema s from data catalog database '" + database + "' iam_role '" + A + "';\n"
        + "create database d from arn 'arn:aws:glue:us-west-2:" + ACCOUNT + ":database/" + database
        + "' with data catalog schema s iam_role '" + A + "';\n";
    Suggestion s = suggest(script);
    Path file = dir.resolve("suggested.yaml");
    Files.writeString(file, withPolicyFiles(s, dir));

    Decision etl = new Guard(RegistryLoader.load(file)).inspect(script, Session.of("etl", "c1"));

    assertThat(etl.statements()).hasSize(2).allSatisfy(d -> assertThat(d.verdict()).as(d.findings().toString())
        .isNotEqualTo(Verdict.DENY));
  }

  /**
   * An UNLOAD with CLEANPATH deletes under its target first: the suggested documents grant
   * s3:DeleteObject there and nowhere else (probe 19b: suggest wrote a policy that AWS refuses and
   * the check allowed it), and the guard on them allows it.
   */
  @Test
  void cleanpathIsGrantedDeleteUnderItsTargetOnly(@TempDir Path dir) throws Exception {
    String script = "unload ('select 1') to 's3://bucket2/clean/' iam_role '" + A + "' cleanpath;\n"
        + "unload ('select 2') to 's3://bucket2/keep/' iam_role '" + A + "';\n";
    Suggestion s = suggest(script);
    IamDocuments docs = IamDocuments.of(s.role(RoleArn.of(A)).orElseThrow(), s.cluster());
    assertThat(IamDocumentsTest.json(docs.permissions()))
        .contains("{\"Effect\":\"Allow\",\"Action\":\"s3:DeleteObject\",\"Resource\":[\"arn:aws:s3:::bucket2/clean/*\"]}");
    Path file = dir.resolve("suggested.yaml");
    Files.writeString(file, withPolicyFiles(s, dir));

    Decision etl = new Guard(RegistryLoader.load(file)).inspect(script, Session.of("etl", "c1"));
    assertThat(etl.statements()).hasSize(2).allSatisfy(d -> assertThat(d.verdict()).as(d.findings().toString())
        .isNotEqualTo(Verdict.DENY));
    Decision elsewhere = new Guard(RegistryLoader.load(file)).inspect(script.replace("keep/'", "keep/' cleanpath"),
        Session.of("etl", "c1"));
    assertThat(elsewhere.statements().get(1).findings()).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("may not delete s3://bucket2/keep/"));
  }

  @Test
  void theRegistryWithPolicyFilesLoadsAndAllowsTheScript(@TempDir Path dir) throws Exception {
    Suggestion s = suggest(SCRIPT);
    String yaml = withPolicyFiles(s, dir);
    assertThat(yaml).contains("    policy_files:\n      trust: \"iam/RoleB.trust.json\"\n      permissions: [\"iam/RoleB.json\"]\n")
        .contains("default_role: \"" + LOADER + "\"").contains("\ngrants:\n").doesNotContain("allow:", "\nchains:");
    Path file = dir.resolve("suggested.yaml");
    Files.writeString(file, yaml);
    Registry registry = RegistryLoader.load(file);
    assertThat(registry.roles()).hasSize(4).allSatisfy(r -> assertThat(r.allow()).isEmpty());
    assertThat(registry.grants()).hasSize(3);
    assertThat(registry.clusters()).singleElement()
        .satisfies(c -> assertThat(c.defaultRole()).contains(RoleArn.of(LOADER)));

    Decision etl = new Guard(registry).inspect(SCRIPT, Session.of("etl", "c1"));
    for (StatementDecision each : etl.statements()) {
      assertThat(each.verdict()).as(each.statement().text() + " " + each.findings()).isNotEqualTo(Verdict.DENY);
    }
    Decision intruder = new Guard(registry).inspect(SCRIPT, Session.of("intruder", "c1"));
    assertThat(intruder.statements()).allSatisfy(d -> assertThat(d.verdict()).isEqualTo(Verdict.DENY));
  }
}
