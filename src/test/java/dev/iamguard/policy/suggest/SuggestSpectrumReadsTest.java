package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IAM documents let Spectrum read what a script's external tables need (review of suggest, finding 2:
 * a partitioned table's script was complete without the partition reads). The actions are those of the
 * "minimum permissions required to use Redshift Spectrum with Amazon S3, AWS Glue, and Athena" policy of
 * the AWS page "IAM policies for Amazon Redshift Spectrum" (corpus {@code spectrum-glue-s3-minimal.json}:
 * {@code glue:GetPartition}, {@code glue:GetPartitions}, {@code glue:BatchGetPartition},
 * {@code s3:GetBucketLocation}); {@code RedshiftRequests.EVALUATED_ACTIONS} names {@code glue:GetPartitions}
 * among Spectrum's table reads, and corpus {@code spectrum-glue-catalog-arns.json} grants it with
 * GetTable(s) on the catalog, the database and {@code table/<database>/*}, as the documents grant it.
 * Over the statements that make a table (CREATE EXTERNAL TABLE partitioned or not, CETAS, ADD PARTITION):
 * each action is allowed on the table's catalog resources and its bucket, and refused on another
 * database's table and another bucket.
 */
class SuggestSpectrumReadsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String GLUE = "arn:aws:glue:us-east-1:123456789012";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "CREATE EXTERNAL TABLE spectrum.sales_part (salesid int) PARTITIONED BY (saledate char(10)) STORED AS PARQUET "
          + "LOCATION 's3://bkt1/sales_part/'; ALTER TABLE spectrum.sales_part ADD IF NOT EXISTS PARTITION "
          + "(saledate='2008-01-01') LOCATION 's3://bkt1/sales_part/saledate=2008-01-01/'; "
          + "SELECT count(*) FROM spectrum.sales_part",
      "CREATE EXTERNAL TABLE spectrum.sales_part (salesid int) STORED AS PARQUET LOCATION 's3://bkt1/sales_part/'",
      "CREATE EXTERNAL TABLE spectrum.sales_part PARTITIONED BY (a int) STORED AS PARQUET "
          + "LOCATION 's3://bkt1/sales_part/' AS SELECT 1 AS b, 2 AS a",
      "ALTER TABLE spectrum.sales_part ADD PARTITION (d='1') LOCATION 's3://bkt1/sales_part/d=1/'"})
  void spectrumMayReadTheTablesPartitionsAndItsBucketsLocation(String statements) throws Exception {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-east-1", null,
        List.of("u1"), 0));
    String script = "CREATE EXTERNAL SCHEMA spectrum FROM DATA CATALOG DATABASE 'spectrumdb' IAM_ROLE '" + ROLE
        + "'; " + statements + ";";
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("part.sql", statement);
    }
    Suggestion s = needs.suggestion();
    assertThat(s.gaps()).isEmpty();
    SuggestedRole role = s.roles().get(0);
    String document = IamDocumentsTest.json(IamDocuments.of(role, s.cluster()).permissions());
    IamPolicy permissions = IamPolicy.parse(document, "R1.json");
    for (String action : List.of("glue:GetPartitions", "glue:GetPartition", "glue:BatchGetPartition")) {
      for (String resource : List.of(GLUE + ":catalog", GLUE + ":database/spectrumdb",
          GLUE + ":table/spectrumdb/sales_part")) {
        assertThat(permissions.evaluate(action, resource, Map.of())).as(action + " " + resource)
            .isEqualTo(IamEffect.ALLOW);
      }
      assertThat(permissions.evaluate(action, GLUE + ":table/otherdb/sales_part", Map.of())).as(action)
          .isNotEqualTo(IamEffect.ALLOW);
    }
    // the guard evaluates no statement of s3:GetBucketLocation alone (not one of its EVALUATED_ACTIONS):
    // the document is read as written, the table's bucket and nothing else
    assertThat(document).contains("{\"Effect\":\"Allow\",\"Action\":\"s3:GetBucketLocation\","
        + "\"Resource\":[\"arn:aws:s3:::bkt1\"]}");
    // the table's objects are read, as before
    String object = statements.contains("LOCATION 's3://bkt1/sales_part/'") ? "sales_part/x/f.parquet" : "sales_part/d=1/f";
    assertThat(permissions.evaluate("s3:GetObject", "arn:aws:s3:::bkt1/" + object, Map.of())).isEqualTo(IamEffect.ALLOW);
  }
}
