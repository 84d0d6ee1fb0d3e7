package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.registry.S3Prefixes;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.S3Location;
import java.util.Locale;
import java.util.List;

/**
 * {@link RuleId#S3_NOT_PERMITTED}: every S3 location must lie within the read prefixes (COPY
 * source, manifest, JSONPaths, CREATE LIBRARY, CREATE MODEL artifact, external table) or write
 * prefixes (UNLOAD target, CREATE MODEL bucket, CETAS) of whoever the statement acts as: the last
 * role of its chain, its access keys ({@code policy.keys}), or for an external table the role of
 * its external schema, with which Redshift reads and writes it (facts 3: "CREATE EXTERNAL TABLE |
 * none (uses the schema's role)"). Seed: "we recommend enforcing the
 * least privileges and restricting to only the Amazon S3 buckets and key prefixes that Amazon
 * Redshift requires." A location is judged by every key the command can touch (see
 * {@link S3Location.Purpose#keyPrefix()}).
 */
final class DenyS3OutsidePrefixes extends Rule {
  DenyS3OutsidePrefixes() {
    super(RuleId.S3_NOT_PERMITTED, Commands.union(Commands.AUTH_CARRYING, Commands.EXTERNAL_TABLES));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    Grantee grantee = in.resolved.grantee();
    if (grantee == null) {
      return List.of();
    }
    List<Finding> found = List.of();
    String other = in.command.resources().otherSource();
    CommandKind kind = in.command.kind();
    if (other != null && !readableWithoutS3(kind, other)) {
      String against = Commands.AUTH_CARRYING.contains(kind) ? "what " + grantee.name() + " may touch"
          : "the prefixes of " + grantee.name(); // an external table's schema role
      found = Inspection.append(found, in.finding(id(), other, "location '" + other + "' " + S3Prefixes.problem(other)
              + " the guard can check against " + against,
          "write the location as s3://bucket/prefix" + (kind == CommandKind.COPY
              ? " (COPY also reads dynamodb:// and emr:// sources)" : "")));
    }
    List<S3Location> locations = in.command.resources().s3();
    for (int at = 0; at < locations.size(); at++) {
      S3Location location = locations.get(at);
      Finding finding = judge(in, grantee, location);
      found = finding == null ? found : Inspection.append(found, finding);
    }
    return found;
  }

  private Finding judge(Inspection in, Grantee grantee, S3Location location) {
    boolean write = location.access() == S3Location.Access.WRITE;
    String uri = location.uri();
    String problem = S3Prefixes.problem(uri);
    boolean prefix = location.purpose().keyPrefix();
    if (problem != null) {
      return in.finding(id(), uri, "S3 location " + uri + " " + problem,
          "write the location as s3://bucket/prefix without such segments or encodings");
    }
    // every finding from here judges the grantee's permissions: it names the role (an alias or DEFAULT
    // repointed to another role makes it another finding)
    Finding denied = deny(in, grantee, location, write, uri, prefix);
    return denied == null ? null : denied.withRole(grantee.roleArn());
  }

  private Finding deny(Inspection in, Grantee grantee, S3Location location, boolean write, String uri, boolean prefix) {
    if (write ? grantee.mayWrite(uri, prefix) : grantee.mayRead(uri, prefix)) {
      String other = grantee.otherReadingDenied(uri, prefix, write);
      if (other == null) {
        return in.command.deletesUnder(location) && !grantee.mayDelete(uri, prefix) ? in.finding(id(), uri, grantee.name()
                + " may not delete " + uri + " (every key starting with it), which CLEANPATH removes before the UNLOAD "
                + "writes there (s3:DeleteObject); " + grantee.describeS3(true),
            "grant s3:DeleteObject under the target following least privilege, or unload without CLEANPATH")
            : null;
      }
      return in.finding(id(), uri, grantee.name() + " may not " + (write ? "write" : "read") + " " + other
              + ", which " + uri + " names if its percent escapes are decoded or its key ends at ? or # ("
              + purpose(location) + "); how Redshift reads such keys is not documented, so every reading must be"
              + " permitted; " + grantee.describeS3(write),
          "write the key without percent escapes, ? or #, or grant every reading following least privilege");
    }
    // inside as one key, outside as a prefix: it also touches the keys beside the folder
    // (a bare bucket or a key ending in / has nothing beside it: what it touches lies under it)
    String key = S3Location.key(uri);
    boolean beside = prefix && !key.isEmpty() && !key.endsWith("/")
        && (write ? grantee.mayWrite(uri, false) : grantee.mayRead(uri, false));
    String conservative = beside ? null : grantee.conservativeS3(uri, prefix, write);
    return in.finding(id(), uri, grantee.name() + " may not " + (write ? "write" : "read")
            + " " + uri + " (" + purpose(location) + (prefix ? ", every key starting with it" : "") + "); "
            + (beside ? "as a prefix it also " + (write ? "writes" : "reads") + " keys beside the permitted folder, such as "
                + uri + "x; " : "")
            + grantee.describeS3(write)
            + (conservative == null ? "" : "; " + conservative),
        conservative != null ? "state the key's value in request_context of the cluster or role (" + in.registryFile()
            + ") if the requests carry it, or change the policy"
            : beside ? "end the location with / (" + uri + "/) or name a deeper prefix"
            : (write ? "write" : "read") + " under a permitted prefix, or grant the prefix ("
                + grantee.registryKey(write ? "s3_write" : "s3_read", in.registryFile()) + ") following least privilege");
  }

  /**
   * Sources Redshift reads without S3: COPY from DynamoDB or EMR (checked by
   * {@link DenyUnpermittedSource}), CREATE LIBRARY from an https URL (no AWS resource). Anything
   * else that is not s3:// (a leading space, s3:/, another scheme) cannot be checked, so it is
   * refused (fail closed).
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
      case SSH_MANIFEST -> "SSH manifest";
      case UNLOAD_TARGET -> "UNLOAD target";
      case LIBRARY -> "library archive";
      case MODEL_BUCKET -> "model S3_BUCKET";
      case MODEL_ARTIFACT -> "model artifact";
      case EXTERNAL_TABLE -> "external table location";
    };
  }
}
