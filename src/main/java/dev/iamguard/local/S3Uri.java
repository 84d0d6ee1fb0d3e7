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
    String key = S3Location.key(uri);
    if (bucket.isEmpty() || bucket.startsWith(".")) {
      throw SqlStates.invalidOption("S3 location '" + uri + "' has no valid bucket name");
    }
    return new S3Uri(bucket, key);
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
