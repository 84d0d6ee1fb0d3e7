package dev.iamguard.policy;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.S3Location;
import java.util.Locale;

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
    String other = in.command.resources().otherSource();
    if (other != null && !readableWithoutS3(in.command.kind(), other)) {
      in.add(RuleId.S3_NOT_PERMITTED, other, "location '" + other + "' " + S3Prefixes.problem(other)
              + " the guard can check against the prefixes of role " + role.arn(),
          "write the location as s3://bucket/prefix" + (in.command.kind() == CommandKind.COPY
              ? " (COPY also reads dynamodb:// and emr:// sources)" : ""));
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

  /**
   * Sources Redshift reads without S3 that the registry does not model: COPY from DynamoDB or EMR,
   * CREATE LIBRARY from an https URL. Anything else that is not s3:// (a leading space, s3:/,
   * another scheme) cannot be checked, so it is refused (fail closed).
   */
  private static boolean readableWithoutS3(CommandKind kind, String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    return switch (kind) {
      case COPY -> lower.startsWith("dynamodb://") || lower.startsWith("emr://");
      case CREATE_LIBRARY -> lower.startsWith("https://");
      default -> false;
    };
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
