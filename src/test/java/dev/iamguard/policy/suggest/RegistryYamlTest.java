package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.DbRoleConfig;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.UserConfig;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The suggested registry keeps what the given one says about identities and settings, writes every
 * resource kind a role needs, and its comments stay comments whatever a file name holds.
 */
class RegistryYamlTest {
  private static final String A = "arn:aws:iam::123456789012:role/RoleA";

  private static final String GIVEN = """
      version: 1
      clusters:
        - id: wg-1
          account: "123456789012"
          region: us-west-2
          serverless: true
          attached_roles: [%1$s]
      roles:
        - arn: %1$s
          alias: loader
          trust: { regions: [us-west-2] }
          allow: { s3_read: ["s3://bk1/"] }
      users:
        etl_bot: { groups: [etl], roles: [loader_role], superuser: true }
        plain: { groups: [staff] }
      db_roles:
        loader_role: { roles: [base] }
        base: { roles: [] }
      external_schemas:
        spectrum: { iam_role: "%1$s", cluster: wg-1, database: salesdb, catalog_id: "123456789012", region: us-west-2 }
      policy:
        mode: audit
        credentials: temporary-keys
        rewrite_aliases: false
        rewrite_default_role: true
        max_chain: 3
        session_role: warn
        copy_job_run: allow
        unknown_external_schema: deny
        dynamic_sql: warn
      """.formatted(A);

  private static Suggestion suggest(Optional<Registry> registry, String file, String script, String... users) {
    ScriptNeeds needs = new ScriptNeeds(registry.isPresent()
        ? new SuggestRequest(registry, null, null, null, null, List.of(users), 0)
        : new SuggestRequest(registry, "c1", "123456789012", "us-west-2", null, List.of(users), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add(file, statement);
    }
    return needs.suggestion();
  }

  @Test
  void theGivenRegistrysIdentitiesSettingsAndSchemasLoadBackUnchanged() throws Exception {
    Registry given = RegistryLoader.parse(GIVEN, "given.yaml", Path.of("."));
    Suggestion s = suggest(Optional.of(given), "load.sql", """
        copy t from 'dynamodb://Orders' iam_role '%1$s' readratio 50;
        copy t from 'emr://j-ABC/part*' iam_role '%1$s';
        create external table spectrum.t (a int) location 's3://bk1/t/';
        copy t from 's3://bk1/../x/' iam_role '%1$s';
        """.formatted(A), "etl_bot");
    String yaml = RegistryYaml.shortForm(s);
    assertThat(yaml).startsWith("# iamguard suggest: the least privilege the scripts need (4 statements read, 3 using"
        + " AWS resources covered, 1 not resolved)\n");
    assertThat(yaml).contains("# incomplete:\n#   load.sql:4:1: COPY: ",
        "# added (the registry does not grant it):\n#   roles[" + A + "].allow.dynamodb_tables: Orders\n",
        "#   roles[" + A + "].allow.emr_clusters: j-ABC\n",
        "# unused (the registry grants it, no statement uses it):\n");
    Registry back = RegistryLoader.parse(yaml, "suggested.yaml", Path.of("."));

    PolicySettings want = given.settings();
    PolicySettings got = back.settings();
    assertThat(List.of(got.mode(), got.credentials(), got.rewriteAliases(), got.rewriteDefaultRole(), got.maxChain(),
        got.sessionRole(), got.copyJobRun(), got.unknownExternalSchema(), got.dynamicSql()))
        .isEqualTo(List.of(want.mode(), want.credentials(), want.rewriteAliases(), want.rewriteDefaultRole(),
            want.maxChain(), want.sessionRole(), want.copyJobRun(), want.unknownExternalSchema(), want.dynamicSql()));
    assertThat(got.dynamicSql()).isEqualTo(PolicySettings.DynamicSql.WARN);

    assertThat(back.clusters()).singleElement().satisfies(c -> assertThat(c.serverless()).isTrue());
    assertThat(back.users()).extracting(UserConfig::name, UserConfig::groups, UserConfig::roles, UserConfig::superuser)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("etl_bot", List.of("etl"), List.of("loader_role"), true),
            org.assertj.core.groups.Tuple.tuple("plain", List.of("staff"), List.of(), false));
    assertThat(back.dbRoles()).extracting(DbRoleConfig::name, DbRoleConfig::roles).containsExactly(
        org.assertj.core.groups.Tuple.tuple("loader_role", List.of("base")),
        org.assertj.core.groups.Tuple.tuple("base", List.of()));
    assertThat(back.externalSchemas()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("spectrum");
      assertThat(e.cluster()).contains("wg-1");
      // the database an ALTER EXTERNAL SCHEMA is judged against is kept, not dropped
      assertThat(e.database()).contains("salesdb");
      assertThat(e.catalogId()).contains("123456789012");
      assertThat(e.region()).contains("us-west-2");
    });
    RoleConfig role = back.role(dev.iamguard.policy.iam.RoleArn.parse(A).arn().orElseThrow()).orElseThrow();
    assertThat(role.alias()).contains("loader");
    assertThat(role.allow().orElseThrow().dynamodbTables()).containsExactly("Orders");
    assertThat(role.allow().orElseThrow().emrClusters()).containsExactly("j-ABC");
  }

  @Test
  void aRoleThatTouchesNothingHasAnEmptyAllowAndNoRegistryMeansDefaultSettings() throws Exception {
    Suggestion s = suggest(Optional.empty(), "t.sql",
        "create library lib language plpythonu from 'https://example.com/lib.zip' iam_role '" + A + "';", "u");
    String yaml = RegistryYaml.shortForm(s);
    assertThat(yaml).contains("    allow: {}\n").doesNotContain("\nusers:", "\ndb_roles:", "\nexternal_schemas:",
        "serverless", "# added", "# unused", "# incomplete");
    Registry back = RegistryLoader.parse(yaml, "suggested.yaml", Path.of("."));
    assertThat(back.settings()).isEqualTo(PolicySettings.DEFAULTS);
    assertThat(back.roles()).singleElement().satisfies(r -> {
      assertThat(r.allow().orElseThrow().s3Read()).isEmpty();
      assertThat(r.allow().orElseThrow().assume()).isEmpty();
    });
  }

  @Test
  void quotingEscapesExactlyTheControlAndInvisibleCharacters() {
    assertThat(RegistryYaml.q("\u001f \u007e\u007f\u0080\u009f\u00a0\u2027\u2028\u2029\u202a\ufeff\"\\é"))
        .isEqualTo("\"\\u001f ~\\u007f\\u0080\\u009f\u00a0\u2027\\u2028\\u2029\u202a\\ufeff\\\"\\\\é\"");
  }

  @Test
  void aCommentStaysOneLineWhateverTheFileNameHolds() throws Exception {
    String file = "a\nb\u001f\u0020\u007e\u007f\u0080\u009f\u00a0\u2028\u2029\ufeff.sql";
    Suggestion s = suggest(Optional.empty(), file, "copy t from 's3://b1/x/' iam_role '" + A + "';", "u");
    String yaml = RegistryYaml.shortForm(s);
    assertThat(yaml).contains("#   a\\u000ab\\u001f ~\\u007f\\u0080\\u009f\u00a0\\u2028\\u2029\ufeff.sql:1:1: COPY: ");
    assertThat(RegistryLoader.parse(yaml, "suggested.yaml", Path.of(".")).roles()).isEmpty();
  }
}
