package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import java.util.List;

/**
 * {@link RuleId#EXTERNAL_SCHEMA_UNKNOWN}: Redshift reads and writes an external table's location
 * with its external schema's role, so the guard checks the location against that role
 * ({@link DenyS3OutsidePrefixes}) when it knows the role: an external schema created through the
 * guard earlier in the script or on the connection, else the registry's {@code external_schemas}.
 * Otherwise the location cannot be checked: a warning unless {@code policy.unknown_external_schema}
 * says otherwise.
 */
final class DenyUnknownExternalSchema extends Rule {
  DenyUnknownExternalSchema() {
    super(RuleId.EXTERNAL_SCHEMA_UNKNOWN, Commands.EXTERNAL_TABLES);
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    Resolution.UnknownSchema unknown = in.resolved.unknownSchema();
    Severity severity = Inspection.severity(in.registry.settings().unknownExternalSchema());
    if (unknown == null || severity == null) {
      return List.of();
    }
    String table = unknown.table();
    String schema = unknown.schema();
    String why = schema == null ? "table " + table + " names no external schema (external tables are always"
        + " schema-qualified)"
        : unknown.sessionIdentity() ? "external schema " + schema
            + " uses a role the guard cannot tell (IAM_ROLE 'SESSION', whose permissions no registry role describes;"
            + " or the schema was known with another role and CREATE EXTERNAL SCHEMA IF NOT EXISTS, or a quoted name"
            + " with capitals, may have left that role in place; or a schema was renamed from or to this name here"
            + " (ALTER SCHEMA ... RENAME TO), which the server may have refused)"
        : "the role of external schema " + schema + " is unknown: it was not created through the guard here and is not"
            + " under external_schemas in " + in.registryFile();
    return List.of(in.finding(id(), unknown.location(), "location " + unknown.location() + " of " + table
            + " is read or written with its schema's role, but " + why + ", so the location cannot be checked",
        "list the schema under external_schemas (with the IAM_ROLE of its CREATE EXTERNAL SCHEMA) in "
            + in.registryFile() + ", or set policy.unknown_external_schema", in.statement.start(), severity));
  }
}
