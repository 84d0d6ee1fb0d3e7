package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Glue actions suggest grants for the tables of an external schema land on the role Redshift
 * makes its Data Catalog calls with, and cover what each statement does in the catalog; the S3
 * locations stay the IAM_ROLE's. Over schema forms (plain, REGION, CATALOG_ID and REGION of another
 * account, CREATE EXTERNAL DATABASE IF NOT EXISTS, IF NOT EXISTS, a quoted name), an IAM_ROLE of one
 * role or a chain, a CATALOG_ROLE absent, one role or a chain, and several table names, each script
 * creating tables (plain, CETAS with and without PARTITIONED BY, partitioned then ALTER TABLE .. ADD
 * [IF NOT EXISTS] PARTITION, then INSERT INTO).
 *
 * <p>Oracle, by hand from the AWS pages: "CATALOG_ROLE ... an IAM role that your cluster uses for
 * authentication and authorization for the data catalog. If CATALOG_ROLE isn't specified, Amazon
 * Redshift uses the specified IAM_ROLE" (CREATE EXTERNAL SCHEMA); CREATE EXTERNAL TABLE creates the
 * table (glue:CreateTable); a partitioned CETAS and ALTER TABLE .. ADD PARTITION register partitions,
 * INSERT (external table) registers partitions and updates 'numRows' (glue:BatchCreatePartition,
 * glue:CreatePartition, glue:GetTable, glue:UpdateTable, from the Spectrum minimum-permissions policy).
 */
class SuggestCatalogRoleGlueTest {
  private static final String ACCOUNT = "123456789012";
  private static final String FIRST = "arn:aws:iam::" + ACCOUNT + ":role/First";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/Loader";
  private static final String CATALOG_FIRST = "arn:aws:iam::" + ACCOUNT + ":role/CatalogHop";
  private static final String CATALOG = "arn:aws:iam::" + ACCOUNT + ":role/CatalogReader";
  private static final List<String> WRITES = List.of("glue:CreateTable", "glue:BatchCreatePartition",
      "glue:CreatePartition", "glue:UpdateTable");
  private static final String CREATE = "glue:CreateTable";
  private static final String BATCH = "glue:BatchCreatePartition";
  private static final String PARTITION = "glue:CreatePartition";
  private static final String UPDATE = "glue:UpdateTable";

