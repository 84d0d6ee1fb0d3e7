/**
 * The policy engine's API, used by every face (the JDBC driver, the command line, local tests):
 * {@link dev.iamguard.policy.Guard}, the one facade, decides on SQL text for a
 * {@link dev.iamguard.policy.Session} and returns a {@link dev.iamguard.policy.Decision} with a
 * {@link dev.iamguard.policy.StatementDecision} per statement, its
 * {@link dev.iamguard.policy.Finding}s (each named by a {@link dev.iamguard.policy.RuleId} with a
 * {@link dev.iamguard.policy.Severity}), a {@link dev.iamguard.policy.Verdict} and the text to send.
 *
 * <p>Below it, arrows point only down: {@code Guard} uses {@link dev.iamguard.policy.rules} (the
 * resolver and the rules), which use these API types and {@link dev.iamguard.policy.registry} (the
 * role registry), which uses {@link dev.iamguard.policy.iam} (IAM documents), which uses
 * {@link dev.iamguard.policy.yaml}. Nothing in this package but {@code Guard} uses the rules, and
 * nothing in policy knows JDBC or the command line ({@code PolicyLayersTest} holds it so).
 */
package dev.iamguard.policy;
