package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A clause that names the one resource (or role chain) a statement is judged by, written twice:
 * a data catalog schema's {@code DATABASE}, {@code CATALOG_ID} or {@code REGION}, an external
 * function's {@code LAMBDA} (or {@code LAMBDA} beside {@code SAGEMAKER}), {@code CREATE DATABASE
 * ... FROM ARN}, and {@code CATALOG_ROLE}. The grammar kept the last value (or, for CATALOG_ROLE,
 * joined both literals into one chain), so {@code database 'otherdb' database 'exampledb'} was
 * judged as exampledb while Redshift, if it takes such a clause at all, may read otherdb. Which one
 * it reads is not documented (Redshift refuses most repeated clauses), so the guard denies every
 * repeat. Before the fix every repeated statement below whose last value is the permitted one was
 * allowed. Controls: each clause written once is judged by its value (the permitted one allowed,
 * the other denied), so what the repeat hid is a value the guard does judge.
 */
class RepeatedResourceClauseTest {
  static final String ROLE = "'arn:aws:iam::123456789012:role/RedshiftCopyUnload'";
  static final Guard SAMPLE = SampleGuard.load();
  /** The sample registry with the Glue database granted in us-west-2 only, so REGION matters. */
  static final Guard REGIONAL = regional();

  /** {@code head}, the clause (keyword {@code keyword}, value) once or twice, {@code tail}. */
  record Shape(String name, Guard guard, String head, String keyword, String good, String bad, String tail) {
    String once(String keywordSpelling, String value) {
      return head + " " + keywordSpelling + " '" + value + "'" + tail;
    }

    String twice(String keywordSpelling, String between, String first, String second) {
      return head + " " + keywordSpelling + " '" + first + "'" + between + keywordSpelling + " '" + second + "'" + tail;
    }
  }

  static Guard regional() {
    try {
      String text = Files.readString(Path.of("samples/registry.yaml"));
      String regional = text.replaceFirst("glue_databases: \\[exampledb\\]",
          "glue_databases: [\"arn:aws:glue:us-west-2:123456789012:database/exampledb\"]");
      assertThat(regional).isNotEqualTo(text);
      return new Guard(RegistryLoader.parse(regional, "regional.yaml", Path.of("samples")));
    } catch (IOException | RegistryException e) {
      throw new AssertionError(e);
    }
  }

  static List<Shape> shapes() {
    return List.of(
        new Shape("DATABASE", SAMPLE, "create external schema s9 from data catalog", "database", "exampledb",
            "otherdb", " iam_role " + ROLE),
        new Shape("CATALOG_ID", SAMPLE, "create external schema s9 from data catalog database 'exampledb' iam_role "
            + ROLE, "catalog_id", "123456789012", "210987654321", ""),
        new Shape("REGION", REGIONAL, "create external schema s9 from data catalog database 'exampledb' iam_role "
            + ROLE, "region", "us-west-2", "eu-west-1", ""),
        new Shape("REGION AS", REGIONAL, "create external schema s9 from data catalog database 'exampledb'",
            "region as", "us-west-2", "eu-west-1", " iam_role " + ROLE),
        new Shape("LAMBDA", SAMPLE, "create external function f(int) returns int stable", "lambda",
            "exampleLambdaFunction", "otherFunction", " iam_role " + ROLE),
        new Shape("FROM ARN", SAMPLE, "create database d", "from arn",
            "arn:aws:glue:us-west-2:123456789012:database/exampledb",
            "arn:aws:glue:us-west-2:123456789012:database/otherdb", " iam_role " + ROLE));
  }

  static Decision inspect(Guard guard, String sql) {
    return guard.inspect(sql, Session.of("user1", null));
  }

