package dev.iamguard.policy;

/**
 * {@link RuleId#CATALOG_NOT_PERMITTED}: the Glue/Athena database of CREATE EXTERNAL SCHEMA must be
 * one the catalog's role may use: the last role of CATALOG_ROLE when one is given, else the last
 * role of IAM_ROLE ("For Redshift Spectrum, in addition to Amazon S3 access, add
 * AWSGlueConsoleFullAccess or AmazonAthenaFullAccess").
 */
final class DenyUnpermittedCatalog implements Rule {
  @Override
  public void check(Inspection in) {
    String database = in.command.resources().catalogDatabase();
    if (database == null) {
      return;
    }
    RoleConfig role = in.catalogRoles.isEmpty() ? in.lastRole() : in.catalogRoles.get(in.catalogRoles.size() - 1);
    if (role == null) {
      return;
    }
    if (!RoleAccess.mayUseCatalog(role, database, in.cluster.region(), in.cluster.account())) {
      in.add(RuleId.CATALOG_NOT_PERMITTED, database, "role " + role.arn() + " may not use catalog database "
              + database,
          "allow the Glue database " + database + " for " + role.arn().name() + " (allow.glue_databases in "
              + in.registryFile() + ")");
    }
  }
}
