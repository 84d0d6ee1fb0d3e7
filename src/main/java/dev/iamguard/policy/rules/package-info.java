/**
 * What the guard checks, as a pipeline: {@link dev.iamguard.policy.rules.StatementInspector}
 * decides on one statement; {@code Resolver} turns its auth clause into an immutable
 * {@code Resolution} (cluster, chain, aliases, DEFAULT, the rewrite, whose permissions bound the
 * resources, and what could not be resolved); the {@code RuleBook} runs the rules phase by phase
 * (shape, command, identity, credentials, resolution, access), and a phase that denies ends the
 * inspection there and only there.
 *
 * <p>A rule is a final class named for what it denies ({@code DenyUnattachedRole}) that extends
 * {@code Rule}: its constructor declares its one {@link dev.iamguard.policy.RuleId}, the commands it
 * judges and the {@code Fact}s a statement needs for it to have anything to say (roles or keys, a
 * known or unknown user), and its one method, {@code evaluate}, is a pure function of the
 * {@code Inspection} (statement, session, registry, resolution) that returns findings. Each rule
 * id belongs to exactly one rule ({@code RuleBookTest}). To add a rule: add the id to
 * {@code RuleId}, write the class, and add one line to its phase in {@code RuleBook}; what the
 * rule needs resolved belongs in {@code Resolver}, and shared judgements (what a role trusts or may
 * do, the ASSUMEROLE grants) in {@code RoleAccess}, {@code TrustHops} and {@code AssumeRoleCheck}.
 */
package dev.iamguard.policy.rules;
