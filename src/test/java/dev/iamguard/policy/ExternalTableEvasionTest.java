package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.CommandKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Classes of input that once let an external table's location escape the check of its schema's
 * role (found by an adversarial review; each test failed before its fix):
 * <ul>
 *   <li>a qualified name spelled with comments between its parts ({@code spectrum}, a comment,
 *       {@code .sales}): Redshift reads table {@code spectrum.sales}, the guard read a schema
 *       named with the comment, unknown to it (a warning) or, for an INSERT, no table it created
 *       (no check at all);
 *   <li>an INSERT whose name stands beyond the first 1,024 characters (a long comment before it);
 *   <li>a table created through the guard that is then given another location (ALTER TABLE ...
 *       SET LOCATION, a partition's LOCATION, CREATE ... IF NOT EXISTS of the existing table): an
 *       INSERT was checked against the first location only, or the last one written, where
 *       Redshift may write at another.
 * </ul>
 * Schema {@code spectrum} uses a role that reads {@code s3://data/} and writes only
 * {@code s3://data/out/}; the policy leaves an unknown schema a warning (the default), so reading
 * a known schema as unknown lets the statement through.
 */
class ExternalTableEvasionTest {
  private static final String OTHER = "arn:aws:iam::111122223333:role/Other";
  private static final String YAML = """
      version: 1
      clusters:
        - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s, %2$s]}
      roles:
        - arn: %1$s
          allow: {s3_read: ["s3://data/"], s3_write: ["s3://data/out/"], glue_databases: [salesdb]}
        - arn: %2$s
          allow: {s3_read: ["s3://other/"], s3_write: ["s3://other/"], glue_databases: [salesdb]}
      external_schemas:
        spectrum: {iam_role: "%1$s"}
      """.formatted(Fixture.LOADER, OTHER);
  private static final Registry REGISTRY = Fixture.parse(YAML, null);
  /** The same, where a location whose schema's role is unknown is denied rather than warned about. */
  private static final Registry STRICT = Fixture.parse(YAML + "policy: {unknown_external_schema: deny}\n", null);
  /** What may stand between the parts of a name and its dots: nothing, whitespace, every comment form. */
  private static final List<String> BETWEEN = List.of("", " ", "\n", "\t ", "/**/", "/* x */", "/* /* nested */ */",
      "--c\n", " -- c;\n ", "/*\n*/\n");
  private static final List<String> SCHEMAS = List.of("spectrum", "SPECTRUM", "\"spectrum\"", "Spectrum");

  /** Every spelling of table {@code table} of schema spectrum: case, quotes, a database part, and what stands between. */
  private static List<String> spellings(String table) {
    List<String> names = new ArrayList<>();
    for (String schema : SCHEMAS) {
      for (String before : BETWEEN) {
        for (String after : BETWEEN) {
          names.add(schema + before + "." + after + table);
        }
        names.add("dev" + before + "." + schema + before + "." + table);
      }
    }
    return names;
  }

  private static Decision inspect(String sql) {
    return Fixture.inspect(REGISTRY, sql);
  }

  private static void assertDeniedForTheLocation(String sql) {
    Decision decision = inspect(sql);
    assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
    assertThat(rules(decision)).as(sql).contains(RuleId.S3_NOT_PERMITTED).doesNotContain(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
  }

  @Test
  void aNameSpelledWithCommentsBetweenItsPartsIsTheSchemasTable() {
    List<String> names = spellings("sales");
    assertThat(names).hasSizeGreaterThan(400);
    for (String name : names) {
      assertDeniedForTheLocation("create external table " + name + " (id int) stored as parquet location"
          + " 's3://elsewhere/sales/'");
      // CETAS writes its location now: spectrum's role reads data/in/ but may not write there
      assertDeniedForTheLocation("create external table " + name + " stored as parquet location 's3://data/in/sales/'"
          + " as select 1");
      assertDeniedForTheLocation("alter table " + name + " set location 's3://elsewhere/sales/'");
      assertDeniedForTheLocation("alter table " + name + " add if not exists partition (d='1') location"
          + " 's3://elsewhere/sales/'");
    }
  }

  @Test
  void anInsertSpelledWithCommentsBetweenItsPartsWritesTheTableCreatedHere() {
    String create = "create external table spectrum.sales (id int) stored as parquet location 's3://data/in/sales/';\n";
    for (String name : spellings("sales")) {
      String sql = create + "insert into " + name + " select 1";
      Decision decision = inspect(sql);
      assertThat(decision.statements()).as(sql).hasSize(2);
      assertThat(decision.statements().get(1).statement().command().kind()).as(sql)
          .isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE);
      assertThat(rules(decision)).as(sql).containsExactly(RuleId.S3_NOT_PERMITTED);
    }
  }

  @Test
  void anInsertIsReadHoweverFarItsNameStands() {
    String create = "create external table spectrum.sales (id int) stored as parquet location 's3://data/in/sales/';\n";
    String[] at = {"insert%s into spectrum.sales select 1", "insert into%s spectrum.sales select 1",
        "insert into spectrum%s.sales select 1", "insert into spectrum.%ssales select 1",
        "insert into spectrum.sales%s select 1", "insert into spectrum.sales%s"};
    int checked = 0;
    for (int length : new int[] {1, 900, 1000, 1012, 1017, 1020, 1023, 1024, 1025, 1030, 2040, 2048, 2060, 5000, 70_000}) {
      for (String filler : new String[] {"/*" + "x".repeat(length) + "*/", "--" + "x".repeat(length) + "\n",
          " ".repeat(length), "\n".repeat(length)}) {
        for (String form : at) {
          String sql = create + form.formatted(filler);
          Decision decision = inspect(sql);
          assertThat(rules(decision)).as("filler %d before %s", length, form).containsExactly(RuleId.S3_NOT_PERMITTED);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(15 * 4 * 6);
  }

  /**
   * ALTER TABLE in the forms PostgreSQL's grammar (Redshift's parent) takes for the name,
   * {@code ONLY t} and {@code t *}, and with an action before the location (DROP PARTITION ...,
   * ADD PARTITION ...): once passed as statements that set no location, since only the word after a
   * plain name was looked at.
   */
  @Test
  void everyAlterTableThatWritesALocationIsChecked() {
    List<String> names = List.of("spectrum.sales", "only spectrum.sales", "ONLY \"spectrum\".sales", "spectrum.sales *",
        "spectrum.sales*", "if exists only spectrum.sales", "IF EXISTS spectrum . sales /* c */ *", "only/**/spectrum.sales");
    List<String> actions = List.of("set location '%s'", "add partition (d='1') location '%s'",
        "add if not exists partition (d='1') location '%s'", "partition (d='1') set location '%s'",
        "drop partition (d='0'), add partition (d='1') location '%s'", "set file format parquet location '%s'");
    for (String name : names) {
      for (String action : actions) {
        assertDeniedForTheLocation("alter table " + name + " " + action.formatted("s3://elsewhere/sales/"));
        assertThat(rules(inspect("alter table " + name + " " + action.formatted("s3://data/in/sales/"))))
            .as(name + " " + action).isEmpty();
      }
      for (String ordinary : List.of("rename to sales2", "owner to bob", "append from staging", "alter column id type int",
          "add column c int", "drop column c")) {
        Decision decision = inspect("alter table " + name + " " + ordinary);
        assertThat(decision.verdict()).as(name + " " + ordinary).isEqualTo(Verdict.ALLOW);
        assertThat(decision.findings()).as(name + " " + ordinary).isEmpty();
      }
    }
  }

  /** The spellings of {@code CREATE EXTERNAL SCHEMA IF NOT EXISTS name} for schema spectrum. */
  static List<String> ifNotExists(String name) {
    List<String> heads = new ArrayList<>();
    for (String words : List.of("if not exists", "IF NOT EXISTS", "if /* c */ not\nexists", "If Not Exists")) {
      heads.add("create external schema " + words + " " + name + " from data catalog database 'salesdb' iam_role '%s'");
    }
    return heads;
  }

  /**
   * CREATE EXTERNAL SCHEMA IF NOT EXISTS of a schema already known (the registry's, or one created
   * earlier in the script or on the connection) with another role: Redshift keeps the schema and
   * its role, so the guard may not judge its tables by the role written. Before the fix it did:
   * spectrum's tables were then checked against Other's prefixes, which its own role may not read.
   */
  @Test
  void anExistingSchemaMayKeepItsRoleAfterIfNotExists() {
    String table = ";\ncreate external table %s.sales (id int) stored as parquet location 's3://other/sales/'";
    int checked = 0;
    for (String name : List.of("spectrum", "SPECTRUM", "\"spectrum\"", "\"Spectrum\"")) {
      for (String head : ifNotExists(name)) {
        // known from the registry
        String sql = head.formatted(OTHER) + table.formatted(name);
        assertThat(rules(inspect(sql))).as(sql).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
        assertThat(Fixture.inspect(STRICT, sql).verdict()).as(sql).isEqualTo(Verdict.DENY);
        // known from an earlier statement of the script (a schema the registry does not list)
        String lake = "create external schema lake from data catalog database 'salesdb' iam_role '" + Fixture.LOADER + "';\n";
        String again = lake + head.replace(name, name.replaceAll("(?i)spectrum", "lake")).formatted(OTHER)
            + table.formatted("lake");
        assertThat(rules(inspect(again))).as(again).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
        // known from an earlier text of the same connection
        Guard guard = new Guard(STRICT);
        Session session = guard.inspect(lake, Session.of("user1", null)).sessionAfter();
        assertThat(guard.inspect(again.substring(lake.length()), session).verdict()).as(again).isEqualTo(Verdict.DENY);
        // the same role as before, or a schema nobody knew: the role written is the schema's
        assertThat(rules(inspect(head.formatted(Fixture.LOADER) + table.formatted(name)))).as(head)
            .containsExactly(RuleId.S3_NOT_PERMITTED);
        String fresh = head.replace(name, "fresh").formatted(OTHER) + table.formatted("fresh");
        assertThat(rules(inspect(fresh))).as(fresh).isEmpty();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(16);
  }

  /**
   * {@code PREPARE p AS INSERT INTO table ...}: EXECUTE runs the INSERT, in this text or a later
   * one, so the PREPARE is judged as the insert it holds. Before the fix it was an ordinary statement.
   */
  @Test
  void aPreparedInsertIsTheInsertItRuns() {
    String create = "create external table spectrum.sales (id int) stored as parquet location 's3://data/in/sales/';\n";
    List<String> prepares = new ArrayList<>();
    for (String head : List.of("prepare p as", "PREPARE p (int) AS", "prepare \"P\" (int, varchar(10)) /* c */ as",
        "prepare p\n--c\nas", "prepare p /*" + "x".repeat(3000) + "*/ as")) {
      for (String name : List.of("spectrum.sales", "\"SPECTRUM\" . sales", "dev.spectrum/**/.sales")) {
        prepares.add(head + " insert into " + name + " select $1");
      }
    }
    for (String prepare : prepares) {
      Decision decision = inspect(create + prepare + ";\nexecute p(1)");
      assertThat(decision.statements().get(1).statement().command().kind()).as(prepare)
          .isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE);
      assertThat(rules(decision)).as(prepare).containsExactly(RuleId.S3_NOT_PERMITTED);
    }
    // a prepared SELECT, or an INSERT into another table, is no such insert
    assertThat(rules(inspect(create + "prepare p as select * from spectrum.sales; prepare q as insert into public.sales"
        + " select 1"))).isEmpty();
  }

  /**
   * CETAS writes its location whatever query follows AS: PostgreSQL's grammar (Redshift's parent)
   * also takes {@code VALUES (..)} and {@code TABLE t}, once read as a table that only reads it.
   */
  @Test
  void everyCetasWritesItsLocation() {
    for (String query : List.of("select 1", "(select 1)", "with a as (select 1) select * from a", "values (1)",
        "(values (1))", "table public.sales", "/* c */ select 1", "\nselect 1")) {
      for (String head : List.of("create external table spectrum.daily stored as parquet location '%s' as ",
          "create external table spectrum.daily partitioned by (d) stored as parquet location '%s' as ")) {
        String denied = head.formatted("s3://data/in/daily/") + query;
        assertThat(rules(inspect(denied))).as(denied).containsExactly(RuleId.S3_NOT_PERMITTED);
        assertThat(inspect(denied).findings().get(0).message()).as(denied).contains("may not write");
        String allowed = head.formatted("s3://data/out/daily/") + query;
        assertThat(rules(inspect(allowed))).as(allowed).isEmpty();
      }
    }
  }

  /**
   * CREATE EXTERNAL SCHEMA {@code "Spectrum"}: the same schema as spectrum by default, another one
   * when enable_case_sensitive_identifier is on (a session or cluster setting the guard does not
   * see), so spectrum's role is unknown afterwards. Before the fix spectrum's tables were then
   * judged by the role written for {@code "Spectrum"}.
   */
  @Test
  void aQuotedSchemaNameWithCapitalsMayBeAnotherSchema() {
    String table = ";\ncreate external table spectrum.sales (id int) stored as parquet location 's3://other/sales/'";
    for (String name : List.of("\"Spectrum\"", "\"SPECTRUM\"", "\"spectruM\"")) {
      for (String set : List.of("", "set enable_case_sensitive_identifier to true;\n")) {
        String sql = set + "create external schema " + name + " from data catalog database 'salesdb' iam_role '"
            + OTHER + "'" + table;
        assertThat(rules(inspect(sql))).as(sql).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
        assertThat(Fixture.inspect(STRICT, sql).verdict()).as(sql).isEqualTo(Verdict.DENY);
      }
    }
    // written without capitals it is spectrum under either setting, which the registry knows with
    // another role: Redshift's CREATE fails and spectrum keeps its role, so the role written is not
    // the one reading the table (stricter since adv4: it was checked as if the CREATE had run)
    for (String name : List.of("spectrum", "SPECTRUM", "\"spectrum\"")) {
      String sql = "create external schema " + name + " from data catalog database 'salesdb' iam_role '" + OTHER + "'"
          + table;
      assertThat(rules(inspect(sql))).as(sql).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
      assertThat(Fixture.inspect(STRICT, sql).verdict()).as(sql).isEqualTo(Verdict.DENY);
      // created again with the registry's own role: that role is checked (s3://other is not its)
      String same = sql.replace(OTHER, Fixture.LOADER);
      assertThat(rules(inspect(same))).as(same).containsExactly(RuleId.S3_NOT_PERMITTED);
    }
  }

  /** Statements that give table spectrum.sales, created here, the location {@code %s} too. */
  private static final List<String> ANOTHER_LOCATION = List.of(
      "alter table spectrum.sales set location '%s'",
      "alter table if exists spectrum.sales set location '%s'",
      "alter table spectrum.sales add partition (d='1') location '%s'",
      "alter table spectrum.sales add if not exists partition (d='1') location '%s', partition (d='2') location '%s'",
      "alter table spectrum.sales partition (d='1') set location '%s'",
      "create external table if not exists spectrum.sales (id int) stored as parquet location '%s'",
      "create external table spectrum.sales (id int) stored as parquet location '%s'",
      "create external table \"SPECTRUM\".\"SALES\" (id int) stored as parquet location '%s'");

  @Test
  void anInsertMustBeAllowedAtEveryLocationTheTableWasGiven() {
    String writable = "s3://data/out/sales/";
    String readOnly = "s3://data/in/sales/";
    for (String change : ANOTHER_LOCATION) {
      for (String[] order : new String[][] {{writable, readOnly}, {readOnly, writable}}) {
        String sql = "create external table spectrum.sales (id int) stored as parquet location '" + order[0] + "';\n"
            + change.formatted(order[1], order[1]) + ";\ninsert into spectrum.sales select 1";
        Decision decision = inspect(sql);
        assertThat(decision.statements()).as(sql).hasSize(3);
        assertThat(decision.statements().get(1).findings()).as(sql).isEmpty(); // reading either is allowed
        assertThat(rules(decision)).as(sql).containsExactly(RuleId.S3_NOT_PERMITTED);
        assertThat(decision.statements().get(2).findings().get(0).message()).contains("may not write " + readOnly);

        // the same statements as three texts of one connection
        Guard guard = new Guard(REGISTRY);
        Session session = Session.of("user1", null);
        for (String text : sql.split(";\n")) {
          Decision one = guard.inspect(text, session);
          session = one.sessionAfter();
          if (text.startsWith("insert")) {
            assertThat(rules(one)).as(sql).containsExactly(RuleId.S3_NOT_PERMITTED);
          }
        }
      }
    }
  }

  @Test
  void locationsThatAreAllWritableStillAllowTheInsert() {
    for (String change : ANOTHER_LOCATION) {
      String sql = "create external table spectrum.sales (id int) stored as parquet location 's3://data/out/a/';\n"
          + change.formatted("s3://data/out/b/", "s3://data/out/c/") + ";\ninsert into spectrum.sales select 1";
      Decision decision = inspect(sql);
      assertThat(rules(decision)).as(sql).isEmpty();
      assertThat(decision.statements().get(2).statement().command().resources().s3()).as(sql).hasSizeBetween(2, 3);
    }
  }
}
