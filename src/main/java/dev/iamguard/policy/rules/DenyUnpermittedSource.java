package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.CommandKind;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#SOURCE_NOT_PERMITTED}: COPY from {@code dynamodb://table} or
 * {@code emr://cluster/path} must name a table or cluster the registry lets the last role (or the
 * access keys) read: {@code allow.dynamodb_tables} and {@code allow.emr_clusters}, or
 * {@code dynamodb:Scan}/{@code DescribeTable} and {@code elasticmapreduce:ListInstances} in IAM
 * documents. The COPY usage notes: "To move data between your cluster and another AWS resource,
 * such as Amazon S3, Amazon DynamoDB, Amazon EMR, or Amazon EC2, your cluster must have permission
 * to access the resource and perform the necessary actions." Nothing is let through unchecked.
 */
final class DenyUnpermittedSource extends Rule {
  /** DynamoDB table names: 3 to 255 letters, digits, {@code _ - .}. */
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  /** EMR cluster ids: {@code j-} and upper-case letters and digits. */
  private static final Pattern CLUSTER = Pattern.compile("j-[A-Z0-9]{1,64}");

  DenyUnpermittedSource() {
    super(RuleId.SOURCE_NOT_PERMITTED, Set.of(CommandKind.COPY));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    String source = in.command.resources().otherSource();
    Grantee grantee = in.resolved.grantee();
    if (source == null || grantee == null) {
      return List.of();
    }
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.startsWith("dynamodb://")) {
      String table = source.substring("dynamodb://".length());
      if (!TABLE.matcher(table).matches()) {
        return unreadable(in, source, "DynamoDB table name");
      } else if (!grantee.mayScanTable(table, in.resourceRegion())) {
        return List.of(in.finding(id(), source, grantee.name() + " may not scan DynamoDB table " + table,
            "copy from a permitted table, or allow it (" + grantee.registryKey("dynamodb_tables", in.registryFile())
                + "; dynamodb:Scan and dynamodb:DescribeTable in IAM)").withRole(grantee.roleArn()));
      }
    } else if (lower.startsWith("emr://")) {
      String rest = source.substring("emr://".length());
      int slash = rest.indexOf('/');
      String cluster = slash < 0 ? rest : rest.substring(0, slash);
      if (!CLUSTER.matcher(cluster).matches() || slash < 0 || slash == rest.length() - 1) {
        return unreadable(in, source, "EMR cluster id and file path");
      } else if (!grantee.mayReadCluster(cluster, in.resourceRegion())) {
        return List.of(in.finding(id(), source, grantee.name() + " may not read from EMR cluster " + cluster,
            "copy from a permitted cluster, or allow it (" + grantee.registryKey("emr_clusters", in.registryFile())
                + "; elasticmapreduce:ListInstances in IAM)").withRole(grantee.roleArn()));
      }
    }
    return List.of();
  }

  private List<Finding> unreadable(Inspection in, String source, String what) {
    return List.of(in.finding(id(), source, "COPY source '" + source + "' has no valid " + what
            + ", so the guard cannot check it",
        "write dynamodb://<table> or emr://<cluster id>/<path>"));
  }
}
