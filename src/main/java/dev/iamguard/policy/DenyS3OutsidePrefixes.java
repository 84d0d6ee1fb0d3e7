package dev.iamguard.policy;

import dev.iamguard.sql.S3Location;

/**
 * {@link RuleId#S3_NOT_PERMITTED}: every S3 location must lie within the last role's read
 * prefixes (COPY source, manifest, JSONPaths, CREATE LIBRARY) or write prefixes (UNLOAD target,
 * CREATE MODEL bucket): "we recommend enforcing the least privileges and restricting to only the
 * Amazon S3 buckets and key prefixes that Amazon Redshift requires."
 */
final class DenyS3OutsidePrefixes implements Rule {
  @Override
  public void check(Inspection in) {
    RoleConfig role = in.lastRole();
    if (role == null) {
      return;
    }
    for (S3Location location : in.command.resources().s3()) {
      boolean write = location.access() == S3Location.Access.WRITE;
      String uri = location.uri();
      String problem = S3Prefixes.problem(uri);
      if (problem != null) {
        in.add(RuleId.S3_NOT_PERMITTED, uri, "S3 location " + uri + " " + problem,
            "write the location as s3://bucket/prefix without such segments or encodings");
      } else if (!(write ? RoleAccess.mayWrite(role, uri) : RoleAccess.mayRead(role, uri))) {
        in.add(RuleId.S3_NOT_PERMITTED, uri, "role " + role.arn() + " may not " + (write ? "write" : "read")
                + " " + uri + " (" + purpose(location) + "); " + RoleAccess.describeS3(role, write),
            (write ? "unload" : "load") + " under a permitted prefix, or grant the prefix to the role (allow."
                + (write ? "s3_write" : "s3_read") + " in " + in.registryFile() + ") following least privilege");
      }
    }
  }

  private static String purpose(S3Location location) {
    return switch (location.purpose()) {
      case COPY_SOURCE -> "COPY source";
      case MANIFEST -> "COPY manifest";
      case JSONPATHS -> "JSONPaths file";
      case UNLOAD_TARGET -> "UNLOAD target";
      case LIBRARY -> "library archive";
      case MODEL_BUCKET -> "model S3_BUCKET";
    };
  }
}
