package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SQL as generators in the wild write it (redshift-auth-facts.md, section 7). */
class RealWorldShapesTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/Loader";

  static SqlStatement only(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    return statements.get(0);
  }

  @Test
  void airflowS3ToRedshiftWithCredentialsAndUpsertTempTable() {
    RedshiftCommand c = only("COPY #upsert_temp FROM 's3://bucket/key' credentials 'aws_iam_role=" + ROLE
        + "' region 'eu-west-1' csv;").command();
    assertThat(c.targetTable()).isEqualTo("#upsert_temp");
    assertThat(c.auth().form()).isEqualTo(AuthForm.CREDENTIALS);
    assertThat(c.auth().roles()).containsExactly(ROLE);
    assertThat(c.resources().region()).isEqualTo("eu-west-1");
  }

  @Test
  void airflowRedshiftToS3WithDollarQuotedQuery() {
    RedshiftCommand c = only("UNLOAD ($$SELECT * FROM public.orders WHERE note = 'it''s; fine'$$) TO "
        + "'s3://bucket/orders_' credentials 'aws_access_key_id=AKIA1;aws_secret_access_key=S1;token=T1' "
        + "PARALLEL OFF HEADER;").command();
    assertThat(c.kind()).isEqualTo(CommandKind.UNLOAD);
    assertThat(c.query().text()).isEqualTo("SELECT * FROM public.orders WHERE note = 'it''s; fine'");
    assertThat(c.query().reads()).containsExactly("public.orders");
    assertThat(c.auth().sessionToken()).isTrue();
    assertThat(c.auth().usesKeys()).isTrue();
  }

  @Test
  void dbtUnloadMacro() {
    RedshiftCommand c = only("UNLOAD ('SELECT * FROM \"analytics\".\"orders\"') TO 's3://bucket/dbt/orders_' "
        + "IAM_ROLE '" + ROLE + "' FORMAT AS PARQUET ALLOWOVERWRITE REGION 'us-east-1'").command();
    assertThat(c.auth().roles()).containsExactly(ROLE);
    assertThat(c.option("FORMAT").values()).containsExactly("PARQUET");
    assertThat(c.resources().region()).isEqualTo("us-east-1");
  }

  @Test
  void sparkRedshiftBackslashEscapedQuery() {
    String sql = "UNLOAD ('SELECT \"id\" FROM \"events\" WHERE \"kind\" = \\'click\\' ') TO 's3://tmp/spark/' "
        + "WITH CREDENTIALS 'aws_iam_role=" + ROLE + "' ESCAPE MANIFEST NULL AS '@NULL@'";
    RedshiftCommand c = only(sql).command();
    assertThat(c.query().text()).isEqualTo("SELECT \"id\" FROM \"events\" WHERE \"kind\" = 'click' ");
    assertThat(c.auth().roles()).containsExactly(ROLE);
    assertThat(c.resources().s3()).extracting(S3Location::uri).containsExactly("s3://tmp/spark/");
    assertThat(c.problems()).as("a legitimate backslash escape is not an ambiguity").isEmpty();
  }

  @Test
  void sparkRedshiftCopyWithManifest() {
    RedshiftCommand c = only("COPY \"public\".\"t\" FROM 's3://tmp/manifest.json' CREDENTIALS 'aws_iam_role="
        + ROLE + "' FORMAT AS AVRO 'auto' manifest TIMEFORMAT 'auto'").command();
    assertThat(c.resources().s3()).extracting(S3Location::purpose).containsExactly(S3Location.Purpose.MANIFEST);
  }

  @Test
  void amazonRedshiftUtilsDashesInsideTheQueryLiteral() {
    String sql = "UNLOAD ('SELECT * FROM s.t --WHERE a = 1') TO 's3://b/unload/s.t/' CREDENTIALS "
        + "'aws_iam_role=" + ROLE + ";master_symmetric_key=MSK' GZIP DELIMITER '\\\\t';\nSELECT 2;";
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(2);
    RedshiftCommand c = statements.get(0).command();
    assertThat(c.query().text()).isEqualTo("SELECT * FROM s.t --WHERE a = 1");
    assertThat(c.auth().credentialKeys()).containsExactly("aws_iam_role", "master_symmetric_key");
    assertThat(c.option("DELIMITER").value()).isEqualTo("\\t");
  }

  @Test
  void amazonRedshiftUtilsEscapedQuotesAroundKeys() {
    RedshiftCommand c = only("UNLOAD ( 'select * from t where k = \\'key\\'' ) TO 's3://b/u/' IAM_ROLE '"
        + ROLE + "' FORMAT PARQUET ALLOWOVERWRITE;").command();
    assertThat(c.query().text()).isEqualTo("select * from t where k = 'key'");
    assertThat(c.auth().roles()).containsExactly(ROLE);
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void queryLogsWithBlankedValues() {
    RedshiftCommand role = only("COPY t FROM 's3://b/k' IAM_ROLE ''").command();
    assertThat(role.auth().form()).isEqualTo(AuthForm.IAM_ROLE);
    assertThat(role.auth().roles()).isEmpty();
    assertThat(role.problems()).singleElement().extracting(Problem::reason).isEqualTo("IAM_ROLE value is empty");
    RedshiftCommand credentials = only("COPY t FROM 's3://b/k' credentials ''").command();
    assertThat(credentials.problems()).singleElement().extracting(Problem::reason)
        .isEqualTo("CREDENTIALS value is empty");
  }

  @Test
  void backslashGameHidingACopyFromOtherLexersIsFlagged() {
    // To Redshift this is one harmless literal; to a lexer without backslash escapes it ends at \'
    // and a COPY follows.
    for (String sql : List.of(
        "SELECT 'a\\'; COPY t FROM 's3://evil/' IAM_ROLE 'arn:aws:iam::999999999999:role/X'; --'",
        "SELECT 'a\\'; COPY t FROM ''s3://evil/'' IAM_ROLE ''arn:aws:iam::999999999999:role/X''; --'")) {
      SqlScript script = SqlScript.parse(sql);
      assertThat(script.statements()).hasSize(1);
      assertThat(script.statements().get(0).command().kind()).isEqualTo(CommandKind.OTHER);
      assertThat(script.statements().get(0).command().problems()).isNotEmpty()
          .allSatisfy(p -> assertThat(p.reason()).contains("backslash"));
    }
  }
}
