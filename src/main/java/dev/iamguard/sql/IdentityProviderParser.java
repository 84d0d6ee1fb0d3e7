package dev.iamguard.sql;

/**
 * {@code CREATE IDENTITY PROVIDER name TYPE type NAMESPACE 'ns' [PARAMETERS 'json']
 * [APPLICATION_ARN 'arn'] [IAM_ROLE 'arn'] [AUTO_CREATE_ROLES ...]} and
 * {@code ALTER IDENTITY PROVIDER name [PARAMETERS 'json'] [NAMESPACE ns] [IAM_ROLE 'arn'] ...}
 * (IAM Identity Center): the role "provides permissions to make the connection to IAM Identity
 * Center" and is checked like any role.
 */
final class IdentityProviderParser {
  private IdentityProviderParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos++; // CREATE or ALTER
    c.acceptWords("IDENTITY", "PROVIDER");
    b.objectName = c.readName();
    ClauseLoop.run(c, b, null);
  }
}
