/**
 * The role registry: the YAML (or JSON) file that mirrors the IAM rules of the account, loaded by
 * {@link dev.iamguard.policy.registry.RegistryLoader} into an immutable
 * {@link dev.iamguard.policy.registry.Registry} of clusters, roles (in the short
 * {@code trust:}/{@code allow:} form or as IAM documents), chains, grants, users, external schemas
 * and {@link dev.iamguard.policy.registry.PolicySettings}. One {@code *Reader} per section checks it
 * and reports every problem (the first thousand, and how many more) with its file and line at once
 * ({@link dev.iamguard.policy.registry.RegistryException}); nothing is defaulted silently. Also here:
 * the registry's S3 prefixes ({@link dev.iamguard.policy.registry.S3Prefix}), database user ARNs and
 * the ASSUMEROLE privileges a session holds once its GRANT/REVOKE statements are applied.
 *
 * <p>The registry reads IAM documents through {@link dev.iamguard.policy.iam} and knows nothing of
 * statements or rules.
 */
package dev.iamguard.policy.registry;
