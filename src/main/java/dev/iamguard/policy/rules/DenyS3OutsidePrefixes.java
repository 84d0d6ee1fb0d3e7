package dev.iamguard.policy.rules;

import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.S3Location;
import java.util.Locale;

/**
 * {@link RuleId#S3_NOT_PERMITTED}: every S3 location must lie within the read prefixes (COPY
 * source, manifest, JSONPaths, CREATE LIBRARY, CREATE MODEL artifact, external table) or write
 * prefixes (UNLOAD target, CREATE MODEL bucket, CETAS) of whoever the statement acts as: the last
 * role of its chain, or its access keys ({@code policy.keys}). Seed: "we recommend enforcing the
 * least privileges and restricting to only the Amazon S3 buckets and key prefixes that Amazon
 * Redshift requires." A location is judged by every key the command can touch (see
 * {@link S3Location.Purpose#keyPrefix()}).
 */
final class DenyS3OutsidePrefixes implements Rule {
  @Override
  public void check(Inspection in) {
    Grantee grantee = in.grantee();
    if (grantee == null) {
      return;
    }
    String other = in.command.resources().otherSource();
    if (other != null && !readableWithoutS3(in.command.kind(), other)) {
      in.add(RuleId.S3_NOT_PERMITTED, other, "location '" + other + "' " + S3Prefixes.problem(other)
              + " the guard can check against what " + grantee.name() + " may touch",
          "write the location as s3://bucket/prefix" + (in.command.kind() == CommandKind.COPY
              ? " (COPY also reads dynamodb:// and emr:// sources)" : ""));
    }
    for (S3Location location : in.command.resources().s3()) {
      check(in, grantee, location);
    }
  }

  static void check(Inspection in, Grantee grantee, S3Location location) {
    boolean write = location.access() == S3Location.Access.WRITE;
    String uri = location.uri();
    String problem = S3Prefixes.problem(uri);
    boolean prefix = location.purpose().keyPrefix();
    if (problem != null) {
      in.add(RuleId.S3_NOT_PERMITTED, uri, "S3 location " + uri + " " + problem,
          "write the location as s3://bucket/prefix without such segments or encodings");
    } else if (!(write ? grantee.mayWrite(uri, prefix) : grantee.mayRead(uri, prefix))) {
      // inside as one key, outside as a prefix: it also touches the keys beside the folder
      boolean beside = prefix && (write ? grantee.mayWrite(uri, false) : grantee.mayRead(uri, false));
      in.add(RuleId.S3_NOT_PERMITTED, uri, grantee.name() + " may not " + (write ? "write" : "read")
              + " " + uri + " (" + purpose(location) + (prefix ? ", every key starting with it" : "") + "); "
              + (beside ? "as a prefix it also " + (write ? "writes" : "reads") + " keys beside the permitted folder, such as "
                  + uri + "x; " : "")
              + grantee.describeS3(write),
          beside ? "end the location with / (" + uri + "/) or name a deeper prefix"
              : (write ? "write" : "read") + " under a permitted prefix, or grant the prefix ("
                  + grantee.registryKey(write ? "s3_write" : "s3_read", in.registryFile()) + ") following least privilege");
    }
  }

  /**
   * Sources Redshift reads without S3: COPY from DynamoDB or EMR (checked by
   * {@link DenyUnpermittedSource}), CREATE LIBRARY from an https URL (no AWS resource). Anything
   * else that is not s3:// (a leading space, s3:/, another scheme) cannot be checked, so it is
   * refused (fail closed).
   */
  static boolean readableWithoutS3(CommandKind kind, String location) {
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
      case SSH_MANIFEST -> "SSH manifest";
      case UNLOAD_TARGET -> "UNLOAD target";
      case LIBRARY -> "library archive";
      case MODEL_BUCKET -> "model S3_BUCKET";
      case MODEL_ARTIFACT -> "model artifact";
      case EXTERNAL_TABLE -> "external table location";
    };
  }
}
