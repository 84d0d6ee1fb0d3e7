package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry diff} fails the gate on every change that lets a statement through (probe 21a F2):
 * for each change of a setting, the keys' resources, an external schema's role, a grant or a user,
 * a statement that {@code check} denies with the old registry and allows with the new one proves
 * the change widens, and the diff must then exit 1 with a {@code +} line naming it; the way back
 * narrows ({@code -}), but for an external schema's role, where a change has no known direction.
 */
class RegistryDiffSettingsTest {
  private static final String SPECTRUM = "  spectrum: { iam_role: \"arn:aws:iam::123456789012:role/RoleA,"
      + "arn:aws:iam::210987654321:role/RoleB\", database: exampledb }";

  private static final String BASE = "samples/registry.yaml";

  @TempDir
  Path dir;

  /** A change of the sample registry, what the diff calls it, and a statement (run as {@code user}) it lets through. */
  private record Widening(String setting, List<Edit> edits, String user, String sql) {}

  /** One text of the sample registry replaced. */
  private record Edit(String from, String to) {}

  private static Edit edit(String from, String to) {
    return new Edit(from, to);
  }

  private static final List<Widening> WIDENINGS = List.of(
      new Widening("policy.credentials", List.of(edit("  credentials: roles-only", "  credentials: any")), "user1",
          "copy listing from 's3://acmedata/redshift/x' access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key "
              + "'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' session_token 'tok';"),
      new Widening("policy.keys.s3_read", List.of(edit("  credentials: roles-only", "  credentials: any"),
          edit("    s3_read:  [\"s3://acmedata/redshift/\"]", "    s3_read:  [\"s3://acmedata/\"]")), "user1",
          "copy listing from 's3://acmedata/secret/' access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key "
              + "'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' session_token 'tok';"),
      new Widening("policy.session_role", List.of(edit("  session_role: deny ", "  session_role: allow ")), "user1",
          "create external schema sx from data catalog database 'anydb' iam_role 'SESSION';"),
      new Widening("policy.dynamic_sql", List.of(edit("  dynamic_sql: deny ", "  dynamic_sql: warn ")), "user1",
          "create procedure p(r varchar) as $$ begin execute 'copy t from ''s3://evil-bucket/x'' iam_role ''' || r"
              + " || ''''; end; $$ language plpgsql;"),
      new Widening("external_schemas.spectrum", List.of(edit(
          "spectrum: { iam_role: \"arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB\"",
          "spectrum: { iam_role: \"arn:aws:iam::123456789012:role/RedshiftCopyUnload\"")), "user1",
          "create external table spectrum.sales (id int) stored as parquet location 's3://acmedata/redshift/sales/';"),
      // removed under unknown_external_schema: warn, its tables' locations go unchecked (red-team review)
      new Widening("external_schemas.spectrum", List.of(edit(SPECTRUM, "  {}")), "user1",
          "create external table spectrum.t (a int) stored as parquet location 's3://acmedata/secret/';"),
      new Widening("grants", List.of(edit("    to: [user1, \"group:etl\"]", "    to: [user1, \"group:etl\", user2]")),
          "user2", "copy t from 's3://companyb/redshift/x' iam_role "
              + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';"),
      new Widening("aliases.copy-unloadx", List.of(edit("alias: copy-unload\n", "alias: copy-unloadx\n")), "user1",
          "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unloadx';"),
      new Widening("chains.companyz", List.of(edit("  companyb: [arn", "  companyz: [arn")), "user1",
          "copy t from 's3://companyb/redshift/x' iam_role 'companyz';"),
      new Widening("users.user3.groups", List.of(edit("  etl_bot: { groups: [etl] }",
          "  etl_bot: { groups: [etl] }\n  user3: { groups: [etl] }")), "user3",
          "copy t from 's3://companyb/redshift/x' iam_role "
              + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';"),
      new Widening("users.user3.superuser", List.of(edit("  etl_bot: { groups: [etl] }",
          "  etl_bot: { groups: [etl] }\n  user3: { superuser: true }")), "user3",
          "copy t from 's3://companyb/redshift/x' iam_role "
              + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB';"));

  @Test
  void everyChangeThatLetsAStatementThroughFailsTheGate() throws IOException {
    String base = Files.readString(Path.of(BASE));
    for (Widening widening : WIDENINGS) {
      String changed = base;
      for (Edit edit : widening.edits()) {
        assertThat(changed).as(widening.setting()).contains(edit.from());
        changed = changed.replace(edit.from(), edit.to());
      }
      Path after = Files.writeString(dir.resolve("after.yaml"), changed);
      Path sql = Files.writeString(dir.resolve("s.sql"), widening.sql() + "\n");

      assertThat(check(BASE, widening.user(), sql).code()).as("%s: denied before", widening.setting()).isEqualTo(1);
      assertThat(check(after.toString(), widening.user(), sql).code()).as("%s: allowed after", widening.setting())
          .isZero();

      CliRun diff = CliRun.of("registry", "diff", BASE, after.toString());
      assertThat(diff.code()).as("%s\n%s", widening.setting(), diff.out()).isEqualTo(1);
      assertThat(diff.out()).as(widening.setting()).containsPattern("(?m)^\\+ " + java.util.regex.Pattern.quote(
          widening.setting()) + ":");
      CliRun json = CliRun.of("registry", "diff", "--format", "json", BASE, after.toString());
      assertThat(json.code()).isEqualTo(1);
      assertThat(json.out()).contains("\"setting\":\"" + widening.setting() + "\"").contains("\"widens\":true");

      CliRun back = CliRun.of("registry", "diff", after.toString(), BASE);
      String quoted = java.util.regex.Pattern.quote(widening.setting());
      if (widening.setting().startsWith("external_schemas.")) {
        // another role reaches other data: no direction is known, so either way is a widening
        assertThat(back.out()).containsPattern("(?m)^\\+ " + quoted + ":");
        assertThat(back.code()).isEqualTo(1);
      } else {
        assertThat(back.out()).as(widening.setting()).containsPattern("(?m)^- " + quoted + ":")
            .doesNotContainPattern("(?m)^\\+ " + quoted + ":");
      }
    }
  }

  /**
   * Settings whose effect {@code check} does not show (the driver sends what {@code audit} and
   * {@code off} would deny; the others are switches of what the guard cannot verify): each way
   * is named, and only the loosening one fails the gate.
   */
  /**
   * Under {@code unknown_external_schema: deny} a schema removed narrows (its tables are refused),
   * unless an entry of the same name for another cluster is left to reach them through its role.
   */
  @Test
  void aSchemaRemovedNarrowsOnlyWhereUnknownSchemasAreDenied() throws IOException {
    String base = Files.readString(Path.of(BASE)).replace("  unknown_external_schema: warn ", "  unknown_external_schema: deny ");
    Path before = Files.writeString(dir.resolve("before.yaml"), base);
    Path after = Files.writeString(dir.resolve("after.yaml"), base.replace(SPECTRUM, "  {}"));
    Path sql = Files.writeString(dir.resolve("s.sql"),
        "create external table spectrum.t (a int) stored as parquet location 's3://acmedata/redshift/t/';\n");
    assertThat(check(after.toString(), "user1", sql).code()).as("refused after").isEqualTo(1);
    CliRun diff = CliRun.of("registry", "diff", before.toString(), after.toString());
    assertThat(diff.code()).as(diff.out()).isZero();
    assertThat(diff.out()).containsPattern("(?m)^- external_schemas.spectrum:");
  }

  @Test
  void theOtherSettingsAreComparedByTheirOrder() throws IOException {
    String base = Files.readString(Path.of(BASE));
    List<Edit> loosenings = List.of(edit("  mode: enforce", "  mode: audit"), edit("  mode: enforce", "  mode: off"),
        edit("  copy_job_run: warn ", "  copy_job_run: allow "),
        edit("  unknown_external_schema: warn ", "  unknown_external_schema: allow "),
        edit("  rewrite_default_role: false", "  rewrite_default_role: true"),
        edit("    s3_write: [\"s3://acmedata/redshift/unload/\"]", "    s3_write: [\"s3://acmedata/redshift/\"]"));
    for (Edit loosening : loosenings) {
      assertThat(base).contains(loosening.from());
      Path after = Files.writeString(dir.resolve("after.yaml"), base.replace(loosening.from(), loosening.to()));
      String setting = "policy." + loosening.from().strip().split(":")[0];
      setting = setting.equals("policy.s3_write") ? "policy.keys.s3_write" : setting;
      assertLoosens(BASE, after.toString(), setting, loosening.to());
    }
    // the sample has Redshift's most, 10: a shorter limit before, 10 after
    Path shorter = Files.writeString(dir.resolve("shorter.yaml"), base.replace("  max_chain: 10", "  max_chain: 3"));
    assertLoosens(shorter.toString(), BASE, "policy.max_chain", "10");
  }

  private static void assertLoosens(String before, String after, String setting, String what) {
    CliRun diff = CliRun.of("registry", "diff", before, after);
    assertThat(diff.code()).as(what).isEqualTo(1);
    assertThat(diff.out()).as(what).containsPattern("(?m)^\\+ " + java.util.regex.Pattern.quote(setting) + ": ");
    CliRun back = CliRun.of("registry", "diff", after, before);
    assertThat(back.code()).as(what).isZero();
    assertThat(back.out()).as(what).containsPattern("(?m)^- " + java.util.regex.Pattern.quote(setting) + ": ");
  }

  /**
   * A trust of a pattern of users ({@code StringLike sts:ExternalId .../dbuser:c/etl_*}) is listed
   * under that pattern, and widening one user to it is a gain (probe 21a F7: nobody was listed, and
   * the diff said nothing gained while check allowed every etl_ user).
   */
  @Test
  void aTrustOfAPatternOfUsersIsListedAndWideningToItIsGained() throws IOException {
    Path old = trustRegistry("old", "StringEquals", "etl_a");
    Path now = trustRegistry("new", "StringLike", "etl_*");
    Path sql = Files.writeString(dir.resolve("c.sql"),
        "copy t from 's3://acmedata/x/' iam_role 'arn:aws:iam::123456789012:role/Loader';\n");

    assertThat(check(old.toString(), "etl_zzz", sql).code()).isEqualTo(1);
    assertThat(check(now.toString(), "etl_zzz", sql).code()).isZero();
    assertThat(CliRun.of("access", "--registry", now.toString()).out())
        .contains("my-cluster | etl_* | arn:aws:iam::123456789012:role/Loader | COPY | s3://acmedata/");
    CliRun diff = CliRun.of("registry", "diff", old.toString(), now.toString());
    assertThat(diff.code()).isEqualTo(1);
    assertThat(diff.out()).contains("+ my-cluster | etl_* | arn:aws:iam::123456789012:role/Loader | COPY | s3://acmedata/");
  }

  private Path trustRegistry(String name, String operator, String user) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.writeString(folder.resolve("trust.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
        + "\"Allow\", \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\", "
        + "\"Condition\": {\"" + operator + "\": {\"sts:ExternalId\": \"arn:aws:redshift:us-west-2:123456789012:"
        + "dbuser:my-cluster/" + user + "\"}}}]}");
    Files.writeString(folder.resolve("p.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
        + "\"Allow\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/*\"]}]}");
    return Files.writeString(folder.resolve("registry.yaml"), "version: 1\nclusters:\n  - id: my-cluster\n"
        + "    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles: [arn:aws:iam::123456789012:role/Loader]\nroles:\n"
        + "  - arn: arn:aws:iam::123456789012:role/Loader\n    policy_files:\n      trust: trust.json\n"
        + "      permissions: [p.json]\n");
  }

  /** The database an external schema reaches is compared with its role (probe 21d F2). */
  @Test
  void anExternalSchemasDatabaseIsCompared() throws IOException {
    String base = Files.readString(Path.of(BASE));
    assertThat(base).contains("database: exampledb }");
    Path other = Files.writeString(dir.resolve("other.yaml"), base.replace("database: exampledb }", "database: otherdb }"));
    Path sql = Files.writeString(dir.resolve("a.sql"),
        "alter external schema spectrum iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n");

    assertThat(check(other.toString(), "user1", sql).code()).isEqualTo(1);
    assertThat(check(BASE, "user1", sql).code()).isZero();
    CliRun diff = CliRun.of("registry", "diff", other.toString(), BASE);
    assertThat(diff.code()).isEqualTo(1);
    assertThat(diff.out()).contains("+ external_schemas.spectrum: ").contains("database otherdb -> ")
        .contains("database exampledb");
  }

  @Test
  void theSameRegistryHasNoChange() {
    CliRun diff = CliRun.of("registry", "diff", BASE, BASE);
    assertThat(diff.code()).isZero();
    assertThat(diff.out()).isEqualTo("0 gained, 0 lost\n");
  }

  private static CliRun check(String registry, String user, Path sql) {
    return CliRun.of("check", "--registry", registry, "--user", user, sql.toString());
  }
}
