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

  /**
   * Parses {@code s3://bucket[/prefix]}, checking the bucket naming rules. A problem quotes no part
   * of a text that holds an {@code @} ({@link #mayHoldUserInfo}): the bucket it quoted was the
   * user info up to the password's first {@code /} (red-team review: {@code bucket name
   * "AKIA...:wJalr..."}).
   */
  public static Parsed parse(String text) {
    if (!text.startsWith("s3://")) {
      return failure("must start with s3://");
    }
    String bucket = dev.iamguard.sql.S3Location.bucket(text);
    String key = dev.iamguard.sql.S3Location.key(text);
    boolean quote = !mayHoldUserInfo(text);
    if (!quote && (bucket.indexOf('@') >= 0 || bucket.indexOf(':') >= 0)) {
      return failure("it holds user info before the bucket (a user name, access key or password, not shown"
          + " here); an S3 location takes no credentials: remove them (the role's access stands for them)");
    }
    String problem = bucketProblem(bucket, quote);
    if (problem == null) {
      problem = keyProblem(key, quote);
    }
    return problem == null ? new Parsed(Optional.of(new S3Prefix(bucket, key)), Optional.empty())
        : failure(problem);
  }

  /**
   * True when {@code text} holds an {@code @}, which may end user info ({@code s3://user:password@bucket});
   * the password may hold {@code /}, {@code :} or another {@code @}, so no part of such a text is quoted
   * in a problem: the line and field path name it.
   */
  public static boolean mayHoldUserInfo(String text) {
    return text.indexOf('@') >= 0;
  }

  private static Parsed failure(String problem) {
    return new Parsed(Optional.empty(), Optional.of(problem));
  }

  /**
   * Why {@code bucket} is no S3 bucket name, or null. Read char by char rather than by a regular
   * expression: a registry of thousands of roles holds a prefix for each of their locations, and the
   * matchers were a quarter of its loading time.
   */
  private static String bucketProblem(String bucket, boolean quote) {
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
      return "bucket name" + quoted(bucket, quote) + " must be 3-63 lowercase letters, digits, dots or"
          + " hyphens, starting and ending with a letter or digit";
    }
    if (bucket.contains("..") || digitsAndDots && IP_ADDRESS.matcher(bucket).matches()
        || bucket.startsWith("xn--") || bucket.endsWith("-s3alias") || bucket.endsWith("--ol-s3")) {
      return "bucket name" + quoted(bucket, quote) + " is not allowed by S3 (two adjacent dots, an IP"
          + " address, or a reserved xn-- prefix or -s3alias/--ol-s3 suffix)";
    }
    return null;
  }

  /** A prefix that climbs or doubles slashes would not mean what it seems to grant. */
  private static String keyProblem(String key, boolean quote) {
    if (key.contains("//") || key.startsWith("/")) {
      return "key prefix" + quoted(key, quote) + " must not contain an empty segment (//)";
    }
    for (int start = 0; start <= key.length(); ) {
      int end = key.indexOf('/', start);
      end = end < 0 ? key.length() : end;
      if (end - start <= 2 && end > start && key.charAt(start) == '.' && key.charAt(end - 1) == '.') {
        return "key prefix" + quoted(key, quote) + " must not contain a . or .. segment";
      }
      start = end + 1;
    }
    return null;
  }

  /** {@code " \"part\""}, or nothing when the location may hold user info. */
  private static String quoted(String part, boolean quote) {
    return quote ? " \"" + part + "\"" : "";
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
