package dev.iamguard.policy.registry;

import dev.iamguard.sql.Spelling;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS regions a registry may name (a cluster's {@code region}, a role's {@code trust.regions}),
 * so that a misspelt one ({@code us-wset-2}) is an error with a suggestion instead of a cluster no
 * role is ever trusted in. Every partition's public regions as AWS lists them: {@code aws},
 * {@code aws-cn}, {@code aws-us-gov}, the isolated {@code aws-iso*} partitions and the European
 * Sovereign Cloud. A region AWS opens later needs a newer iamguard.
 */
final class AwsRegions {
  static final Set<String> KNOWN = Set.of(
      // aws
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1",
      "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
      "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1",
      "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1",
      "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
      // aws-cn, aws-us-gov
      "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
      // aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
      "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "us-isof-east-1",
      "eusc-de-east-1");

  private AwsRegions() {}

  static boolean known(String region) {
    return KNOWN.contains(region);
  }

  /** The known region closest to a misspelt one. */
  static Optional<String> nearest(String region) {
    return Spelling.nearest(region, KNOWN);
  }
}
