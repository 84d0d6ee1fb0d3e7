package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.sql.CommandKind;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#LAMBDA_NOT_PERMITTED}: the Lambda function of CREATE EXTERNAL FUNCTION must be one
 * the last role may invoke ("For access to invoke Lambda functions for the CREATE EXTERNAL
 * FUNCTION command, add AWSLambdaRole"). Names, partial ARNs ({@code account:function:name}) and
 * full ARNs are resolved to the function's account, region and name first (Lambda's FunctionName
 * formats): a name is a function of the account of the role that invokes it (the chain's last role,
 * as in the chained example of the Redshift guide, whose RoleB of another account invokes
 * {@code exampleLambdaFunction}) in the cluster's region, so a function of any other account is
 * denied unless the registry names it exactly.
 */
final class DenyUnpermittedLambda extends Rule {
  DenyUnpermittedLambda() {
    // the only command with a LAMBDA clause (sql.Resources#lambda)
    super(RuleId.LAMBDA_NOT_PERMITTED, Set.of(CommandKind.CREATE_EXTERNAL_FUNCTION), Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    RoleConfig role = in.resolved.lastRole();
    String function = in.command.resources().lambda();
    if (role == null || function == null) {
      return List.of();
    }
    String region = in.cluster().region();
    // Lambda looks a function's name up in the caller's account: the last role's, across accounts too
    String account = role.arn().account();
    String arn = AwsResourceArns.lambda(function, role.arn().partition(), region, account);
    if (arn == null) {
      return List.of(in.finding(id(), function, "'" + function + "' is not a Lambda function name, partial ARN"
              + " (account:function:name) or function ARN, so the guard cannot tell which function runs",
          "write the function's name or its ARN arn:aws:lambda:<region>:<account>:function:<name>"));
    } else if (!RoleAccess.mayInvoke(role, arn, region, in.requests())) {
      return List.of(in.finding(id(), function, "role " + role.arn() + " may not invoke Lambda function "
              + function + (arn.endsWith(":function:" + function) && account.equals(in.cluster().account()) ? "" : " (" + arn + ")"),
          "allow lambda:InvokeFunction on " + arn + " for " + role.arn().name() + " (allow.lambda in "
              + in.registryFile() + "; another account's or region's function by its ARN)").withRole(role.arn().toString()));
    }
    return List.of();
  }
}