  static List<String> spellings(String keyword) {
    return List.of(keyword, keyword.toUpperCase(Locale.ROOT),
        Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1));
  }

  /** Where the statement stands in a text: alone, after another statement, before one. */
  static List<String> placements(String sql) {
    return List.of(sql, "select 1;\n" + sql, sql + ";\nselect 2", "select 1; " + sql + "; select 2;");
  }

  static final List<String> BETWEEN = List.of(" ", "\n", "\t", " /* c */ ", " --c\n", "/**/");

  static void assertDenied(Guard guard, String sql, String clause) {
    Decision decision = inspect(guard, sql);
    assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
    assertThat(decision.findings()).as(sql).anySatisfy(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.AUTH_UNPARSEABLE);
      assertThat(f.message()).contains(clause + " is given twice");
    });
  }

  @Test
  void onceTheClauseIsJudgedByItsValue() {
    for (Shape shape : shapes()) {
      for (String spelling : spellings(shape.keyword())) {
        String good = shape.once(spelling, shape.good());
        assertThat(inspect(shape.guard(), good).verdict()).as(good).isEqualTo(Verdict.ALLOW);
        String bad = shape.once(spelling, shape.bad());
        assertThat(inspect(shape.guard(), bad).verdict()).as(bad).isEqualTo(Verdict.DENY);
      }
    }
  }

  @Test
  void aClauseNamingTheResourceTwiceIsDenied() {
    int count = 0;
    for (Shape shape : shapes()) {
      String keyword = shape.keyword().toUpperCase(Locale.ROOT).replace(" AS", "");
      // LAMBDA and SAGEMAKER are alternatives of one clause: the message names both
      String clause = keyword.equals("LAMBDA") ? "LAMBDA or SAGEMAKER" : keyword;
      for (String spelling : spellings(shape.keyword())) {
        for (String between : BETWEEN) {
          for (String[] values : List.of(new String[] {shape.bad(), shape.good()},
              new String[] {shape.good(), shape.bad()}, new String[] {shape.good(), shape.good()})) {
            for (String sql : placements(shape.twice(spelling, between, values[0], values[1]))) {
              assertDenied(shape.guard(), sql, clause);
              count++;
            }
          }
        }
      }
    }
    assertThat(count).isEqualTo(6 * 3 * 6 * 3 * 4);
  }

  @Test
  void anExternalFunctionNamingALambdaAndAnEndpointIsDenied() {
    List<String> both = new ArrayList<>();
    for (String between : BETWEEN) {
      for (String lambda : spellings("lambda")) {
        for (String sagemaker : spellings("sagemaker")) {
          String l = lambda + " 'exampleLambdaFunction'";
          String s = sagemaker + " 'endpoint'";
          both.add(s + between + l);
          both.add(l + between + s);
        }
      }
    }
    for (String clauses : both) {
      for (String sql : placements("create external function f(int) returns int stable " + clauses
          + " iam_role " + ROLE)) {
        assertDenied(SAMPLE, sql, "LAMBDA or SAGEMAKER");
      }
    }
  }

  @Test
  void aSecondCatalogRoleDoesNotLengthenTheChain() {
    String head = "create external schema s9 from data catalog database 'exampledb' iam_role " + ROLE + " ";
    String roleA = "'arn:aws:iam::123456789012:role/RoleA'";
    String roleB = "'arn:aws:iam::210987654321:role/RoleB'";
    // the chain written as one literal is permitted: the two literals must not be read as it
    String chain = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
    assertThat(inspect(SAMPLE, head + "catalog_role " + chain).verdict()).isEqualTo(Verdict.ALLOW);
    for (String spelling : spellings("catalog_role")) {
      for (String between : BETWEEN) {
        for (String sql : placements(head + spelling + " " + roleA + between + spelling + " " + roleB)) {
          assertDenied(SAMPLE, sql, "CATALOG_ROLE");
        }
      }
    }
  }

  /**
   * CETAS with two LOCATIONs: the grammar turned only the last one into a location written, so a
   * first location the schema's role may read but not write was judged as read. The schema is
   * created in the same text with the role that reads s3://acmedata/redshift/ and writes only its
   * unload/ prefix.
   */
  @Test
  void aTableGivenTwoLocationsIsDenied() {
    String schema = "create external schema s2 from data catalog database 'exampledb' iam_role " + ROLE + ";\n";
    String readOnly = "'s3://acmedata/redshift/private/'";
    String writable = "'s3://acmedata/redshift/unload/x/'";
    List<String> heads = List.of("create external table s2.t stored as parquet",
        "create external table s2.t partitioned by (a) stored as parquet",
        "CREATE EXTERNAL TABLE s2.t ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE");
    List<String> queries = List.of(" as select 1 as a", " as (select 1 as a)", " as with q as (select 1 as a) select * from q",
        " table properties ('write.parallel'='off') as select 1 as a", "");
    int count = 0;
    for (String head : heads) {
      for (String query : queries) {
        for (String spelling : spellings("location")) {
          String once = schema + head + " " + spelling + " ";
          if (!query.isEmpty()) {
            assertThat(inspect(SAMPLE, once + writable + query).verdict()).as(once + writable).isEqualTo(Verdict.ALLOW);
            assertThat(inspect(SAMPLE, once + readOnly + query).verdict()).as(once + readOnly).isEqualTo(Verdict.DENY);
          }
          for (String between : BETWEEN) {
            for (String[] pair : List.of(new String[] {readOnly, writable}, new String[] {writable, readOnly},
                new String[] {writable, writable})) {
              String sql = schema + head + " " + spelling + " " + pair[0] + between + spelling + " " + pair[1] + query;
              assertDenied(SAMPLE, sql, "LOCATION");
              assertDenied(SAMPLE, "select 1;\n" + sql + ";\nselect 2", "LOCATION");
              count++;
            }
          }
        }
      }
    }
    assertThat(count).isEqualTo(3 * 5 * 3 * 6 * 3);
  }
}
