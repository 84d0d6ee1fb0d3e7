package dev.iamguard.policy.awscli;

/**
 * A managed policy (customer or AWS managed) with the document of its default version.
 *
 * @param arn e.g. {@code arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess}
 * @param name the policy name
 * @param document the default version's document
 * @param source where it was read, for messages
 */
record ManagedPolicy(String arn, String name, Object document, String source) {

  /** A policy read from nowhere in particular (tests). */
  ManagedPolicy(String arn, String name, Object document) {
    this(arn, name, document, "");
  }

  /** The account id, or {@code aws} for an AWS managed policy. */
  String owner() {
    return arn.split(":", 6)[4];
  }
}
