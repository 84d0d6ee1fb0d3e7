/**
 * Least privilege read from the scripts ({@code iamguard suggest}): {@link
 * dev.iamguard.policy.suggest.ScriptNeeds} reads every statement of the scripts, resolves each auth
 * clause as the guard does (ARNs, and with a registry its aliases, chain names and DEFAULT) and
 * collects per role what the statements need: the S3 key spaces read and written, Lambda functions,
 * catalog databases, the next role of each chain, who runs which command with which chain. The
 * {@link dev.iamguard.policy.suggest.Suggestion} it makes is rendered as a registry ({@link
 * dev.iamguard.policy.suggest.RegistryYaml}), IAM policy documents ({@link
 * dev.iamguard.policy.suggest.IamDocuments}) and GRANT ASSUMEROLE statements; with a registry it
 * also names what the registry grants and no statement uses. What cannot be resolved is listed as
 * a {@link dev.iamguard.policy.suggest.Gap}, never guessed.
 *
 * <p>Sits above the facade: it uses the registry, IAM names ({@code RoleArn}, resource ARNs) and the
 * SQL model, and knows no JDBC or command line.
 */
package dev.iamguard.policy.suggest;
