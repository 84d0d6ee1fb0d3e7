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
  EXTERNAL_SCHEMA("EXTERNAL SCHEMA", "glue_database");

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

  /** What it reaches: {@code s3_read}, {@code s3_write}, {@code lambda}, {@code glue_database}. */
  public String resourceKind() {
    return resourceKind;
  }
}
