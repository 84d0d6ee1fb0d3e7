package dev.iamguard.policy.access;

import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.IamStatement;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.AllowConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources a role might reach with a command, read from what its registry entry grants (the
 * short form's lists, or the resources of its IAM documents' Allow statements, an Allow with
 * NotResource proposing everything): only proposals.
 * Each is then put to the guard as a statement, and listed only when the guard allows it, so a
 * Deny, a condition, a boundary or a missing s3:ListBucket that takes it away is the guard's to
 * apply, not this class's.
 *
 * <p>A wildcard in a proposal is kept in what the report shows ({@code s3://bucket/*&#47;in/}) and
 * replaced by a name no one uses in the statement put to the guard: the guard allowing that name
 * means the pattern, not the name, allowed it.
 */
final class Candidates {
  /** Stands for any name in a wildcard, in the statements put to the guard. */
  static final String ANY = "iamguard-any";

  private Candidates() {}

  /**
   * A proposed resource: what the report shows, and what the probing statement names.
   *
   * @param shown the resource as the report lists it
   * @param value the S3 location, Lambda function ARN or Glue database name the statement names
   * @param region for a Glue database: its catalog's region (null = the cluster's)
   * @param account for a Glue database: its catalog's account (null = the cluster's)
   */
  record Candidate(String shown, String value, String region, String account) {}

  static List<Candidate> of(RoleConfig role, AccessCommand command, ClusterConfig cluster) {
    Map<String, Candidate> found = new LinkedHashMap<>();
    if (role.allow().isPresent()) {
      shortForm(role.allow().get(), command, cluster, role.arn()).forEach(c -> found.putIfAbsent(c.shown(), c));
    }
    // inline and managed policies propose; the boundary only takes away, which the guard applies
    List<IamPolicy> identity = new ArrayList<>(role.permissionPolicies());
    role.managedPolicies().forEach(m -> identity.add(m.policy()));
    for (IamPolicy policy : identity) {
      for (IamStatement statement : policy.statements()) {
        if (statement.effect() == IamEffect.ALLOW) {
          // NotResource grants everything it does not name: proposed as "*", the guard takes away the rest
          List<String> resources = statement.notResource() ? List.of("*") : statement.resources();
          fromStatement(statement, resources, command, cluster, role.arn())
              .forEach(c -> found.putIfAbsent(c.shown(), c));
        }
      }
    }
    return List.copyOf(found.values());
  }

  private static List<Candidate> shortForm(AllowConfig allow, AccessCommand command, ClusterConfig cluster,
      RoleArn role) {
    String partition = role.partition();
    List<Candidate> list = new ArrayList<>();
    switch (command) {
      case COPY, UNLOAD -> {
        for (S3Prefix prefix : command == AccessCommand.COPY ? allow.s3Read() : allow.s3Write()) {
          // a prefix without a trailing slash is a folder and the key of that name: COPY its folder,
          // which is also what the table shows (a COPY of the location without the slash reads the
          // keys beside the folder too, which the guard refuses: probe 21a F3)
          String folder = prefix.key().isEmpty() || prefix.key().endsWith("/") ? prefix.toString() : prefix + "/";
          list.add(new Candidate(prefix.key().isEmpty() ? prefix + "/" : folder, folder, null, null));
        }
      }
      case EXTERNAL_FUNCTION -> {
        for (String entry : allow.lambda()) {
          // a function's name is looked up in the invoking role's account
          String pattern = AwsResourceArns.lambdaPattern(entry, partition, cluster.region(), role.account());
          list.add(new Candidate(pattern, instantiate(pattern), null, null));
        }
      }
      case EXTERNAL_SCHEMA -> {
        for (String entry : allow.glueDatabases()) {
          if (entry.startsWith("arn:")) {
            glue(entry, cluster).ifPresent(list::add);
          } else {
            list.add(new Candidate(AwsResourceArns.glueDatabaseArn(partition, cluster.region(), cluster.account(), entry),
                instantiate(entry), null, null));
          }
        }
      }
      default -> throw new IllegalStateException(command.name());
    }
    return list;
  }

  private static List<Candidate> fromStatement(IamStatement statement, List<String> resources, AccessCommand command,
      ClusterConfig cluster, RoleArn role) {
    String partition = role.partition();
    String action = switch (command) {
      case COPY -> "s3:GetObject";
      case UNLOAD -> "s3:PutObject";
      case EXTERNAL_FUNCTION -> "lambda:InvokeFunction";
      case EXTERNAL_SCHEMA -> "glue:GetDatabase";
    };
    boolean acts = statement.notAction() ? statement.actions().stream().noneMatch(a -> Wildcards.matchesIgnoringCase(a, action))
        : statement.actions().stream().anyMatch(a -> Wildcards.matchesIgnoringCase(a, action));
    if (!acts) {
      return List.of();
    }
    List<Candidate> list = new ArrayList<>();
    for (String resource : resources) {
      switch (command) {
        case COPY, UNLOAD -> s3(resource).ifPresent(list::add);
        case EXTERNAL_FUNCTION -> {
          if (resource.equals("*")) {
            // a name invokes the function of the role's own account
            String any = "arn:" + partition + ":lambda:" + cluster.region() + ":" + role.account() + ":function:*";
            list.add(new Candidate(any, instantiate(any), null, null));
          } else if (resource.split(":", 7).length >= 7 && resource.split(":")[2].equals("lambda")) {
            list.add(new Candidate(resource, instantiate(resource), null, null));
          } else if (resource.split(":", 6).length == 6 && resource.split(":")[2].equals("lambda")
              && resource.endsWith("*")) {
            // a final star in the resource part spans "function:<name>": every function of that account
            String[] f = resource.split(":", 6);
            String any = "arn:" + f[1] + ":lambda:" + (f[3].contains("*") || f[3].contains("?") ? cluster.region() : f[3])
                + ":" + (f[4].contains("*") || f[4].contains("?") ? role.account() : f[4]) + ":function:" + ANY;
            list.add(new Candidate(resource, any, null, null));
          }
        }
        case EXTERNAL_SCHEMA -> {
          if (resource.equals("*")) {
            list.add(new Candidate(AwsResourceArns.glueDatabaseArn(partition, cluster.region(), cluster.account(), "*"),
                ANY, null, null));
          } else {
            glue(resource, cluster).ifPresent(list::add);
          }
        }
        default -> throw new IllegalStateException(command.name());
      }
    }
    return list;
  }

  /** An S3 object ARN pattern as a location: {@code arn:aws:s3:::b/p/*} is {@code s3://b/p/}. */
  private static java.util.Optional<Candidate> s3(String resource) {
    String objects;
    if (resource.equals("*")) {
      objects = "*/*";
    } else {
      String[] fields = resource.split(":", 6);
      if (fields.length != 6 || !fields[2].equals("s3")) {
        return java.util.Optional.empty();
      }
      // a star ending the bucket (arn:aws:s3:::*, arn:aws:s3:::dat*) spans the slash: every object of such buckets
      objects = fields[5].contains("/") ? fields[5] : fields[5].endsWith("*") ? fields[5] + "/*" : null;
      if (objects == null) {
        return java.util.Optional.empty(); // a bucket ARN: no objects
      }
    }
    if (!objects.endsWith("*")) {
      return java.util.Optional.empty(); // one object: not a prefix a COPY or UNLOAD could name
    }
    String prefix = objects.substring(0, objects.length() - 1);
    String shown = "s3://" + prefix + (prefix.endsWith("/") ? "" : "*");
    String bucket = prefix.substring(0, prefix.indexOf('/'));
    String key = prefix.substring(prefix.indexOf('/') + 1);
    String value = "s3://" + (bucket.equals("*") ? ANY : instantiate(bucket)) + "/" + instantiate(key);
    return java.util.Optional.of(new Candidate(shown, value, null, null));
  }

  private static java.util.Optional<Candidate> glue(String arn, ClusterConfig cluster) {
    String[] fields = arn.split(":", 6);
    if (fields.length != 6 || !fields[2].equals("glue") || !fields[5].startsWith("database/")) {
      return java.util.Optional.empty();
    }
    String region = fields[3].equals("*") ? cluster.region() : fields[3];
    String account = fields[4].equals("*") ? cluster.account() : fields[4];
    String name = fields[5].substring("database/".length());
    String shown = "arn:" + fields[1] + ":glue:" + region + ":" + account + ":database/" + name;
    return java.util.Optional.of(new Candidate(shown, instantiate(name), region.equals(cluster.region()) ? null : region,
        account.equals(cluster.account()) ? null : account));
  }

  /** A pattern with each wildcard replaced by a name no one uses. */
  static String instantiate(String pattern) {
    return pattern.replace("*", ANY).replace("?", "x");
  }
}
