package dev.iamguard.local;

import java.util.Set;

/**
 * The option words Redshift accepts in COPY and UNLOAD (the parameter lists of the COPY and UNLOAD
 * references), so that an option the emulation refuses can be told apart: one Redshift has but the
 * emulation does not run, or a word Redshift does not know at all (a typo, which gets a suggestion).
 */
final class RedshiftOptions {
  /** COPY's parameters: data source, credentials, format, compression, conversion and load options. */
  static final Set<String> COPY = Set.of(
      "MANIFEST", "ENCRYPTED", "REGION", "SSH", "READRATIO", "CREDENTIALS", "IAM_ROLE", "ACCESS_KEY_ID",
      "SECRET_ACCESS_KEY", "SESSION_TOKEN", "MASTER_SYMMETRIC_KEY", "FORMAT", "CSV", "QUOTE", "DELIMITER",
      "FIXEDWIDTH", "SHAPEFILE", "AVRO", "JSON", "PARQUET", "ORC", "SERIALIZETOJSON", "BZIP2", "GZIP", "LZOP",
      "ZSTD", "ACCEPTANYDATE", "ACCEPTINVCHARS", "BLANKSASNULL", "DATEFORMAT", "EMPTYASNULL", "ENCODING",
      "ESCAPE", "EXPLICIT_IDS", "FILLRECORD", "IGNOREBLANKLINES", "IGNOREHEADER", "NULL", "REMOVEQUOTES",
      "ROUNDEC", "TIMEFORMAT", "TRIMBLANKS", "TRUNCATECOLUMNS", "COMPROWS", "COMPUPDATE", "IGNOREALLERRORS",
      "MAXERROR", "NOLOAD", "STATUPDATE", "JOB");
  /** UNLOAD's parameters. */
  static final Set<String> UNLOAD = Set.of(
      "IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN", "FORMAT", "CSV", "JSON",
      "PARQUET", "PARTITION", "MANIFEST", "HEADER", "DELIMITER", "FIXEDWIDTH", "ENCRYPTED", "KMS_KEY_ID",
      "MASTER_SYMMETRIC_KEY", "BZIP2", "GZIP", "ZSTD", "ADDQUOTES", "NULL", "ESCAPE", "ALLOWOVERWRITE",
      "CLEANPATH", "PARALLEL", "MAXFILESIZE", "ROWGROUPSIZE", "REGION", "EXTENSION");

  private RedshiftOptions() {}
}
