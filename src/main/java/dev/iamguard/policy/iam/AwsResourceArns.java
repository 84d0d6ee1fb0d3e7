package dev.iamguard.policy.iam;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARNs of the non-S3 resources a statement names, resolved the way AWS resolves them, so
 * that a resource of another account, region or partition can never pass for a registry entry
 * that names only the cluster's own.
 */
public final class AwsResourceArns {
  private static final String NAME = "[A-Za-z0-9_-]{1,64}";
  private static final String QUALIFIER = "(?::[A-Za-z0-9$_-]{1,128})?";
  /**
   * Lambda's name formats (its API reference, FunctionName): "Function name – my-function
   * (name-only), my-function:v1 (with alias). Function ARN –
   * arn:aws:lambda:us-west-2:123456789012:function:my-function. Partial ARN –
   * 123456789012:function:my-function. You can append a version number or alias to any of the
   * formats."
   */
  private static final Pattern FULL_FUNCTION = Pattern.compile(
      "arn:(aws(?:-[a-z]+)*):lambda:([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}):([0-9]{12}):function:(" + NAME + QUALIFIER + ")");
  private static final Pattern PARTIAL_FUNCTION = Pattern.compile("([0-9]{12}):function:(" + NAME + QUALIFIER + ")");
  private static final Pattern BARE_FUNCTION = Pattern.compile(NAME + QUALIFIER);
  private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}");
  /** Longer than any region name ({@code us-isob-east-1}, {@code ap-southeast-5}), so never one. */
  private static final int LONGEST_REGION = 32;

  /**
   * Whether {@code text} is shaped as a region name ({@code us-west-2}), whether or not AWS has
   * that region: no wildcard, nothing an ARN would read as more than one region. The length is
   * checked first: the pattern's repeated group recurses once a dash, and a value of thousands
   * of dashes overflowed the stack (in a registry and in a script's REGION clause).
   */
  public static boolean isRegionName(String text) {
    return text.length() <= LONGEST_REGION && REGION.matcher(text).matches();
  }
  /** A Glue database: {@code arn:aws:glue:region:account-id:database/database name}. */
  private static final Pattern GLUE_DATABASE = Pattern.compile(
      "arn:(aws(?:-[a-z]+)*):glue:([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}):([0-9]{12}):database/([^/*?\\s]{1,255})");

  private AwsResourceArns() {}

  /**
   * The full ARN of the Lambda function {@code text} names: a bare name (with an optional
   * version or alias) is the function of {@code account} and {@code region} (Lambda looks a name up
   * in the caller's account: callers pass the invoking role's account and the cluster's region), a
   * partial ARN keeps its account; null when it is none of Lambda's formats.
   */
  public static String lambda(String text, String partition, String region, String account) {
    if (FULL_FUNCTION.matcher(text).matches()) {
      return text;
    }
    Matcher partial = PARTIAL_FUNCTION.matcher(text);
    if (partial.matches()) {
      return "arn:" + partition + ":lambda:" + region + ":" + text;
    }
    return BARE_FUNCTION.matcher(text).matches()
        ? "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + text : null;
  }

  /**
   * A registry {@code allow.lambda} entry as an ARN pattern ({@code *} and {@code ?} kept): a
   * name means a function of {@code account} (the role's own) in {@code region} (the cluster's), a
   * partial ARN one in {@code region}.
   */
  public static String lambdaPattern(String entry, String partition, String region, String account) {
    if (entry.startsWith("arn:")) {
      return entry;
    }
    if (entry.contains(":function:")) {
      return "arn:" + partition + ":lambda:" + region + ":" + entry;
    }
    return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + entry;
  }

  /** The parts of a Glue database ARN: {partition, region, account, database}; null when it is none. */
  public static String[] glueDatabase(String arn) {
    Matcher m = GLUE_DATABASE.matcher(arn);
    return m.matches() ? new String[] {m.group(1), m.group(2), m.group(3), m.group(4)} : null;
  }

  public static String glueDatabaseArn(String partition, String region, String account, String database) {
    return "arn:" + partition + ":glue:" + region + ":" + account + ":database/" + database;
  }
}
