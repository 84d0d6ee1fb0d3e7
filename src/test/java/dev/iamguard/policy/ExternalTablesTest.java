package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.RegistryProblem;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.S3Location;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: "CREATE EXTERNAL TABLE ... LOCATION, CETAS, ALTER TABLE ... SET LOCATION / ADD
 * PARTITION ... LOCATION and INSERT INTO an external table touch S3 through the external schema's
 * role: ... where the registry knows the schema's role (an external schema created through the
 * guard, or a new external_schemas: registry section), check them against that role's prefixes."
 */
class ExternalTablesTest {
  static final String LAKE = "arn:aws:iam::111122223333:role/Lake";

  /** Lake reads and writes s3://lake/sales/; Loader reads s3://data/in/ and writes s3://data/out/. */
  static Registry registry(String extra) {
    return Fixture.parse("""
        version: 1
        clusters:
          - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s, %2$s]}
        roles:
          - arn: %1$s
            allow: {s3_read: ["s3://data/in/"], s3_write: ["s3://data/out/"], glue_databases: [salesdb]}
          - arn: %2$s
            alias: lake
            allow: {s3_read: ["s3://lake/sales/"], s3_write: ["s3://lake/sales/"], glue_databases: [lakedb]}
        external_schemas:
          spectrum: {iam_role: "%1$s"}
        """.formatted(LOADER, LAKE) + extra, null);
  }

  static Decision inspect(String sql) {
    return Fixture.inspect(registry(""), sql);
  }

  static String table(String location) {
    return "create external table spectrum.sales (id int, d date) partitioned by (d date) row format delimited"
        + " fields terminated by '\\t' stored as textfile location '" + location + "' table properties ('a'='b')";
  }

