package dev.iamguard.policy.rules;

import dev.iamguard.policy.ExternalCatalog;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.sql.S3Location;
import java.util.List;

/**
 * The S3 locations of external tables (CREATE EXTERNAL TABLE, CETAS, ALTER TABLE ... LOCATION,
 * INSERT into a known external table), which Redshift reads or writes with the role of the table's
 * external schema (facts 3: "CREATE EXTERNAL TABLE | none (uses the schema's role)"): checked
 * against that role's prefixes ({@link RuleId#S3_NOT_PERMITTED}) when the guard knows it (an
 * external schema created through the guard earlier in the script or on the connection, else the
 * registry's {@code external_schemas}); otherwise {@link RuleId#EXTERNAL_SCHEMA_UNKNOWN}, a warning
 * unless {@code policy.unknown_external_schema} says otherwise.
 */
final class DenyExternalLocation implements Rule {
  @Override
  public void check(Inspection in) {
    List<S3Location> locations = in.command.resources().s3();
    String other = in.command.resources().otherSource();
    if (locations.isEmpty() && other == null) {
      return;
    }
    String table = in.command.targetTable();
    String schema = table == null ? null : ExternalCatalog.schemaOf(table);
    List<RoleArn> chain = schema == null ? null : chain(in, schema);
    RoleConfig role = chain == null || chain.isEmpty() ? null : in.registry.role(chain.get(chain.size() - 1)).orElse(null);
    if (role == null) {
      unknown(in, table, schema, chain != null && chain.isEmpty(), other != null ? other : locations.get(0).uri());
      return;
    }
    Grantee grantee = Grantee.role(role);
    if (other != null) {
      in.add(RuleId.S3_NOT_PERMITTED, other, "location '" + other + "' " + S3Prefixes.problem(other)
          + " the guard can check against the prefixes of " + grantee.name(), "write the location as s3://bucket/prefix");
    }
    for (S3Location location : locations) {
      DenyS3OutsidePrefixes.check(in, grantee, location);
    }
  }

  /** The schema's chain: created through the guard in this session first, else the registry's entry. */
  private static List<RoleArn> chain(Inspection in, String schema) {
    return in.session.externalCatalog().schema(schema)
        .or(() -> in.registry.externalSchema(schema, in.cluster == null ? null : in.cluster.id())
            .map(ExternalSchemaConfig::chain))
        .orElse(null);
  }

  private static void unknown(Inspection in, String table, String schema, boolean sessionIdentity, String location) {
    Severity severity = Inspection.severity(in.registry.settings().unknownExternalSchema());
    if (severity == null) {
      return;
    }
    String why = schema == null ? "table " + table + " names no external schema (external tables are always"
        + " schema-qualified)"
        : sessionIdentity ? "external schema " + schema + " uses IAM_ROLE 'SESSION', whose permissions no registry role describes"
        : "the role of external schema " + schema + " is unknown: it was not created through the guard here and is not"
            + " under external_schemas in " + in.registryFile();
    in.add(RuleId.EXTERNAL_SCHEMA_UNKNOWN, location, "location " + location + " of " + table + " is read or written"
            + " with its schema's role, but " + why + ", so the location cannot be checked",
        "list the schema under external_schemas (with the IAM_ROLE of its CREATE EXTERNAL SCHEMA) in "
            + in.registryFile() + ", or set policy.unknown_external_schema", in.statement.start(), severity);
  }
}
