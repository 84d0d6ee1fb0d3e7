package dev.iamguard.policy.registry;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An S3 location {@code s3://bucket[/key-prefix]} of the registry's allow lists.
 *
 * @param bucket the bucket name
 * @param key the key or key prefix after {@code bucket/}, possibly empty (the whole bucket)
 */
public record S3Prefix(String bucket, String key) {

  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  /** The outcome of {@link #parse}: the location, or why the text is not one. */
  public record Parsed(Optional<S3Prefix> location, Optional<String> problem) {}

  /** Parses {@code s3://bucket[/prefix]}, checking the bucket naming rules. */
  public static Parsed parse(String text) {
    if (!text.startsWith("s3://")) {
      return failure("must start with s3://");
    }
    String bucket = dev.iamguard.sql.S3Location.bucket(text);
    String key = dev.iamguard.sql.S3Location.key(text);
    String problem = bucketProblem(bucket);
    if (problem == null) {
      problem = keyProblem(key);
    }
    return problem == null ? new Parsed(Optional.of(new S3Prefix(bucket, key)), Optional.empty())
        : failure(problem);
  }

  private static Parsed failure(String problem) {
    return new Parsed(Optional.empty(), Optional.of(problem));
  }

  /**
   * Why {@code bucket} is no S3 bucket name, or null. Read char by char rather than by a regular
   * expression: a registry of thousands of roles holds a prefix for each of their locations, and the
   * matchers were a quarter of its loading time.
   */
  private static String bucketProblem(String bucket) {
    int n = bucket.length();
    if (n == 0) {
      return "bucket name missing";
    }
    boolean digitsAndDots = true;
    boolean named = n >= 3 && n <= 63;
    for (int i = 0; named && i < n; i++) {
      char c = bucket.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      named = alphanumeric || (c == '.' || c == '-') && i > 0 && i < n - 1;
      digitsAndDots &= c >= '0' && c <= '9' || c == '.';
    }
    if (!named) {
      return "bucket name \"" + bucket + "\" must be 3-63 lowercase letters, digits, dots or"
          + " hyphens, starting and ending with a letter or digit";
    }
    if (bucket.contains("..") || digitsAndDots && IP_ADDRESS.matcher(bucket).matches()
        || bucket.startsWith("xn--") || bucket.endsWith("-s3alias") || bucket.endsWith("--ol-s3")) {
      return "bucket name \"" + bucket + "\" is not allowed by S3 (two adjacent dots, an IP"
          + " address, or a reserved xn-- prefix or -s3alias/--ol-s3 suffix)";
    }
    return null;
  }

  /** A prefix that climbs or doubles slashes would not mean what it seems to grant. */
  private static String keyProblem(String key) {
    if (key.contains("//") || key.startsWith("/")) {
      return "key prefix \"" + key + "\" must not contain an empty segment (//)";
    }
    for (int start = 0; start <= key.length(); ) {
      int end = key.indexOf('/', start);
      end = end < 0 ? key.length() : end;
      if (end - start <= 2 && end > start && key.charAt(start) == '.' && key.charAt(end - 1) == '.') {
        return "key prefix \"" + key + "\" must not contain a . or .. segment";
      }
      start = end + 1;
    }
    return null;
  }

  /** The ARN of the objects under this location, {@code arn:aws:s3:::bucket/key}. */
  public String objectArn(String partition) {
    return "arn:" + partition + ":s3:::" + bucket + "/" + key;
  }

  @Override
  public String toString() {
    return key.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + key;
  }
}
