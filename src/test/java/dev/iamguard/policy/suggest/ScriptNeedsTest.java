package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptNeedsTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String B = "arn:aws:iam::210987654321:role/RoleB";

  private static Suggestion fromScratch(String script, String... users) {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "my-cluster", "123456789012", "us-west-2",
        null, List.of(users), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("t.sql", statement);
    }
    return needs.suggestion();
  }

  private static Suggestion withRegistry(String script, String... users) throws Exception {
    Registry registry = RegistryLoader.load(Path.of("samples/registry.yaml"));
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.of(registry), null, null, null, null,
        List.of(users), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("t.sql", statement);
    }
    return needs.suggestion();
  }

  @Test
  void aChainNeedsAttachmentTrustAndAssumeAlongItsHops() {
    Suggestion s = fromScratch("copy t from 's3://companyb/redshift/venue_pipe_' iam_role '" + A + "," + B + "';",
        "user1");
    assertThat(s.attachedRoleArns()).containsExactly(A);
    SuggestedRole first = s.roles().get(0);
    SuggestedRole second = s.roles().get(1);
    assertThat(first.arnText()).isEqualTo(A);
    assertThat(first.regions()).containsExactly("us-west-2");
    assertThat(first.assumeArns()).containsExactly(B);
    assertThat(first.s3Read()).isEmpty();
    assertThat(second.regions()).isEmpty();
    assertThat(second.principalArns()).containsExactly(A);
    assertThat(second.s3Read()).extracting(S3Prefix::toString).containsExactly("s3://companyb/redshift/");
    assertThat(second.dbUsers()).contains(List.of("arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1"));
    assertThat(s.grantStatements()).containsExactly("GRANT ASSUMEROLE ON '" + A + "," + B + "' TO user1 FOR COPY;");
  }

  @Test
  void whatCannotBeResolvedIsListedNeverGuessed() {
    Suggestion s = fromScratch("""
        copy t from 's3://b1/x/' iam_role 'copy-unload';
        copy t from 's3://b1/x/' iam_role default;
        copy t from 's3://b1/x/' iam_role ?;
        copy t from 's3://b1/x/' access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
        create external schema s from data catalog database 'd' iam_role 'SESSION';
        create procedure p() as $$ begin execute 'copy t from ''s3://b1/y/'' iam_role ''' || r || ''''; end; $$ language plpgsql;
        create external table other.t (a int) location 's3://b1/t/';
        copy t from 's3://b1/../x/' iam_role '%s';
        """.formatted(A), "u");
    assertThat(s.gaps()).extracting(Gap::reason).satisfiesExactly(
        r -> assertThat(r).contains("'copy-unload'", "without --registry"),
        r -> assertThat(r).contains("DEFAULT", "--default-role"),
        r -> assertThat(r).contains("bind parameter"),
        r -> assertThat(r).contains("access keys"),
        r -> assertThat(r).contains("SESSION"),
        r -> assertThat(r).contains("dynamic SQL"),
        r -> assertThat(r).contains("external schema other"),
        r -> assertThat(r).contains("s3://b1/../x/"));
    assertThat(s.gaps()).allMatch(g -> !g.reason().contains("wJalr"));
    assertThat(s.roles()).isEmpty();
    assertThat(s.complete()).isFalse();
    assertThat(s.gaps().get(1).line()).isEqualTo(2);
  }

  @Test
  void externalTablesUseTheirSchemasRoleAndInsertsWriteTheirLocation() {
    Suggestion s = fromScratch("""
        create external schema spectrum from data catalog database 'exampledb' iam_role '%s';
        create external table spectrum.sales (a int) location 's3://lake/sales/';
        insert into spectrum.sales select 1;
        """.formatted(A), "u");
    assertThat(s.gaps()).isEmpty();
    SuggestedRole role = s.roles().get(0);
    assertThat(role.glue()).containsEntry("exampledb", "arn:aws:glue:us-west-2:123456789012:database/exampledb");
    assertThat(role.s3Read()).extracting(S3Prefix::toString).containsExactly("s3://lake/sales/");
    assertThat(role.s3Write()).extracting(S3Prefix::toString).containsExactly("s3://lake/sales/");
  }

  /** An INSERT in a procedure body writes as one at top level does, in every body form. */
  @Test
  void anInsertInAProcedureBodyWritesItsTablesLocation() {
    for (String body : new String[] {"$$ begin insert into spectrum.sales select 1; end; $$",
        "'begin execute ''insert into spectrum.sales select 1''; end;'",
        "$b$ begin if true then insert into spectrum.sales values (1); end if; end; $b$"}) {
      Suggestion s = fromScratch("""
          create external schema spectrum from data catalog database 'exampledb' iam_role '%s';
          create external table spectrum.sales (a int) location 's3://lake/sales/';
          create procedure p() as %s language plpgsql;
          """.formatted(A, body), "u");
      assertThat(s.gaps()).as(body).isEmpty();
      SuggestedRole role = s.roles().get(0);
      assertThat(role.s3Write()).as(body).extracting(S3Prefix::toString).containsExactly("s3://lake/sales/");
    }
  }

  @Test
  void keySpacesCoverWhatTheCommandTouchesBySegment() {
    assertThat(KeySpaces.needed("s3://b/a/venue_", true, 0)).hasToString("s3://b/a/");
    assertThat(KeySpaces.needed("s3://b/a/", true, 0)).hasToString("s3://b/a/");
    assertThat(KeySpaces.needed("s3://b/a/m.json", false, 0)).hasToString("s3://b/a/m.json");
    assertThat(KeySpaces.needed("s3://b/venue_", true, 0)).hasToString("s3://b");
    assertThat(KeySpaces.needed("s3://b/sales/2024-01-01/part_", true, 1)).hasToString("s3://b/sales/");
    assertThat(KeySpaces.needed("s3://b/sales/2024-01-01/m", false, 2)).hasToString("s3://b/sales/2024-01-01/");
    assertThat(KeySpaces.needed("s3://b/sales/", true, 1)).hasToString("s3://b/sales/");
    List<S3Prefix> merged = KeySpaces.merge(List.of(prefix("b", "a/x/"), prefix("c", "m"), prefix("b", "a/"),
        prefix("c", "m/n"), prefix("b", "ab/")));
    assertThat(merged).extracting(S3Prefix::toString).containsExactlyInAnyOrder("s3://b/a/", "s3://c/m", "s3://b/ab/");
    assertThat(KeySpaces.covers(prefix("b", "a"), prefix("b", "ab"))).isFalse();
    assertThat(KeySpaces.covers(prefix("b", ""), prefix("b", "ab"))).isTrue();
  }

  private static S3Prefix prefix(String bucket, String key) {
    return new S3Prefix(bucket, key);
  }

  @Test
  void namesThatNeedQuotingLoadBackAsWritten() throws Exception {
    Suggestion s = fromScratch("set session authorization 'o''brien\"x\"é';\ncopy t from 's3://bk1/x/' iam_role '"
        + A + "';", "u");
    String yaml = RegistryYaml.shortForm(s);
    Registry registry = RegistryLoader.parse(yaml, "suggested.yaml", Path.of("."));
    assertThat(registry.roles()).hasSize(1);
    assertThat(registry.roles().iterator().next().trust().orElseThrow().dbUsers().orElseThrow())
        .containsExactly("arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/o'brien\"x\"é");
    assertThat(s.grantStatements()).containsExactly("GRANT ASSUMEROLE ON '" + A + "' TO \"o'brien\"\"x\"\"é\" FOR COPY;");
  }

  @Test
  void whatARegistryCannotSayIsAGapToo() {
    Suggestion s = fromScratch("copy t from 's3://b1/x/' iam_role '" + A + "';\n"
        + "set session authorization 'two words';\ncopy t from 's3://bk1/x/' iam_role '" + A + "';", "u");
    assertThat(s.gaps()).extracting(Gap::reason).satisfiesExactly(
        r -> assertThat(r).contains("s3://b1/x/", "bucket name"),
        r -> assertThat(r).contains("two words", "cannot be named"));
    assertThat(s.roles()).isEmpty();
  }

  @Test
  void withTheRegistryItNamesAdditionsAndWhatNoStatementUses() throws Exception {
    Suggestion s = withRegistry("""
        copy t from 's3://acmedata/redshift/sales/' iam_role 'copy-unload';
        unload ('select 1') to 's3://acmedata/exports/x_' iam_role 'copy-unload';
        """, "user1");
    assertThat(s.additions()).containsExactly(
        "roles[arn:aws:iam::123456789012:role/RedshiftCopyUnload].allow.s3_write: s3://acmedata/exports/");
    assertThat(s.unused()).contains(
        "clusters[my-cluster].attached_roles: " + A + " (no chain starts with it)",
        "roles[arn:aws:iam::123456789012:role/RedshiftCopyUnload].trust.regions: us-east-1",
        "roles[arn:aws:iam::123456789012:role/RedshiftCopyUnload].allow.s3_write: s3://acmedata/redshift/unload/",
        "roles[arn:aws:iam::123456789012:role/RedshiftCopyUnload].allow.lambda: exampleLambdaFunction",
        "roles: " + B + " (no statement uses it)",
        "chains: companyb (no statement names it)");
    assertThat(s.roles()).singleElement().satisfies(r -> assertThat(r.alias()).contains("copy-unload"));
  }

  @Test
  void theRegistrysExternalSchemasAreKeptWhereUsedAndTheResultLoads() throws Exception {
    String script = "create external table spectrum.t (a int) location 's3://companyb/redshift/t/';\n";
    Suggestion s = withRegistry(script, "user1");
    assertThat(s.gaps()).isEmpty();
    assertThat(s.externalSchemas()).extracting(e -> e.name()).containsExactly("spectrum");
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(s), "suggested.yaml", Path.of("."));
    assertThat(new dev.iamguard.policy.Guard(registry).inspect(script, dev.iamguard.policy.Session.of("user1", null))
        .allowed()).isTrue();
    assertThat(s.roles()).extracting(SuggestedRole::arnText).containsExactly(A, B);
    assertThat(s.unused()).doesNotContain("external_schemas: spectrum (no statement uses its tables)");
  }

  @Test
  void aGrantNamingARoleNoStatementUsesIsAGap() throws Exception {
    String script = "grant assumerole on '" + A + "' to u for copy;\n"
        + "grant assumerole on '" + B + "' to u for copy;\n"
        + "copy t from 's3://bk1/x/' iam_role '" + A + "';\n";
    Suggestion s = fromScratch(script, "u");
    assertThat(s.gaps()).singleElement().satisfies(g -> {
      assertThat(g.line()).isEqualTo(2);
      assertThat(g.reason()).contains(B, "no statement uses");
    });
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(s), "suggested.yaml", Path.of("."));
    var decision = new dev.iamguard.policy.Guard(registry).inspect(script, dev.iamguard.policy.Session.of("u", null));
    assertThat(decision.statements()).extracting(d -> d.verdict().toString()).containsExactly("ALLOW", "DENY", "ALLOW");
  }

  @Test
  void theClusterMustBeKnown() {
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.empty(), "c", null, null, null, List.of(), 0)))
        .hasMessageContaining("--account ID, --region REGION");
    assertThatThrownBy(() -> new ScriptNeeds(new SuggestRequest(Optional.empty(), "c", "12345", "us-west-2", null,
        List.of(), 0))).hasMessageContaining("--account 12345");
  }
}
