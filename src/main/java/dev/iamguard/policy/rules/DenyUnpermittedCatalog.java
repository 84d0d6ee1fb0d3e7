package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.sql.Resources;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.policy.ExternalCatalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link RuleId#CATALOG_NOT_PERMITTED}: the Glue/Athena database of CREATE EXTERNAL SCHEMA, or the
 * Glue database of {@code CREATE DATABASE ... FROM ARN}, must be one the catalog's role may use:
 * the last role of CATALOG_ROLE when one is given, else the last role of IAM_ROLE ("For Redshift
 * Spectrum, in addition to Amazon S3 access, add AWSGlueConsoleFullAccess or
 * AmazonAthenaFullAccess"). The database is named by its ARN (Glue: "Each AWS account has a single
 * Data Catalog in an AWS Region with the 12-digit account ID as the catalog ID"): the account of
 * {@code CATALOG_ID} or of the ARN, the region of {@code REGION} or of the ARN, so a catalog of
 * another account is denied unless the registry allows that catalog.
 */
final class DenyUnpermittedCatalog extends Rule {
  DenyUnpermittedCatalog() {
    // the commands that name a catalog database (sql.Resources#catalogDatabase, #catalogArn)
    super(RuleId.CATALOG_NOT_PERMITTED, Set.of(CommandKind.CREATE_EXTERNAL_SCHEMA, CommandKind.ALTER_EXTERNAL_SCHEMA,
        CommandKind.CREATE_DATABASE), Fact.ROLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    Resources resources = in.command.resources();
    String database = resources.catalogDatabase();
    RoleConfig role = in.resolved.catalog().isEmpty() ? in.resolved.lastRole() : in.resolved.catalog().last();
    if (role != null && database == null && resources.catalogArn() == null
        && in.command.kind() == CommandKind.ALTER_EXTERNAL_SCHEMA && in.command.objectName() != null) {
      // ALTER names no database: the one the schema was created from here, which its new role reads
      Optional<ExternalCatalog.Database> created = in.session.externalCatalog().database(in.command.objectName())
          .or(() -> in.registry.externalSchema(ExternalCatalog.schemaName(in.command.objectName()),
                  in.session.cluster())
              .flatMap(listed -> listed.database().map(name -> new ExternalCatalog.Database(name,
                  listed.catalogId().orElse(null), listed.region().orElse(null)))));
      if (created.isPresent()) {
        ExternalCatalog.Database from = created.get();
        String account = from.catalogId() != null ? from.catalogId() : in.cluster().account();
        String region = from.region() != null ? from.region() : in.resourceRegion();
        return RoleArn.isAccountId(account) ? judge(in, role, from.name(), AwsResourceArns.glueDatabaseArn(
            role.arn().partition(), region, account, from.name()), account)
            : refuse(in, account, "CATALOG_ID '" + account + "' is not a 12-digit AWS account id");
      }
    }
    if (database == null && resources.catalogArn() == null || role == null) {
      return List.of();
    }
    String partition = role.arn().partition();
    String region = in.resourceRegion();
    String account = resources.catalogId() != null ? resources.catalogId() : in.cluster().account();
    if (resources.catalogArn() != null) {
      String[] parts = AwsResourceArns.glueDatabase(resources.catalogArn());
      if (parts == null) {
        return refuse(in, resources.catalogArn(), "'" + resources.catalogArn() + "' is not a Glue database ARN"
            + " arn:aws:glue:<region>:<account>:database/<name>");
      }
      partition = parts[0];
      region = parts[1];
      account = parts[2];
      database = parts[3];
    } else if (!RoleArn.isAccountId(account)) {
      return refuse(in, account, "CATALOG_ID '" + account + "' is not a 12-digit AWS account id");
    }
    return judge(in, role, database, AwsResourceArns.glueDatabaseArn(partition, region, account, database), account);
  }

  private List<Finding> judge(Inspection in, RoleConfig role, String database, String arn, String account) {
    if (RoleAccess.mayUseCatalog(role, arn, database, account, in.cluster().account(), in.requests())) {
      return List.of();
    }
    boolean foreign = !account.equals(in.cluster().account());
    return List.of(in.finding(id(), database, "role " + role.arn() + " may not use catalog database "
            + database + (foreign ? " of account " + account + "'s Glue Data Catalog (" + arn + ")" : ""),
        role.allow().isEmpty() ? "allow glue:GetDatabase on " + arn.substring(0, arn.indexOf(":database/"))
            + ":catalog and " + arn + " in the permission policies of " + role.arn().name()
            : "allow the Glue database " + (foreign ? arn : database) + " for " + role.arn().name()
            + " (allow.glue_databases in " + in.registryFile() + (foreign ? "; another account's catalog by its ARN" : "")
            + ")").withRole(role.arn().toString()));
  }

  private List<Finding> refuse(Inspection in, String subject, String problem) {
    return List.of(in.finding(id(), subject, problem + ", so the guard cannot tell which catalog is used",
        "name the catalog as AWS does"));
  }
}
