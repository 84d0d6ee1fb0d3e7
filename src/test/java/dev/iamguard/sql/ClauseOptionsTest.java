package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.A;
import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The options each grammar reports, with their values and the exact text they cover (what
 * {@code explain} shows and a rewrite replaces), for the clauses the external schema, model and
 * external table grammars read themselves rather than as generic options.
 */
class ClauseOptionsTest {
  /** Each option as NAME[values]@covered text. */
  static List<String> options(String sql) {
    List<String> out = new ArrayList<>();
    for (CommandOption o : one(sql).options()) {
      out.add(o.name() + o.values() + "@" + sql.substring(o.span().start(), o.span().end()));
    }
    return out;
  }

  @Test
  void externalSchemaDatabaseAndCatalogId() {
    assertThat(options("create external schema s from data catalog database 'db' catalog_id '123456789012' "
        + "iam_role '" + A + "' region 'us-east-1'")).containsExactly(
            "DATABASE[db]@database 'db'", "CATALOG_ID[123456789012]@catalog_id '123456789012'",
            "REGION[us-east-1]@region 'us-east-1'");
    RedshiftCommand catalog = one("create external schema s from data catalog database 'db' iam_role '" + A + "'");
    assertThat(catalog.resources().catalogDatabase()).isEqualTo("db");
    assertThat(options("create external schema s from postgres database 'pg' schema 'x' uri 'h' "
        + "secret_arn 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' iam_role '" + A + "'"))
        .containsExactly("DATABASE[pg]@database 'pg'", "SCHEMA[x]@schema 'x'", "URI[h]@uri 'h'");
    assertThat(one("create external schema s from postgres database 'pg' iam_role '" + A + "'").resources().catalogDatabase())
        .as("a federated database is not a catalog database").isNull();
    assertThat(options("create external schema s database 'db' iam_role '" + A + "'"))
        .containsExactly("DATABASE[db]@database 'db'");
    assertThat(one("create external schema s database 'db' iam_role '" + A + "'").resources().catalogDatabase()).isEqualTo("db");
    assertThat(options("create external schema s catalog_id iam_role '" + A + "'")).containsExactly("CATALOG_ID[]@catalog_id");
  }

  @Test
  void modelSourcesSettingsAndEndpoint() {
    String query = "create model m from (select a, b from t) target b function f iam_role default "
        + "settings (s3_bucket 'bk', max_runtime 50)";
    RedshiftCommand c = one(query);
    assertThat(options(query)).containsExactly("TARGET[B]@target b", "FUNCTION[F]@function f", "MAX_RUNTIME[50]@max_runtime 50");
    assertThat(c.query().text()).isEqualTo("select a, b from t");
    assertThat(query.substring(c.query().span().start(), c.query().span().end())).isEqualTo("(select a, b from t)");
    assertThat(c.resources().s3()).containsExactly(
        new S3Location("s3://bk", S3Location.Access.WRITE, S3Location.Purpose.MODEL_BUCKET));

    assertThat(options("create model m from 'job-name' function f iam_role default settings (s3_bucket 'bk')"))
        .containsExactly("FROM[job-name]@'job-name'", "FUNCTION[F]@function f");
    RedshiftCommand artifact = one("create model m from 's3://b/model.tar.gz' function f iam_role default");
    assertThat(artifact.resources().s3()).containsExactly(
        new S3Location("s3://b/model.tar.gz", S3Location.Access.READ, S3Location.Purpose.MODEL_ARTIFACT));
    assertThat(one("create model m from 'S3://b/m.tar.gz' function f iam_role default").resources().s3())
        .extracting(S3Location::purpose).containsExactly(S3Location.Purpose.MODEL_ARTIFACT);

    String table = "create model m from s.t target b function f iam_role default sagemaker 'ep' settings (s3_bucket 'bk')";
    RedshiftCommand fromTable = one(table);
    assertThat(options(table)).containsExactly("TARGET[B]@target b", "FUNCTION[F]@function f");
    assertThat(fromTable.query().reads()).containsExactly("s.t");
    assertThat(table.substring(fromTable.query().span().start(), fromTable.query().span().end())).isEqualTo("s.t");
    assertThat(fromTable.problems()).isEmpty();

    assertThat(options("create model m from t function f iam_role default settings"))
        .containsExactly("FUNCTION[F]@function f", "SETTINGS[]@settings");
  }

  @Test
  void externalTableLocations() {
    RedshiftCommand plain = one("create external table s.t (a int) stored as parquet location 's3://b/t/' "
        + "table properties ('x'='y')");
    assertThat(plain.resources().s3()).containsExactly(
        new S3Location("s3://b/t/", S3Location.Access.READ, S3Location.Purpose.EXTERNAL_TABLE));
    assertThat(plain.query()).isNull();
    String cetas = "create external table s.t (a int) stored as textfile location 's3://b/t/' as select 1";
    RedshiftCommand written = one(cetas);
    assertThat(written.resources().s3()).extracting(S3Location::access).containsExactly(S3Location.Access.WRITE);
    assertThat(cetas.substring(written.query().span().start(), written.query().span().end())).isEqualTo("select 1");
    String parenthesized = "create external table s.t stored as parquet location 's3://b/t/' as (select 1)";
    assertThat(one(parenthesized).resources().s3()).extracting(S3Location::access).containsExactly(S3Location.Access.WRITE);
    assertThat(one("create external table s.t stored as parquet location 's3://b/t/' as with w as (select 1) select * from w")
        .resources().s3()).extracting(S3Location::access).containsExactly(S3Location.Access.WRITE);
    assertThat(one("create external table s.t stored as parquet location 's3://b/t/' as").resources().s3())
        .extracting(S3Location::access).containsExactly(S3Location.Access.READ);
    assertThat(one("create external table s.t location").resources().s3()).isEmpty();
    assertThat(one("alter table s.t add partition (d='1') location 's3://b/p/'").resources().s3())
        .extracting(S3Location::uri).containsExactly("s3://b/p/");
    assertThat(one("alter table s.t add partition (d='1') location").kind()).isEqualTo(CommandKind.OTHER);
  }
}
