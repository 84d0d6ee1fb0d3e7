package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What suggest cannot state is a gap naming the statement's problem, never a guess; what it can
 * state lands on the role that touches it (the last of the chain, the CATALOG_ROLE for the catalog).
 */
class ScriptNeedsGapsTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";
  private static final String C = "arn:aws:iam::123456789012:role/RoleC";

  private static Suggestion fromScratch(String script) {
    return read(new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-west-2", null, List.of("u"), 0), script);
  }

  private static Suggestion read(SuggestRequest request, String script) {
    ScriptNeeds needs = new ScriptNeeds(request);
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("t.sql", statement);
    }
    return needs.suggestion();
  }

  private static Registry registry(String policy) throws Exception {
    return RegistryLoader.parse("""
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
        roles:
          - arn: %1$s
            alias: loader
        chains:
          two: [%1$s, %2$s]
        policy: {%3$s}
        """.formatted(A, B, policy), "reg.yaml", Path.of("."));
  }

  private static Suggestion withRegistry(String policy, String script) throws Exception {
    return read(new SuggestRequest(Optional.of(registry(policy)), null, null, null, null, List.of("u"), 0), script);
  }

  static Stream<Arguments> unstatable() {
    return Stream.of(
        // an auth clause the parser cannot read: a bind parameter says so, anything else is "cannot be read"
        Arguments.of("copy t from 's3://bucket1/x/' iam_role ?",
            "a bind parameter: IAM_ROLE value is a bind parameter"),
        Arguments.of("copy t from ? iam_role '" + A + "'", "a bind parameter: COPY source is a bind parameter"),
        Arguments.of("copy t from 's3://bucket1/x/' iam_role ''", "cannot be read: IAM_ROLE value is empty"),
        Arguments.of("copy t from 'dynamodb://ab' iam_role '" + A + "' readratio 50",
            "COPY source 'dynamodb://ab' names no valid DynamoDB table"),
        Arguments.of("copy t from 'emr://j-ABC' iam_role '" + A + "'",
            "COPY source 'emr://j-ABC' names no valid EMR cluster id and path"),
        Arguments.of("copy t from 'emr://j-ABC/' iam_role '" + A + "'",
            "COPY source 'emr://j-ABC/' names no valid EMR cluster id and path"),
        Arguments.of("copy t from 'emr://k-ABC/part*' iam_role '" + A + "'",
            "COPY source 'emr://k-ABC/part*' names no valid EMR cluster id and path"),
        Arguments.of("copy t from 'ssh://host/x' iam_role '" + A + "'",
            "location 'ssh://host/x' is not one the guard can check"),
        Arguments.of("create external function f() returns int volatile lambda 'no such name!' iam_role '" + A + "'",
            "'no such name!' is not a Lambda function name or ARN"),
        Arguments.of("create external schema s from data catalog database 'db' catalog_id '12345' iam_role '" + A + "'",
            "CATALOG_ID '12345' is not a 12-digit AWS account id"),
        Arguments.of("create external schema s from data catalog database 'my db' iam_role '" + A + "'",
            "catalog database 'my db' cannot be named in a registry"),
        Arguments.of("create external schema s from data catalog database 'db' iam_role '" + A
            + "' catalog_role 'SESSION'", "CATALOG_ROLE 'SESSION' uses the caller's federated identity"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role '" + A + ", " + B + "'",
            "the role chain is not written as one literal of comma-separated ARNs without spaces"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role '" + A + ",'",
            "the role chain is not written as one literal"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role '," + A + "'",
            "the role chain is not written as one literal"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role '" + A + ",," + B + "'",
            "the role chain is not written as one literal"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role '" + chain(11) + "'",
            "a chain of 11 roles is longer than Redshift allows"),
        Arguments.of("create database d from arn 'arn:aws:glue:us-west-2:123456789012:table/x' iam_role '" + A + "'",
            "'arn:aws:glue:us-west-2:123456789012:table/x' is not a Glue database ARN"),
        Arguments.of("grant assumerole on 'loader' to u for copy",
            "'loader' is not a role ARN (GRANT ASSUMEROLE takes ARNs only)"),
        Arguments.of("copy t from 's3://bk1/x/' iam_role 'loader'",
            "'loader' is not a role ARN, and without --registry no alias or chain name is known"));
  }

  private static String chain(int roles) {
    return IntStream.range(0, roles).mapToObj(i -> "arn:aws:iam::123456789012:role/R" + i)
        .collect(Collectors.joining(","));
  }

  @ParameterizedTest
  @MethodSource("unstatable")
  void whatCannotBeStatedIsAGapNamingIt(String statement, String reason) {
    Suggestion s = fromScratch(statement + ";");
    assertThat(s.gaps()).singleElement().satisfies(g -> assertThat(g.reason()).contains(reason));
    assertThat(s.roles()).isEmpty();
    assertThat(s.resolved()).isZero();
    assertThat(s.statements()).isEqualTo(1);
  }

  @Test
  void otherSourcesAndCatalogsLandOnTheRoleThatTouchesThem() {
    Suggestion s = fromScratch("""
        copy t from 'dynamodb://Orders' iam_role '%1$s' readratio 50;
        copy t from 'dynamodb://Remote' iam_role '%1$s' readratio 50 region 'eu-west-1';
        copy t from 'emr://j-ABC/part*' iam_role '%1$s';
        create library lib language plpythonu from 'https://example.com/lib.zip' iam_role '%1$s';
        create external function f() returns int volatile lambda 'arn:aws:lambda:us-west-2:123456789012:function:fn' iam_role '%1$s';
        create external schema s1 from data catalog database 'db' catalog_id '210987654321' iam_role '%1$s';
        create database d from arn 'arn:aws:glue:eu-west-1:210987654321:database/shared' iam_role '%1$s';
        create external schema s2 from data catalog database 'local' iam_role '%1$s' catalog_role '%2$s';
        """.formatted(A, C));
    assertThat(s.gaps()).isEmpty();
    assertThat(s.resolved()).isEqualTo(8);
    SuggestedRole a = s.roles().get(0);
    assertThat(a.arn()).hasToString(A);
    assertThat(a.dynamodb()).containsExactly(
        entry("Orders", "arn:aws:dynamodb:us-west-2:123456789012:table/Orders"),
        entry("Remote", "arn:aws:dynamodb:eu-west-1:123456789012:table/Remote"));
    assertThat(a.emr()).containsExactly(entry("j-ABC", "arn:aws:elasticmapreduce:us-west-2:123456789012:cluster/j-ABC"));
    assertThat(a.lambda()).containsExactly(entry("arn:aws:lambda:us-west-2:123456789012:function:fn",
        "arn:aws:lambda:us-west-2:123456789012:function:fn"));
    assertThat(a.glue()).containsExactly(
        entry("arn:aws:glue:us-west-2:210987654321:database/db", "arn:aws:glue:us-west-2:210987654321:database/db"),
        entry("arn:aws:glue:eu-west-1:210987654321:database/shared",
            "arn:aws:glue:eu-west-1:210987654321:database/shared"));
    assertThat(a.s3Read()).isEmpty();
    SuggestedRole catalogRole = s.roles().get(1);
    assertThat(catalogRole.arn()).hasToString(C);
    assertThat(catalogRole.glue()).containsExactly(entry("local", "arn:aws:glue:us-west-2:123456789012:database/local"));
    // the CATALOG_ROLE is a chain of its own, started on the cluster
    assertThat(s.attachedRoleArns()).containsExactly(A, C);
  }

  private static java.util.Map.Entry<String, String> entry(String key, String value) {
    return java.util.Map.entry(key, value);
  }

  @Test
  void aChainOfExactlyTheLimitIsStatedAndTheRegistrysLimitCounts() throws Exception {
    assertThat(fromScratch("copy t from 's3://bk1/x/' iam_role '" + chain(10) + "';").gaps()).isEmpty();
    Suggestion limited = withRegistry("max_chain: 2", "copy t from 's3://bk1/x/' iam_role '" + chain(3) + "';");
    assertThat(limited.gaps()).singleElement()
        .satisfies(g -> assertThat(g.reason()).contains("a chain of 3 roles is longer than Redshift allows"));
  }

  @Test
  void namesResolveThroughTheRegistryOnlyWhereTheGuardRewritesThem() throws Exception {
    Suggestion viaNames = withRegistry("", """
        copy t from 's3://bk1/x/' iam_role 'loader';
        copy t from 's3://bk1/y/' iam_role 'two';
        """);
    assertThat(viaNames.gaps()).isEmpty();
    assertThat(viaNames.roles()).extracting(SuggestedRole::arnText).containsExactly(A, B);
    assertThat(viaNames.chains()).extracting(c -> c.name()).containsExactly("two");

    assertThat(withRegistry("rewrite_aliases: false", "copy t from 's3://bk1/x/' iam_role 'loader';").gaps())
        .singleElement().satisfies(g -> assertThat(g.reason()).isEqualTo(
            "'loader' is not a role ARN, and the guard does not rewrite names here (policy.rewrite_aliases is off)"));
    assertThat(withRegistry("", "create external schema s from data catalog database 'db' iam_role '" + A
        + "' catalog_role 'loader';").gaps()).singleElement().satisfies(g -> assertThat(g.reason()).isEqualTo(
            "'loader' is not a role ARN, and the guard does not rewrite names here (CATALOG_ROLE, CREDENTIALS or a"
                + " procedure body)"));
    assertThat(withRegistry("", "copy t from 's3://bk1/x/' iam_role 'stranger';").gaps()).singleElement()
        .satisfies(g -> assertThat(g.reason()).isEqualTo(
            "'stranger' is neither a role ARN nor an alias or chain name of reg.yaml"));
  }

  @Test
  void theDefaultRoleIsGrantedAsDefaultUnlessTheGuardRewritesIt() throws Exception {
    String script = "copy t from 's3://bk1/x/' iam_role default;";
    SuggestRequest scratch = new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-west-2", A,
        List.of("u"), 0);
    assertThat(read(scratch, script).grantStatements()).containsExactly("GRANT ASSUMEROLE ON DEFAULT TO u FOR COPY;");
    String withDefault = """
        version: 1
        clusters:
          - id: c1
            account: "123456789012"
            region: us-west-2
            attached_roles: [%1$s]
            default_role: %1$s
        roles:
          - arn: %1$s
        policy: { rewrite_default_role: %2$s }
        """;
    for (boolean rewrite : new boolean[] {false, true}) {
      Registry registry = RegistryLoader.parse(withDefault.formatted(A, rewrite), "reg.yaml", Path.of("."));
      Suggestion s = read(new SuggestRequest(Optional.of(registry), null, null, null, null, List.of("u"), 0), script);
      assertThat(s.grantStatements()).containsExactly(
          "GRANT ASSUMEROLE ON " + (rewrite ? "'" + A + "'" : "DEFAULT") + " TO u FOR COPY;");
    }
  }

  @Test
  void aProcedureCountsOnceAndItsDynamicClausesAreCounted() {
    Suggestion s = fromScratch("""
        create procedure p() as $$
        begin
          copy t from 's3://bk1/x/' iam_role '%1$s';
          unload ('select 1') to 's3://bk1/y/' iam_role '%1$s';
          execute 'copy t from ''s3://b1/y/'' iam_role ''' || r || '''';
        end;
        $$ language plpgsql;
        """.formatted(A));
    assertThat(s.statements()).isEqualTo(1);
    assertThat(s.resolved()).isEqualTo(2);
    assertThat(s.gaps()).singleElement().satisfies(g -> assertThat(g.reason())
        .startsWith("dynamic SQL: the procedure body builds 1 auth clause(s) at run time"));
  }

  /**
   * An external table without a LOCATION (Redshift refuses it) is denied by the guard as unreadable,
   * so it is a gap no registry can close; an INSERT into an external table counts once.
   */
  @Test
  void anExternalTableWithoutALocationIsAGapAndInsertsCountOnce() {
    Suggestion s = fromScratch("""
        create external schema spectrum from data catalog database 'exampledb' iam_role '%s';
        create external table spectrum.empty (a int);
        create external table spectrum.sales (a int) location 's3://lake/sales/';
        insert into spectrum.sales select 1;
        insert into local_table select 1;
        """.formatted(A));
    assertThat(s.gaps()).singleElement().satisfies(g -> {
      assertThat(g.line()).isEqualTo(2);
      assertThat(g.reason()).startsWith("cannot be read: CREATE EXTERNAL TABLE names no LOCATION 's3://...'");
    });
    assertThat(s.statements()).isEqualTo(5);
    assertThat(s.resolved()).isEqualTo(3);
  }

  @Test
  void anExternalTableOutsideS3IsAGap() {
    Suggestion s = fromScratch("""
        create external schema spectrum from data catalog database 'exampledb' iam_role '%s';
        create external table spectrum.t (a int) location 'https://example.com/t/';
        """.formatted(A));
    assertThat(s.gaps()).singleElement().satisfies(g -> {
      assertThat(g.line()).isEqualTo(2);
      assertThat(g.reason()).isEqualTo("location 'https://example.com/t/' is not one the guard can check");
    });
    assertThat(s.resolved()).isEqualTo(1);
  }

  @Test
  void theClusterComesFromTheRegistryWhenOneIsGiven() throws Exception {
    Registry registry = RegistryLoader.parse("""
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s] }
          - { id: c2, account: "123456789012", region: eu-west-1, attached_roles: [%1$s] }
        roles:
          - arn: %1$s
        """.formatted(A), "two.yaml", Path.of("."));
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.of(registry), null, null, null, null,
        List.of(), 0))).hasMessage("--cluster is required: two.yaml describes clusters [c1, c2]");
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.of(registry), "c3", null, null, null,
        List.of(), 0))).hasMessage("--cluster c3 is not in two.yaml (clusters: [c1, c2])");
    assertThat(new ScriptNeeds(new SuggestRequest(Optional.of(registry), "c2", null, null, null, List.of(), 0))
        .cluster().region()).isEqualTo("eu-west-1");
    for (SuggestRequest request : List.of(
        new SuggestRequest(Optional.of(registry), "c1", "123456789012", null, null, List.of(), 0),
        new SuggestRequest(Optional.of(registry), "c1", null, "us-west-2", null, List.of(), 0),
        new SuggestRequest(Optional.of(registry), "c1", null, null, A, List.of(), 0))) {
      assertThatThrownBy(() -> new ScriptNeeds(request)).hasMessageStartingWith(
          "--account, --region and --default-role are for a registry from scratch");
    }
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-west-2",
        "not-an-arn", List.of(), 0))).hasMessageStartingWith("--default-role not-an-arn: ");
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.empty(), null, "123456789012", null,
        null, List.of(), 0))).hasMessageStartingWith("without --registry, give --cluster ID, --region REGION:");
  }

  /** An external table of a schema the script created lands on the schema's role, read and written. */
  @Test
  void aTableOfASchemaTheScriptCreatedLandsOnItsRole() {
    Suggestion s = fromScratch("create external schema s1 from data catalog database 'db' iam_role '" + A + "';\n"
        + "create external table s1.t (a int) location 's3://bucket1/t/';\n");
    assertThat(s.gaps()).isEmpty();
    assertThat(s.roles()).singleElement().satisfies(r -> {
      assertThat(r.arnText()).isEqualTo(A);
      assertThat(r.s3Read()).extracting(Object::toString).containsExactly("s3://bucket1/t/");
    });
  }
}
