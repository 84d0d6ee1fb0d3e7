package dev.iamguard.policy;

/**
 * {@link RuleId#LAMBDA_NOT_PERMITTED}: the Lambda function of CREATE EXTERNAL FUNCTION must be one
 * the last role may invoke ("For access to invoke Lambda functions for the CREATE EXTERNAL
 * FUNCTION command, add AWSLambdaRole").
 */
final class DenyUnpermittedLambda implements Rule {
  @Override
  public void check(Inspection in) {
    RoleConfig role = in.lastRole();
    String function = in.command.resources().lambda();
    if (role == null || function == null) {
      return;
    }
    if (!RoleAccess.mayInvoke(role, function, in.cluster.region(), in.cluster.account())) {
      in.add(RuleId.LAMBDA_NOT_PERMITTED, function, "role " + role.arn() + " may not invoke Lambda function "
              + function,
          "allow lambda:InvokeFunction on " + function + " for " + role.arn().name() + " (allow.lambda in "
              + in.registryFile() + ")");
    }
  }
}
