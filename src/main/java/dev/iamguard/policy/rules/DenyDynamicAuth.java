package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.Span;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#AUTH_DYNAMIC}: a procedure body that builds an auth clause in dynamic SQL
 * ({@code EXECUTE '...'}), which no check before the procedure runs can see. The statements written
 * literally in the body are inspected one by one ({@link StatementInspector}).
 */
final class DenyDynamicAuth extends Rule {
  DenyDynamicAuth() {
    super(RuleId.AUTH_DYNAMIC, Set.of(CommandKind.CREATE_PROCEDURE));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    for (Span dynamic : in.command.dynamicAuth()) {
      found = Inspection.append(found, in.finding(id(), "dynamic SQL", "the procedure body builds an auth clause in "
              + "dynamic SQL, which cannot be verified before it runs",
          "write the COPY/UNLOAD literally in the body so it is checked, or check the generated SQL at run time",
          dynamic.start()));
    }
    return found;
  }
}