  @Nested
  class TheRegistrySection {
    @Test
    void aTableLocationIsReadWithTheSchemasRole() {
      assertThat(rules(inspect(table("s3://data/in/sales/")))).isEmpty();
      Decision denied = inspect(table("s3://data/private/sales/"));
      assertThat(rules(denied)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains(LOADER, "s3://data/private/sales/", "external table location");
      // a location is a key prefix: s3://data/in also holds in-other/...
      assertThat(rules(inspect(table("s3://data/in")))).containsExactly(RuleId.S3_NOT_PERMITTED);
    }

    @Test
    void ctasWritesItsLocation() {
      String cetas = "create external table spectrum.daily stored as parquet location '%s' as select * from sales";
      assertThat(rules(inspect(cetas.formatted("s3://data/out/daily/")))).isEmpty();
      Decision denied = inspect(cetas.formatted("s3://data/in/daily/"));
      assertThat(rules(denied)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains("may not write s3://data/in/daily/");
      assertThat(denied.statements().get(0).statement().command().query().text()).isEqualTo("select * from sales");
    }

    @Test
    void alterTableLocationsAndEveryPartitionAreChecked() {
      assertThat(rules(inspect("alter table spectrum.sales set location 's3://data/in/sales2/'"))).isEmpty();
      assertThat(rules(inspect("alter table spectrum.sales set location 's3://elsewhere/sales/'")))
          .containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(rules(inspect("alter table spectrum.sales partition (d='2026-01-01') set location 's3://elsewhere/x/'")))
          .containsExactly(RuleId.S3_NOT_PERMITTED);
      Decision partitions = inspect("alter table spectrum.sales add if not exists partition (d='2026-01-01') location"
          + " 's3://data/in/sales/d=1/' partition (d='2026-01-02') location 's3://data/other/d=2/'");
      assertThat(partitions.findings()).extracting(Finding::subject).containsExactly("s3://data/other/d=2/");
      assertThat(partitions.statements().get(0).statement().command().resources().s3()).extracting(S3Location::uri)
          .containsExactly("s3://data/in/sales/d=1/", "s3://data/other/d=2/");
    }

    @Test
    void anOrdinaryAlterTableIsNoConcernOfTheGuard() {
      assertThat(inspect("alter table spectrum.sales add column x int").inspected()).isFalse();
      assertThat(inspect("alter table public.t set datashare off").inspected()).isFalse();
    }

    @Test
    void aSchemaOnAnotherClusterIsUnknownHere() {
      Registry other = ChainBoundariesTest.attached("""
          - arn: %1$s
            allow: {s3_read: ["s3://data/in/"]}
          external_schemas:
            spectrum: {iam_role: ["%1$s"], cluster: east}
          """.formatted(LOADER), null);
      assertThat(rules(Fixture.inspect(other, table("s3://data/in/sales/")))).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
    }
  }

  @Nested
  class UnknownSchemas {
    @Test
    void warnByDefaultDenyOrAllowUnderTheSwitch() {
      String sql = table("s3://data/in/sales/").replace("spectrum.", "other.");
      Decision warned = inspect(sql);
      assertThat(warned.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(warned.findings()).extracting(Finding::rule, Finding::severity)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(RuleId.EXTERNAL_SCHEMA_UNKNOWN, Severity.WARNING));
      assertThat(warned.findings().get(0).message()).contains("s3://data/in/sales/", "external schema other");

      Decision denied = Fixture.inspect(registry("policy:\n  unknown_external_schema: deny\n"), sql);
      assertThat(denied.verdict()).isEqualTo(Verdict.DENY);
      assertThat(Fixture.inspect(registry("policy:\n  unknown_external_schema: allow\n"), sql).findings()).isEmpty();
    }

    @Test
    void anUnqualifiedTableNamesNoExternalSchema() {
      Decision decision = inspect("alter table sales set location 's3://data/in/x/'");
      assertThat(rules(decision)).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
      assertThat(decision.findings().get(0).message()).contains("names no external schema");
    }
  }

  /** "an external schema created through the guard in the same script/connection". */
  @Nested
  class CreatedThroughTheGuard {
    static final String SCHEMA = "create external schema lakehouse from data catalog database 'lakedb' iam_role '%s'";

    @Test
    void aSchemaCreatedEarlierInTheScriptLendsItsRoleToItsTables() {
      Decision denied = inspect(SCHEMA.formatted("lake") + ";\n" + table("s3://data/in/sales/").replace("spectrum.", "lakehouse."));
      assertThat(denied.statements().get(0).verdict()).isEqualTo(Verdict.REWRITE);
      assertThat(rules(denied)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(denied.findings().get(0).message()).contains(LAKE);

      Decision allowed = inspect(SCHEMA.formatted(LAKE) + ";\n"
          + table("s3://lake/sales/2026/").replace("spectrum.", "\"LakeHouse\"."));
      assertThat(rules(allowed)).isEmpty();
      assertThat(allowed.sessionAfter().externalCatalog().schema("lakehouse")).contains(List.of(RoleArn.of(LAKE)));
    }

    @Test
    void aDeniedSchemaLendsNothing() {
      Decision decision = inspect(SCHEMA.formatted(LAKE).replace("lakedb", "otherdb") + ";\n"
          + table("s3://lake/sales/2026/").replace("spectrum.", "lakehouse."));
      assertThat(rules(decision)).containsExactly(RuleId.CATALOG_NOT_PERMITTED, RuleId.EXTERNAL_SCHEMA_UNKNOWN);
    }

    @Test
    void anInsertIntoATableCreatedThroughTheGuardWritesItsLocation() {
      String create = SCHEMA.formatted(LAKE) + ";\n" + "create external table lakehouse.orders (id int) stored as parquet"
          + " location '%s';\n";
      Decision allowed = inspect(create.formatted("s3://lake/sales/orders/") + "insert into lakehouse.orders select 1");
      assertThat(rules(allowed)).isEmpty();
      StatementDecision insert = allowed.statements().get(2);
      assertThat(insert.statement().command().kind()).isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE);
      assertThat(insert.statement().command().resources().s3()).extracting(S3Location::uri, S3Location::access)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("s3://lake/sales/orders/", S3Location.Access.WRITE));

      // Lake reads s3://lake/ but Loader (spectrum) only reads data/in: an INSERT there is a write Loader may not do
      Decision denied = inspect("create external table spectrum.orders (id int) stored as parquet location"
          + " 's3://data/in/orders/';\ninsert into public.t select 1;\ninsert into \"SPECTRUM\".orders select 2");
      assertThat(rules(denied)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(denied.statements().get(2).findings().get(0).message()).contains("may not write s3://data/in/orders/");
      assertThat(denied.statements().get(1).findings()).isEmpty();
    }

    /** The session carries what was created to the connection's later texts. */
    @Test
    void laterTextsOfTheSameConnectionSeeIt() {
      Guard guard = new Guard(registry(""));
      Decision first = guard.inspect("create external table spectrum.orders (id int) stored as parquet location"
          + " 's3://data/in/orders/'", Session.of("user1", null));
      Decision insert = guard.inspect("insert into spectrum.orders values (1)", first.sessionAfter());
      assertThat(rules(insert)).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(guard.inspect("insert into spectrum.orders values (1)", Session.of("user1", null)).inspected()).isFalse();
    }
  }

  @Test
  void theRegistrySectionNamesRegistryRoles() {
    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse("""
        version: 1
        roles:
          - arn: %s
        external_schemas:
          a: {iam_role: "arn:aws:iam::111122223333:role/Nobody"}
          b: {cluster: west}
          c: {iam_role: "not-an-arn"}
        """.formatted(LOADER), "r.yaml", null));
    assertThat(e.problems().stream().map(RegistryProblem::toString)).containsExactly(
        "r.yaml:5: external_schemas.a.iam_role: arn:aws:iam::111122223333:role/Nobody is not a role of this registry;"
            + " add it under roles so the schema's table locations can be checked against its prefixes",
        "r.yaml:6: external_schemas.b: missing required field \"iam_role\"",
        "r.yaml:7: external_schemas.c.iam_role: \"not-an-arn\" is not a role ARN: does not start with \"arn:\"");
  }
}
