package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.Span;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#AUTH_DYNAMIC}: a procedure body's (or a {@code DO} block's) dynamic SQL whose text is not constant
 * ({@code EXECUTE} of a variable, a call, a concatenation with anything but literals), which no
 * check before the procedure runs can see. The statements written literally in the body, and
 * those of constant {@code EXECUTE} texts, are inspected one by one ({@link StatementInspector}).
 * An error unless the registry says {@code policy.dynamic_sql: warn}.
 */
final class DenyDynamicAuth extends Rule {
  DenyDynamicAuth() {
    super(RuleId.AUTH_DYNAMIC, Set.of(CommandKind.CREATE_PROCEDURE, CommandKind.DO_BLOCK));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    Severity severity = in.registry.settings().dynamicSql() == PolicySettings.DynamicSql.WARN
        ? Severity.WARNING : Severity.ERROR;
    List<Span> dynamics = in.command.dynamicAuth();
    for (int at = 0; at < dynamics.size(); at++) {
      Span dynamic = dynamics.get(at);
      found = Inspection.append(found, in.finding(id(), "dynamic SQL", (in.command.kind() == CommandKind.DO_BLOCK ? "the DO block"
              : "the procedure body") + " runs dynamic SQL "
              + "(EXECUTE of a text that is not constant), whose statements and auth clauses cannot be verified "
              + "before it runs",
          "write the statement literally in the body, or EXECUTE a constant text (literals joined by ||) so it "
              + "is checked; policy.dynamic_sql: warn in " + in.registryFile() + " lets such procedures through",
          dynamic.start(), severity));
    }
    return found;
  }
}
