package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.registry.RoleConfig;

/**
 * {@link RuleId#LAMBDA_NOT_PERMITTED}: the Lambda function of CREATE EXTERNAL FUNCTION must be one
 * the last role may invoke ("For access to invoke Lambda functions for the CREATE EXTERNAL
 * FUNCTION command, add AWSLambdaRole"). Names, partial ARNs ({@code account:function:name}) and
 * full ARNs are resolved to the function's account, region and name first (Lambda's FunctionName
 * formats), so another account's function is denied unless the registry names it exactly.
 */
final class DenyUnpermittedLambda implements Rule {
  @Override
  public void check(Inspection in) {
    RoleConfig role = in.lastRole();
    String function = in.command.resources().lambda();
    if (role == null || function == null) {
      return;
    }
    String arn = AwsResourceArns.lambda(function, role.arn().partition(), in.cluster.region(), in.cluster.account());
    if (arn == null) {
      in.add(RuleId.LAMBDA_NOT_PERMITTED, function, "'" + function + "' is not a Lambda function name, partial ARN"
              + " (account:function:name) or function ARN, so the guard cannot tell which function runs",
          "write the function's name or its ARN arn:aws:lambda:<region>:<account>:function:<name>");
    } else if (!RoleAccess.mayInvoke(role, arn, in.cluster.region(), in.cluster.account())) {
      in.add(RuleId.LAMBDA_NOT_PERMITTED, function, "role " + role.arn() + " may not invoke Lambda function "
              + function + (arn.endsWith(":function:" + function) ? "" : " (" + arn + ")"),
          "allow lambda:InvokeFunction on " + arn + " for " + role.arn().name() + " (allow.lambda in "
              + in.registryFile() + "; another account's or region's function by its ARN)");
    }
  }
}
