package dev.iamguard.policy.iam;

import java.util.Optional;

/**
 * Whether an ARN written in a {@code Resource} or {@code NotResource} element has the parts every
 * ARN has: "arn:partition:service:region:account-id:resource-id ... the ARNs for some resources
 * omit the Region, the account ID, or both" (IAM User Guide, "Identify AWS resources with Amazon
 * Resource Names (ARNs)"), omitted as empty parts, as in {@code arn:aws:s3:::bucket/key}. An ARN
 * without them, such as {@code arn:aws:s3::bucket/key}, is an error of the policy grammar (Access
 * Analyzer's "Missing ARN field: Resource ARNs must include at least ... fields in the following
 * structure: arn:partition:service:region:account:resource"), and IAM refuses the document
 * (MalformedPolicyDocument "The policy failed legacy parsing", as moto's tests record it for
 * {@code arn:aws:s3::example_bucket}). Read as written it would match nothing, which in a Deny or a
 * NotResource widens what is allowed.
 *
 * <p>Only what is surely malformed is refused: fewer than six parts, an empty partition or
 * service, a wildcard in the service ("You can't use a wildcard in the service segment that
 * identifies the AWS product", IAM JSON policy elements: Resource; IAM's own error: "Resource
 * vendor must be fully qualified and cannot contain regexes") and white space in the parts before
 * the resource, which name a partition, a service, a region and an account. Wildcards elsewhere,
 * any partition, service or region name and the resource part (which may hold colons, slashes and
 * spaces) are left as they are.
 */
final class ResourceArnShape {

  /** How an ARN is written, told with every problem. */
  private static final String HOW = "an ARN has six parts, arn:partition:service:region:account:resource,"
      + " of which region and account may be empty but not left out (S3 objects: arn:aws:s3:::bucket/key)";
  private static final String[] PART_NAMES = {"arn", "partition", "service", "region", "account"};

  private ResourceArnShape() {}

  /**
   * What makes {@code text}, which starts with {@code arn:}, no ARN: why, then how an ARN is
   * written; empty when it is one.
   *
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17): a colon in
   *     one ({@code ${aws:username}}) separates no parts
   */
  static Optional<String> problem(String text, boolean variables) {
    String plain = withoutVariables(text, variables);
    // the colons that end the five parts before the resource, which keeps any further colon
    int[] ends = new int[PART_NAMES.length];
    int found = 0;
    for (int i = 0; i < plain.length() && found < ends.length; i++) {
      if (plain.charAt(i) == ':') {
        ends[found++] = i;
      }
    }
    if (found < ends.length) {
      return Optional.of("it has " + (found + 1) + " parts; " + HOW);
    }
    for (int part = 1; part < ends.length; part++) {
      int start = ends[part - 1] + 1;
      String name = PART_NAMES[part];
      String written = text.substring(start, ends[part]);
      String bare = plain.substring(start, ends[part]);
      if (bare.isEmpty() && part <= 2) {
        return Optional.of("its " + name + " is empty; " + HOW);
      }
      if (part == 2 && (bare.indexOf('*') >= 0 || bare.indexOf('?') >= 0)) {
        return Optional.of("its service \"" + written + "\" holds a wildcard, which IAM refuses (\"Resource"
            + " vendor must be fully qualified and cannot contain regexes\"): write one ARN per service; " + HOW);
      }
      if (bare.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
        return Optional.of("its " + name + " \"" + written + "\" holds white space; " + HOW);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code text} with every character of each policy variable replaced by {@code v}, so that its
   * colons, wildcards and spaces (a tag key may hold one) count for nothing while every other
   * character keeps its index. An unclosed variable is text, as {@link PolicyText} reads it.
   */
  private static String withoutVariables(String text, boolean variables) {
    int open = variables ? text.indexOf("${") : -1;
    if (open < 0) {
      return text;
    }
    StringBuilder plain = new StringBuilder(text);
    while (open >= 0) {
      int close = PolicyText.closing(text, open + 2);
      if (close < 0) {
        break;
      }
      for (int i = open; i <= close; i++) {
        plain.setCharAt(i, 'v');
      }
      open = text.indexOf("${", close + 1);
    }
    return plain.toString();
  }
}
