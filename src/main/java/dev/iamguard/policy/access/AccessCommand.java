package dev.iamguard.policy.access;

/** The commands the access report lists, each with the kind of resource it reaches. */
public enum AccessCommand {
  /** COPY: the S3 locations it may read. */
  COPY("COPY", "s3_read"),
  /** UNLOAD: the S3 locations it may write. */
  UNLOAD("UNLOAD", "s3_write"),
  /** CREATE EXTERNAL FUNCTION: the Lambda functions it may invoke. */
  EXTERNAL_FUNCTION("EXTERNAL FUNCTION", "lambda"),
  /** CREATE EXTERNAL SCHEMA: the Glue catalog databases it may use. */
  EXTERNAL_SCHEMA("EXTERNAL SCHEMA", "glue_database"),
  /**
   * COPY FROM 'dynamodb://...': the DynamoDB tables it may read. Listed apart from the S3 COPY so
   * that a table a registry newly lets COPY read is a gain in {@code registry diff} (before, no
   * table was listed and widening {@code dynamodb_tables} to {@code "*"} diffed as nothing gained).
   */
  COPY_DYNAMODB("COPY", "dynamodb_table"),
  /** COPY FROM 'emr://...': the EMR clusters it may read (as {@link #COPY_DYNAMODB}). */
  COPY_EMR("COPY", "emr_cluster");

  private final String label;
  private final String resourceKind;

  AccessCommand(String label, String resourceKind) {
    this.label = label;
    this.resourceKind = resourceKind;
  }

  /** As people write it: {@code EXTERNAL FUNCTION}. */
  public String label() {
    return label;
  }

  /**
   * What it reaches: {@code s3_read}, {@code s3_write}, {@code lambda}, {@code glue_database},
   * {@code dynamodb_table}, {@code emr_cluster}.
   */
  public String resourceKind() {
    return resourceKind;
  }
}
