package dev.iamguard.sql;

import java.util.List;

/**
 * The AWS resources a statement makes Redshift touch with the credentials of its auth clause.
 *
 * @param s3 every S3 location read or written
 * @param lambda the Lambda function of CREATE EXTERNAL FUNCTION, or null
 * @param sagemaker the SageMaker endpoint (EXTERNAL FUNCTION, remote CREATE MODEL), or null
 * @param catalogDatabase the Glue/Athena or Hive database of CREATE EXTERNAL SCHEMA, or null
 * @param secretArn the Secrets Manager ARN of a federated or streaming schema, or null
 * @param region the REGION clause, or null
 * @param otherSource a non-S3 source such as {@code dynamodb://..}, {@code emr://..} or an https
 *     library URL, or null
 * @param schemaSource the source of an external schema ({@code FROM DATA CATALOG},
 *     {@code FROM HIVE METASTORE}, ...), or null when {@code FROM} is left out (the data catalog)
 *     or the statement has none
 * @param catalogId an external schema's {@code CATALOG_ID}: the account whose Glue Data Catalog
 *     holds the database, or null (the cluster's own)
 * @param catalogArn the Glue database ARN of {@code CREATE DATABASE ... FROM ARN
 *     'arn:aws:glue:region:account:database/name'}, or null
 */
public record Resources(
    List<S3Location> s3,
    String lambda,
    String sagemaker,
    String catalogDatabase,
    String secretArn,
    String region,
    String otherSource,
    SchemaSource schemaSource,
    String catalogId,
    String catalogArn) {

  /** No resources. */
  public static final Resources NONE = new Resources(List.of(), null, null, null, null, null, null, null, null, null);

  public Resources {
    s3 = List.copyOf(s3);
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
