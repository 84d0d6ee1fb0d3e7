package dev.iamguard.local;

import dev.iamguard.sql.S3Location;
import java.sql.SQLException;

/**
 * An {@code s3://bucket/key} location split into bucket and key. The key is kept exactly as
 * written: for a COPY source it is a prefix, not a folder.
 *
 * @param bucket the bucket name
 * @param key the object key or key prefix, possibly empty
 */
record S3Uri(String bucket, String key) {

  /** Parses {@code s3://bucket/key}; the scheme is matched case-insensitively, as Redshift does. */
  static S3Uri parse(String uri) throws SQLException {
    if (uri == null || !uri.regionMatches(true, 0, "s3://", 0, 5)) {
      throw SqlStates.invalidOption("not an S3 location: '" + uri + "' (expected s3://bucket/key)");
    }
    String bucket = S3Location.bucket(uri);
    checkBucket(bucket, uri);
    return new S3Uri(bucket, S3Location.key(uri));
  }

  /**
   * Refuses a bucket no S3 bucket name can be: empty, starting with a dot (the staging folder's
   * and {@code .}/{@code ..}), or holding {@code @}, {@code :} or a backslash (user info, a port,
   * a Windows separator). Such a location is not printed whole: its user info may hold a secret.
   */
  static void checkBucket(String bucket, String uri) throws SQLException {
    if (bucket.indexOf('@') >= 0 || bucket.indexOf(':') >= 0 || bucket.indexOf('\\') >= 0) {
      throw SqlStates.invalidOption("an S3 location's bucket holds '@', ':' or '\\' (user info, a port or a"
          + " Windows separator), which no bucket name can; the location is not printed, as user info may hold"
          + " a secret");
    }
    if (bucket.isEmpty() || bucket.startsWith(".")) {
      throw SqlStates.invalidOption("S3 location '" + uri + "' has no valid bucket name");
    }
  }

  /** This bucket with another key. */
  S3Uri withKey(String otherKey) {
    return new S3Uri(bucket, otherKey);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
