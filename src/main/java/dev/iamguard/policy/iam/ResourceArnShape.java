package dev.iamguard.policy.iam;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether IAM accepts an ARN written in a {@code Resource} or {@code NotResource} element: the
 * guard refuses what IAM refuses, and only that, so that a registry keeps loading whenever IAM
 * would take its documents. What IAM refuses is read from getmoto/moto's
 * {@code moto/iam/policy_validation.py} and {@code tests/test_iam/test_iam_policies.py}, whose
 * checks and messages were written from IAM's own answers to {@code CreatePolicy}, and from the IAM
 * User Guide. IAM parses the text as written, colons inside a policy variable counting as any
 * other, and refuses, in this order:
 *
 * <ul>
 *   <li>an empty partition, or one that cannot be a partition's name: IAM takes the partition of
 *       the account holding the policy, or a wildcard ({@code Partition "error" is not valid for
 *       resource ...}; issue threads record it for {@code aws} in GovCloud and China and for an
 *       unreplaced {@code ${ARN_PARTITION}}). Which partition the policy lives in is not known here,
 *       and the IAM User Guide lists three partitions while IAM knows more and new ones come, so
 *       only a text that no partition is named like ({@code aws} or {@code aws-...} in lower case
 *       letters and digits) is refused; a wildcard partition is left as written;
 *   <li>nothing after the partition ({@code arn:aws}): "Resource vendor must be fully qualified and
 *       cannot contain regexes.";
 *   <li>an empty service ({@code arn:aws::::bucket}): "The policy failed legacy parsing";
 *   <li>a wildcard in the service: "You can't use a wildcard in the service segment that
 *       identifies the AWS product" (IAM JSON policy elements: Resource);
 *   <li>a region in an IAM ARN ("IAM resource ... cannot contain region information.") or in an
 *       S3 ARN naming no account, i.e. a bucket or an object ("Resource ... can not contain region
 *       information."; S3's regional resources, such as access points and batch jobs, name an
 *       account). A region of wildcards only ({@code arn:aws:s3:*}) or holding a policy variable
 *       is left as written: what IAM answers for those is not recorded;
 *   <li>fewer than five colons with an empty part among them ({@code arn:aws:s3::bucket/key}, a
 *       part left out rather than left empty): "The policy failed legacy parsing".
 * </ul>
 *
 * <p>IAM accepts a short ARN without an empty part ({@code arn:aws:fdsasf} in moto's valid
 * documents, {@code arn:aws:s3:*}) and white space outside the partition; so does the guard,
 * matching them as written (a {@code *} ending the text may match across colons).
 */
final class ResourceArnShape {

  /** How an ARN is written, told with every problem. */
  private static final String HOW = "an ARN is arn:partition:service:region:account:resource, with region"
      + " and account left empty, not left out, where the resource has none (S3 objects: arn:aws:s3:::bucket/key)";
  /** The names partitions have: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-eusc, ... */
  private static final Pattern PARTITION_NAME = Pattern.compile("aws(-[a-z0-9]+)*");
  private static final String LEGACY = "IAM refuses it: \"The policy failed legacy parsing\"";

  private ResourceArnShape() {}

  /**
   * Why IAM refuses {@code text}, which starts with {@code arn:}, then how an ARN is written; empty
   * when IAM accepts it.
   *
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17), which makes
   *     a region holding one no region IAM can see written
   */
  static Optional<String> problem(String text, boolean variables) {
    String[] parts = text.split(":", -1);
    String partition = parts[1];
    if (partition.isEmpty()) {
      return refused("its partition is empty", "Partition \"\" is not valid for resource ...");
    }
    if (!wildcard(partition) && !PARTITION_NAME.matcher(partition).matches()) {
      return refused("its partition \"" + partition + "\" is no partition's name (aws, aws-cn, aws-us-gov, ...:"
          + " the one of the account holding the policy)",
          "Partition \"" + partition + "\" is not valid for resource ...");
    }
    if (parts.length < 3) {
      return refused("it names no service after its partition",
          "Resource vendor must be fully qualified and cannot contain regexes.");
    }
    String service = parts[2];
    if (service.isEmpty()) {
      return Optional.of("its service is empty; " + LEGACY + "; " + HOW);
    }
    if (wildcard(service)) {
      return Optional.of("its service \"" + service + "\" holds a wildcard, which the IAM User Guide forbids (\"You"
          + " can't use a wildcard in the service segment\"): write one ARN per service; " + HOW);
    }
    if (parts.length > 3 && writtenRegion(parts[3], variables)) {
      if (service.equals("iam")) {
        return refused("it names region \"" + parts[3] + "\", which an IAM ARN cannot have",
            "IAM resource ... cannot contain region information.");
      }
      if (service.equals("s3") && (parts.length < 5 || parts[4].isEmpty())) {
        return refused("it names region \"" + parts[3] + "\" but no account, which an S3 bucket or object ARN"
            + " cannot have",
            "Resource ... can not contain region information.");
      }
    }
    if (parts.length < 6 && text.contains("::")) {
      return Optional.of("it has only " + parts.length + " parts, yet an empty one (\"::\"): a part was left out"
          + " rather than left empty; " + LEGACY + "; " + HOW);
    }
    return Optional.empty();
  }

  private static Optional<String> refused(String why, String iam) {
    return Optional.of(why + "; IAM refuses it: \"" + iam + "\"; " + HOW);
  }

  private static boolean wildcard(String part) {
    return part.indexOf('*') >= 0 || part.indexOf('?') >= 0;
  }

  /** Whether {@code region} is written out: not empty, not only stars, no policy variable. */
  private static boolean writtenRegion(String region, boolean variables) {
    return !region.isEmpty() && !region.chars().allMatch(c -> c == '*') && !(variables && region.contains("${"));
  }
}
