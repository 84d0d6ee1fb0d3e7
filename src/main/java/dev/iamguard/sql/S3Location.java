package dev.iamguard.sql;

/**
 * An S3 location a statement reads or writes, as written.
 *
 * @param uri the location, e.g. {@code s3://bucket/prefix}
 * @param access whether Redshift reads or writes it
 * @param purpose what the statement uses it for
 */
public record S3Location(String uri, Access access, Purpose purpose) {
  /** Read or write. */
  public enum Access { READ, WRITE }

  /** What the location is to the statement. */
  public enum Purpose {
    /** COPY's data files (an object key prefix). */
    COPY_SOURCE,
    /** COPY's manifest file. */
    MANIFEST,
    /** COPY's JSONPaths or Avro paths file. */
    JSONPATHS,
    /** UNLOAD's target prefix. */
    UNLOAD_TARGET,
    /** CREATE LIBRARY's archive. */
    LIBRARY,
    /** CREATE MODEL's S3_BUCKET. */
    MODEL_BUCKET
  }

  /** The bucket of {@code s3://bucket[/key]} (the scheme in any case): what lies before the first slash. */
  public static String bucket(String uri) {
    int slash = uri.indexOf('/', 5);
    return slash < 0 ? uri.substring(5) : uri.substring(5, slash);
  }

  /** The key (prefix) of {@code s3://bucket[/key]}, exactly as written: empty for a bare bucket. */
  public static String key(String uri) {
    int slash = uri.indexOf('/', 5);
    return slash < 0 ? "" : uri.substring(slash + 1);
  }
}
