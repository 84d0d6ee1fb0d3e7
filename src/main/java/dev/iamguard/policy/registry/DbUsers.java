package dev.iamguard.policy.registry;

/**
 * Database user ARNs, the values a trust policy's sts:ExternalId condition lists. Seed: "The ARN
 * for a database user is in the format: arn:aws:redshift:region:account-id:dbuser:cluster-name/user-name".
 */
public final class DbUsers {
  private DbUsers() {}

  /**
   * The ARN of {@code user} on {@code cluster}; for a serverless workgroup
   * {@code dbuser:serverless-<account>-<workgroup id>/<user>} (facts 5): the registry's
   * {@code workgroup_id}, or when it states none the workgroup's name in its place (which trusts
   * written for the id do not match: {@code registry import} writes the id).
   */
  public static String arn(ClusterConfig cluster, String user) {
    String resource = cluster.serverless()
        ? "serverless-" + cluster.account() + "-" + cluster.workgroupId().orElse(cluster.id()) : cluster.id();
    return "arn:" + partition(cluster.region()) + ":redshift:" + cluster.region() + ":"
        + cluster.account() + ":dbuser:" + resource + "/" + user;
  }

  /** The AWS partition a region belongs to. */
  public static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }
}
