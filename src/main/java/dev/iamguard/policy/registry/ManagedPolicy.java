package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.IamPolicy;

/**
 * A managed policy of the registry's {@code managed_policies}, attached to roles by its ARN
 * ({@code policy_files.managed}) or used as a permissions boundary ({@code policy_files.boundary}).
 *
 * @param arn e.g. {@code arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess}
 * @param policy its document (the default version)
 */
public record ManagedPolicy(String arn, IamPolicy policy) {}
