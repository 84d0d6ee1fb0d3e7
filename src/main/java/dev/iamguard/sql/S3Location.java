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

  /**
   * What the location is to the statement, and so which keys the command can touch: a key prefix
   * (every key that starts with the location, as COPY reads and UNLOAD writes them) or one exact
   * key (a manifest, a JSONPaths file, a library or model archive).
   */
  public enum Purpose {
    /** COPY's data files: every key that starts with the location. */
    COPY_SOURCE(true),
    /** COPY's manifest file (one key; the files it lists are not visible to the guard). */
    MANIFEST(false),
    /** COPY's JSONPaths or Avro paths file (one key). */
    JSONPATHS(false),
    /** COPY's SSH manifest (one key; the hosts it lists are not AWS resources). */
    SSH_MANIFEST(false),
    /** UNLOAD's target: it writes keys that start with it ({@code <prefix>0000_part_00}, {@code <prefix>manifest}). */
    UNLOAD_TARGET(true),
    /** CREATE LIBRARY's archive (one key). */
    LIBRARY(false),
    /** CREATE MODEL's S3_BUCKET (the whole bucket). */
    MODEL_BUCKET(true),
    /** CREATE MODEL ... FROM 's3://..': a bring-your-own-model artifact (one key). */
    MODEL_ARTIFACT(false),
    /**
     * An external table's LOCATION (CREATE EXTERNAL TABLE, CETAS, ALTER TABLE ... LOCATION, INSERT
     * into it): every key that starts with it.
     */
    EXTERNAL_TABLE(true);

    private final boolean keyPrefix;

    Purpose(boolean keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** True when the command touches every key that starts with the location; false for one exact key. */
    public boolean keyPrefix() {
      return keyPrefix;
    }
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

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