  /** A schema form: its clauses after the name, the Glue ARN prefix of its database and the database as Glue stores it. */
  record Form(String name, String schema, String clauses, String glue, String database) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Form> forms() {
    String here = "arn:aws:glue:us-west-2:" + ACCOUNT;
    return List.of(
        new Form("plain", "s", "from data catalog database 'salesdb'", here, "salesdb"),
        new Form("REGION", "spectrum", "from data catalog database 'Sales_DB' region 'us-west-2'", here, "sales_db"),
        new Form("CATALOG_ID REGION", "s", "from data catalog database 'salesdb' catalog_id '210987654321' region "
            + "'eu-west-1'", "arn:aws:glue:eu-west-1:210987654321", "salesdb"),
        new Form("CREATE EXTERNAL DATABASE", "lake", "from data catalog database 'lakedb'", here, "lakedb"),
        new Form("IF NOT EXISTS, quoted", "\"Lake\"", "from data catalog database 'lakedb'", here, "lakedb"));
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    Map<String, List<String>> iam = new LinkedHashMap<>();
    iam.put("IAM_ROLE one role", List.of(ROLE));
    iam.put("IAM_ROLE chain", List.of(FIRST, ROLE));
    Map<String, List<String>> catalog = new LinkedHashMap<>();
    catalog.put("no CATALOG_ROLE", List.of());
    catalog.put("CATALOG_ROLE one role", List.of(CATALOG));
    catalog.put("CATALOG_ROLE chain", List.of(CATALOG_FIRST, CATALOG));
    for (Form form : forms()) {
      for (Map.Entry<String, List<String>> i : iam.entrySet()) {
        for (Map.Entry<String, List<String>> c : catalog.entrySet()) {
          for (String table : List.of("sales", "Orders", "t_2024")) {
            all.add(Arguments.of(form, i.getKey(), i.getValue(), c.getKey(), c.getValue(), table));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, {3}, table {5}")
  @MethodSource("cases")
  void glueActionsGoToTheCatalogRoleAndCoverEachStatement(Form form, String iamName, List<String> iamChain,
      String catalogName, List<String> catalogChain, String table) throws Exception {
    String s = form.schema();
    String schema = "create external schema " + (form.name().contains("IF NOT EXISTS") ? "if not exists " : "") + s
        + " " + form.clauses() + " iam_role '" + String.join(",", iamChain) + "'"
        + (catalogChain.isEmpty() ? "" : " catalog_role '" + String.join(",", catalogChain) + "'")
        + (form.name().equals("CREATE EXTERNAL DATABASE") ? " create external database if not exists" : "") + ";\n";
    String lower = table.toLowerCase(java.util.Locale.ROOT);
    // one table per statement form, so each table's actions are those of its statements alone
    String script = schema
        + "create external table " + s + "." + table + "_plain (a int) stored as parquet location "
        + "'s3://lake-bucket/" + lower + "/plain/';\n"
        + "create external table " + s + "." + table + "_cetas stored as parquet location "
        + "'s3://lake-bucket/" + lower + "/cetas/' as select 1 as a;\n"
        + "create external table " + s + "." + table + "_pcetas partitioned by (d) stored as parquet location "
        + "'s3://lake-bucket/" + lower + "/pcetas/' as select 1 as a, 2 as d;\n"
        + "create external table " + s + "." + table + "_part (a int) partitioned by (d date) stored as parquet "
        + "location 's3://lake-bucket/" + lower + "/part/';\n"
        + "alter table " + s + "." + table + "_part add if not exists partition (d='2024-01-01') location "
        + "'s3://lake-bucket/" + lower + "/part/d=2024-01-01/' partition (d='2024-01-02') location "
        + "'s3://lake-bucket/" + lower + "/part/d=2024-01-02/';\n"
        + "alter table " + s + "." + table + "_part add partition (d='2024-02-01') location "
        + "'s3://lake-bucket/" + lower + "/part/d=2024-02-01/';\n"
        + "create external table " + s + "." + table + "_ins (a int) stored as parquet location "
        + "'s3://lake-bucket/" + lower + "/ins/';\n"
        + "insert into " + s + "." + table + "_ins select a from local_t;\n";
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("_plain", Set.of(CREATE));
    expected.put("_cetas", Set.of(CREATE));
    expected.put("_pcetas", Set.of(CREATE, BATCH, PARTITION));
    expected.put("_part", Set.of(CREATE, BATCH, PARTITION));
    expected.put("_ins", Set.of(CREATE, BATCH, PARTITION, UPDATE));

    Suggestion suggestion = suggest(script, Optional.empty());
    assertThat(suggestion.gaps()).as(script).isEmpty();
    assertThat(suggestion.ungranted()).as(script).isEmpty();
    assertThat(suggestion.complete()).as(script).isTrue();

    String catalogUser = catalogChain.isEmpty() ? ROLE : CATALOG;
    Map<String, Object> user = permissions(suggestion, catalogUser);
    Map<String, Object> loader = permissions(suggestion, ROLE);
    for (Map.Entry<String, Set<String>> t : expected.entrySet()) {
      String arn = form.glue() + ":table/" + form.database() + "/" + lower + t.getKey();
      for (String action : WRITES) {
        assertThat(allows(user, action, arn)).as("%s: %s on %s by the catalog role %s", script, action, arn,
            catalogUser).isEqualTo(t.getValue().contains(action));
        if (!catalogUser.equals(ROLE)) {
          assertThat(allows(loader, action, arn)).as("%s: %s on %s by the IAM_ROLE, not the catalog's", script,
              action, arn).isFalse();
        }
      }
      assertThat(allows(user, "glue:GetTable", arn)).as("%s: glue:GetTable on %s", script, arn).isTrue();
      // another table of the database is not the statement's
      assertThat(allows(user, CREATE, form.glue() + ":table/" + form.database() + "/other")).isFalse();
      // S3 stays the IAM_ROLE's: the catalog role reads and writes none of the locations
      String object = "arn:aws:s3:::lake-bucket/" + lower + "/" + t.getKey().substring(1) + "/x.parquet";
      boolean written = t.getKey().equals("_cetas") || t.getKey().equals("_pcetas") || t.getKey().equals("_ins");
      assertThat(allows(loader, written ? "s3:PutObject" : "s3:GetObject", object)).as("%s: %s", script, object)
          .isTrue();
      if (!catalogUser.equals(ROLE)) {
        assertThat(allows(user, "s3:GetObject", object)).as("%s: the catalog role reads no S3", script).isFalse();
        assertThat(allows(user, "s3:PutObject", object)).as("%s: the catalog role writes no S3", script).isFalse();
      }
    }
    for (String hop : List.of(FIRST, CATALOG_FIRST)) {
      if (iamChain.contains(hop) || catalogChain.contains(hop)) {
        Map<String, Object> first = permissions(suggestion, hop);
        for (String action : WRITES) {
          assertThat(allows(first, action, form.glue() + ":table/" + form.database() + "/" + lower + "_ins"))
              .as("the first role of a chain only assumes the next").isFalse();
        }
      }
    }
  }

  /** A Hive schema's tables are not Glue's: no Glue action, whatever the statement. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void aHiveSchemaNeedsNoGlueAction(String table) throws Exception {
    String script = "create external schema h from hive metastore database 'hdb' uri 'h' port 9083 iam_role '" + ROLE
        + "';\ncreate external table h." + table + " (a int) partitioned by (d date) stored as parquet location "
        + "'s3://lake-bucket/h/';\nalter table h." + table + " add partition (d='2024-01-01') location "
        + "'s3://lake-bucket/h/d=2024-01-01/';\ninsert into h." + table + " select 1;\n";
    Suggestion suggestion = suggest(script, Optional.empty());
    assertThat(suggestion.complete()).as(script).isTrue();
    Map<String, Object> loader = permissions(suggestion, ROLE);
    for (String action : WRITES) {
      assertThat(allows(loader, action, "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/hdb/" + table.toLowerCase(
          java.util.Locale.ROOT))).as(script).isFalse();
    }
  }

  static Stream<String> tables() {
    return Stream.of("sales", "Orders", "t_2024");
  }

  /**
   * Through a registry schema (no CATALOG_ROLE a registry can name: its IAM_ROLE's last role), the
   * same actions; one whose database the registry does not name leaves them ungranted, all named,
   * and the suggestion incomplete.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void aRegistrySchemaGetsThePartitionActionsOrTheSuggestionSaysItLacksThem(String table) throws Exception {
    String lower = table.toLowerCase(java.util.Locale.ROOT);
    var registry = Optional.of(RegistryLoader.parse("""
        version: 1
        clusters:
          - id: c1
            account: "%1$s"
            region: us-west-2
            attached_roles: ["%2$s"]
        roles:
          - arn: "%2$s"
            trust: { regions: [us-west-2] }
            allow: { s3_read: ["s3://lake-bucket/"], s3_write: ["s3://lake-bucket/"], glue_databases: [salesdb] }
        external_schemas:
          s: { iam_role: "%2$s", database: salesdb }
          nodb: { iam_role: "%2$s" }
        """.formatted(ACCOUNT, ROLE), "given.yaml", null));
    for (String schema : List.of("s", "nodb")) {
      String script = "alter table " + schema + "." + table + " add partition (d='2024-01-01') location "
          + "'s3://lake-bucket/" + lower + "/d=2024-01-01/';\n";
      Suggestion suggestion = suggest(script, registry);
      assertThat(suggestion.gaps()).as(script).isEmpty();
      Map<String, Object> loader = permissions(suggestion, ROLE);
      String arn = "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/salesdb/" + lower;
      if (schema.equals("s")) {
        assertThat(suggestion.complete()).as(script).isTrue();
        for (String action : List.of(BATCH, PARTITION, "glue:GetTable")) {
          assertThat(allows(loader, action, arn)).as("%s: %s", script, action).isTrue();
        }
        assertThat(allows(loader, CREATE, arn)).as(script).isFalse();
      } else {
        assertThat(suggestion.complete()).as(script).isFalse();
        assertThat(suggestion.ungranted()).singleElement().satisfies(g -> assertThat(g.reason())
            .contains(BATCH, PARTITION, "glue:GetTable", "external schema nodb"));
      }
    }
  }

  /**
   * After ALTER EXTERNAL SCHEMA of a schema created with a CATALOG_ROLE, which role reads the catalog
   * is not documented: the Glue actions go to no role and the suggestion says it lacks them; without a
   * CATALOG_ROLE they go to the new IAM_ROLE (the CREATE EXTERNAL SCHEMA page: "If CATALOG_ROLE isn't
   * specified, Amazon Redshift uses the specified IAM_ROLE").
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void afterAlterExternalSchemaTheCatalogRoleIsNotGuessed(String table) throws Exception {
    String lower = table.toLowerCase(java.util.Locale.ROOT);
    for (boolean withCatalogRole : List.of(true, false)) {
      String script = "create external schema s from data catalog database 'salesdb' iam_role '" + FIRST + "'"
          + (withCatalogRole ? " catalog_role '" + CATALOG + "'" : "") + ";\n"
          + "alter external schema s iam_role '" + ROLE + "';\n"
          + "create external table s." + table + " (a int) stored as parquet location 's3://lake-bucket/" + lower
          + "/';\n";
      Suggestion suggestion = suggest(script, Optional.empty());
      assertThat(suggestion.gaps()).as(script).isEmpty();
      String arn = "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/salesdb/" + lower;
      if (withCatalogRole) {
        assertThat(suggestion.complete()).as(script).isFalse();
        assertThat(suggestion.ungranted()).singleElement().satisfies(g -> assertThat(g.reason())
            .contains(CREATE, "external schema s", "not documented"));
        for (String role : List.of(FIRST, ROLE, CATALOG)) {
          assertThat(allows(permissions(suggestion, role), CREATE, arn)).as("%s: %s", script, role).isFalse();
        }
      } else {
        assertThat(suggestion.complete()).as(script).isTrue();
        assertThat(allows(permissions(suggestion, ROLE), CREATE, arn)).as(script).isTrue();
        assertThat(allows(permissions(suggestion, FIRST), CREATE, arn)).as(script).isFalse();
      }
    }
  }

  /** ALTER TABLE .. SET LOCATION registers no partition: none of the partition actions. */
  @Test
  void setLocationRegistersNoPartition() throws Exception {
    String script = "create external schema s from data catalog database 'salesdb' iam_role '" + ROLE + "';\n"
        + "create external table s.t (a int) stored as parquet location 's3://lake-bucket/t/';\n"
        + "alter table s.t set location 's3://lake-bucket/t2/';\n";
    Map<String, Object> loader = permissions(suggest(script, Optional.empty()), ROLE);
    String arn = "arn:aws:glue:us-west-2:" + ACCOUNT + ":table/salesdb/t";
    assertThat(allows(loader, CREATE, arn)).isTrue();
    assertThat(allows(loader, BATCH, arn)).isFalse();
    assertThat(allows(loader, PARTITION, arn)).isFalse();
  }

  private static Suggestion suggest(String script, Optional<dev.iamguard.policy.registry.Registry> registry) {
    ScriptNeeds needs = new ScriptNeeds(registry.isPresent()
        ? new SuggestRequest(registry, null, null, null, null, List.of("etl"), 0)
        : new SuggestRequest(Optional.empty(), "c1", ACCOUNT, "us-west-2", null, List.of("etl"), 0));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("load.sql", statement);
    }
    return needs.suggestion();
  }

  /** The role's suggested permissions policy; null when it has none. */
  private static Map<String, Object> permissions(Suggestion suggestion, String arn) {
    Optional<SuggestedRole> role = suggestion.role(RoleArn.of(arn));
    assertThat(role).as("role %s is suggested", arn).isPresent();
    return IamDocuments.of(role.get(), suggestion.cluster()).permissions();
  }

  /**
   * Whether an Allow statement of the policy names {@code action} and a Resource matching
   * {@code resource} ({@code *} any characters, {@code ?} one). Read here, not by the project's IAM
   * evaluator, which skips the statements of actions the guard does not ask about (Glue writes).
   */
  @SuppressWarnings("unchecked")
  private static boolean allows(Map<String, Object> policy, String action, String resource) {
    if (policy == null) {
      return false;
    }
    for (Object statement : (List<Object>) policy.get("Statement")) {
      Map<String, Object> fields = (Map<String, Object>) statement;
      Object actions = fields.get("Action");
      List<String> named = actions instanceof String one ? List.of(one) : (List<String>) actions;
      if (!"Allow".equals(fields.get("Effect")) || !named.contains(action) || fields.containsKey("Condition")
          && !action.equals("s3:ListBucket")) {
        continue;
      }
      Object resources = fields.get("Resource");
      for (String pattern : resources instanceof String one ? List.of(one) : (List<String>) resources) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
          regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        if (resource.matches(regex.toString())) {
          return true;
        }
      }
    }
    return false;
  }
}
