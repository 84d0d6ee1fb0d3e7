package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.rules.Resolution.Unresolved;
import java.util.List;

/**
 * {@link RuleId#ARN_MALFORMED}: every role of the chain (and of CATALOG_ROLE) must be a valid role
 * ARN or, with {@code rewrite_aliases}, a registry alias or chain name where the guard can rewrite
 * it to its ARNs; every role a GRANT or REVOKE ASSUMEROLE names must be a role ARN, or the grant
 * would silently cover nothing. {@code 'SESSION'} is accepted only where Redshift accepts it.
 */
final class DenyMalformedArn extends Rule {
  private static final String ARN = "write arn:aws:iam::<12-digit account>:role/<name>";

  DenyMalformedArn() {
    super(RuleId.ARN_MALFORMED, Commands.union(Commands.AUTH_CARRYING, Commands.GRANTS));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<Unresolved> elements = in.resolved.unresolved();
    for (int at = 0; at < elements.size(); at++) {
      Unresolved element = elements.get(at);
      found = Inspection.append(found, finding(in, element));
    }
    return found;
  }

  private Finding finding(Inspection in, Unresolved element) {
    String subject = element.subject();
    return switch (element.reason()) {
      case NOT_A_ROLE -> {
        boolean aliases = in.registry.settings().rewriteAliases();
        yield in.finding(id(), subject, "'" + subject + "' is not a role ARN (" + element.detail() + ")"
                + (aliases ? " and no alias or chain in the registry has that name" : ""),
            ARN + (aliases ? ", or add the alias to " + in.registryFile()
                : "; aliases are rewritten only with policy.rewrite_aliases: true"));
      }
      case NOT_AN_ARN -> in.finding(id(), subject, "'" + subject + "' is not a role ARN (" + element.detail() + ")",
          ARN);
      case ALIAS_NOT_REWRITTEN -> in.finding(id(), subject, "'" + subject + "' names a registry alias but "
          + element.detail(), "write the role ARNs");
      case REWRITE_UNSAFE -> in.finding(id(), subject, "'" + subject + "' would be rewritten to " + element.detail()
          + ", which holds a quote, a backslash, a dollar sign or a comma (Redshift splits a chain at commas) that the"
          + " rewritten SQL text cannot carry safely",
          "write the role ARNs in the statement, with a quote doubled");
      case REWRITE_UNREADABLE -> in.finding(id(), subject, "'" + subject + "' is not rewritten: " + element.detail(),
          "write IAM_ROLE DEFAULT or the role ARNs as one plain single-quoted literal, with no literal after it");
      case SESSION_NOT_ACCEPTED -> in.finding(id(), subject, "IAM_ROLE 'SESSION' is accepted only by CREATE/ALTER "
          + "EXTERNAL SCHEMA and CREATE DATABASE, not by " + element.detail(), "name a role ARN");
    };
  }
}
