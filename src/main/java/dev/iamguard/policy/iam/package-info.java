/**
 * IAM as AWS evaluates it, for the registry's {@code policy_files}: role ARNs
 * ({@link dev.iamguard.policy.iam.RoleArn}), policy documents read from JSON (raw or URL-encoded as
 * the IAM API returns them) into {@link dev.iamguard.policy.iam.IamPolicy}, their statements,
 * principals, conditions and wildcard patterns, and the evaluation of a request against them
 * (explicit deny over allow over the implicit deny). Also the ARN formats of the AWS resources
 * commands touch (Lambda functions, Glue databases). Knows nothing of the registry.
 */
package dev.iamguard.policy.iam;
