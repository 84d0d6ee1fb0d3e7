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
 * means the pattern, not the name, allowed it; that a Deny or a condition refuses some names under
 * it is found by asking about the {@link #decisionPoints} under it.
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
   * @param exact for S3, one object (a key) rather than a prefix: asked as a COPY of a manifest, which names
   *     its exact key, as JSONPaths files and library archives do
   */
  record Candidate(String shown, String value, String region, String account, boolean exact) {
    Candidate(String shown, String value, String region, String account) {
      this(shown, value, region, account, false);
    }
  }

  /**
   * What to put to the guard for a role's command: its proposals ({@link #of}) first, then the
   * decision points no proposal shows ({@link #decisionPoints}), then, for a role of at most
   * {@link #MET_POINTS} points, where a proposal meets a point (an Allow of {@code *&#47;pub/*} and a
   * ListBucket of {@code acmedata}: {@code acmedata/pub/}).
   *
   * @param all the candidates, each shown once
   * @param proposals how many of {@code all} are proposals
   * @param points the decision points, for asking whether a listed resource is carved
   */
  record ToAsk(List<Candidate> all, int proposals, List<Candidate> points) {}

  static ToAsk toAsk(RoleConfig role, AccessCommand command, ClusterConfig cluster) {
    List<Candidate> proposed = of(role, command, cluster);
    List<Candidate> points = decisionPoints(role, command, cluster);
    java.util.Set<String> shown = new java.util.HashSet<>();
    proposed.forEach(c -> shown.add(c.shown()));
    List<Candidate> all = new ArrayList<>(proposed);
    points.stream().filter(p -> shown.add(p.shown())).forEach(all::add);
    for (int at = 0, met = points.size() <= MET_POINTS ? all.size() : 0; at < met; at++) {
      for (Candidate point : points) {
        Candidate shared = meet(all.get(at), point);
        if (shared != null && shown.add(shared.shown())) {
          all.add(shared);
        }
      }
    }
    return new ToAsk(List.copyOf(all), proposed.size(), points);
  }

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

  /**
   * Every resource a role's documents name for {@code command}, whatever the statement's effect,
   * action or condition: its Resource and NotResource elements in the permission, managed and
   * boundary documents, and the folders an {@code s3:prefix} condition names in the buckets of its
   * statement. A Deny, a NotResource, a boundary or a condition decides at these names, so they are
   * where a resource the Allow statements propose may be carved ({@link AccessReport} asks whether a
   * proposal covers one the guard refuses), and where the guard may allow a resource no Allow names
   * alone: an Allow of {@code *} that a Deny's NotResource or a boundary confines to a bucket, a
   * ListBucket confined to a prefix by its condition (probe 21a F4, F6). Only questions: the guard
   * answers them.
   */
  static List<Candidate> decisionPoints(RoleConfig role, AccessCommand command, ClusterConfig cluster) {
    boolean s3 = command == AccessCommand.COPY || command == AccessCommand.UNLOAD;
    Map<String, Candidate> found = new LinkedHashMap<>();
    List<IamPolicy> identity = new ArrayList<>(role.permissionPolicies());
    role.managedPolicies().forEach(m -> identity.add(m.policy()));
    for (IamPolicy policy : identity) {
      for (IamStatement statement : policy.statements()) {
        boolean takesAway = statement.effect() == IamEffect.DENY || statement.notResource() || statement.hasConditions();
        points(statement, takesAway, s3, command, cluster, role.arn(), found);
      }
    }
    for (IamStatement statement : role.boundary().map(IamPolicy::statements).orElse(List.of())) {
      points(statement, true, s3, command, cluster, role.arn(), found);
    }
    List<Candidate> points = new ArrayList<>(found.values());
    if (s3 && points.size() <= MET_POINTS) {
      // where two of them meet (a boundary's acme* and a condition's */pub/: acme*/pub/)
      for (int a = 0, n = points.size(); a < n; a++) {
        for (int b = a + 1; b < n; b++) {
          Candidate shared = meet(points.get(a), points.get(b));
          if (shared != null && !found.containsKey(shared.shown())) {
            found.put(shared.shown(), shared);
            points.add(shared);
          }
        }
      }
    }
    return List.copyOf(points);
  }

  /**
   * The decision points of one statement: all it names when it may take away (a Deny, a NotResource,
   * a condition, a boundary), else its bucket ARNs alone (where an Allow of keys in any bucket
   * meets the ListBucket of one).
   */
  private static void points(IamStatement statement, boolean takesAway, boolean s3, AccessCommand command,
      ClusterConfig cluster, RoleArn role, Map<String, Candidate> found) {
    if (s3 && takesAway) {
      for (String prefix : prefixConditionValues(statement)) {
        // the folder in every bucket (a NotResource, an object ARN: whose buckets a condition meets is not
        // read here), and in each bucket the statement names
        bucketFolder("*", prefix).ifPresent(c -> found.putIfAbsent(c.shown(), c));
        for (String resource : statement.resources()) {
          bucketFolder(resource, prefix).ifPresent(c -> found.putIfAbsent(c.shown(), c));
        }
      }
    }
    for (String resource : statement.resources()) {
      if (s3 && (takesAway || isBucketArn(resource))) {
        bucketOrObjects(resource).ifPresent(c -> found.putIfAbsent(c.shown(), c));
      } else if (!s3 && takesAway && !resource.equals("*")) {
        resources(List.of(resource), command, cluster, role).forEach(c -> found.putIfAbsent(c.shown(), c));
      }
    }
  }

  /** Decision points met pairwise at most: past this many (a role of thousands of prefixes) only each alone. */
  static final int MET_POINTS = 64;

  private static boolean isBucketArn(String resource) {
    String[] fields = resource.split(":", 6);
    return fields.length == 6 && fields[2].equals("s3") && !fields[5].isEmpty() && !fields[5].contains("/");
  }

  /**
   * What two S3 locations both take in, when one's bucket covers the other's and one's key prefix
   * the other's: the narrower bucket with the longer key ({@code s3://*&#47;pub/} and
   * {@code s3://acme*&#47;} meet in {@code s3://acme*&#47;pub/}); null otherwise (or when either is
   * not an S3 location). Shown and asked parts are taken together from the location they come from.
   */
  static Candidate meet(Candidate a, Candidate b) {
    if (!a.value().startsWith("s3://") || !b.value().startsWith("s3://")) {
      return null;
    }
    Candidate bucketFrom = Wildcards.covers(bucket(a.shown()), bucket(b.shown())) ? b
        : Wildcards.covers(bucket(b.shown()), bucket(a.shown())) ? a : null;
    Candidate keyFrom = Wildcards.covers(key(a.shown()) + "*", key(b.shown()) + "*") ? b
        : Wildcards.covers(key(b.shown()) + "*", key(a.shown()) + "*") ? a : null;
    if (bucketFrom == null) {
      return null;
    }
    if (keyFrom == null) {
      // neither key holds the other, yet they may share keys: a wildcard first (*/in/) and a literal start
      // (data*) meet in that start followed by the wildcard's key (data*/in/; probe 22d F3)
      Candidate wild = key(a.shown()).startsWith("*") ? a : key(b.shown()).startsWith("*") ? b : null;
      Candidate literal = wild == a ? b : a;
      String start = literalStart(key(literal.shown()));
      if (wild == null || start.isEmpty() || key(literal.shown()).startsWith("*")) {
        return null;
      }
      return new Candidate("s3://" + bucket(bucketFrom.shown()) + "/" + start + key(wild.shown()),
          "s3://" + bucket(bucketFrom.value()) + "/" + start + key(wild.value()), null, null);
    }
    return new Candidate("s3://" + bucket(bucketFrom.shown()) + "/" + key(keyFrom.shown()),
        "s3://" + bucket(bucketFrom.value()) + "/" + key(keyFrom.value()), null, null);
  }

  /** A key pattern up to its first wildcard. */
  private static String literalStart(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '*' || key.charAt(i) == '?') {
        return key.substring(0, i);
      }
    }
    return key;
  }

  /** The bucket of an {@code s3://bucket/key} location. */
  private static String bucket(String location) {
    int slash = location.indexOf('/', "s3://".length());
    return location.substring("s3://".length(), slash < 0 ? location.length() : slash);
  }

  /** The key of an {@code s3://bucket/key} location ({@code ""} for a bucket). */
  private static String key(String location) {
    int slash = location.indexOf('/', "s3://".length());
    return slash < 0 ? "" : location.substring(slash + 1);
  }

  /** The values of a statement's {@code s3:prefix} conditions (the key's case does not matter to IAM). */
  private static List<String> prefixConditionValues(IamStatement statement) {
    List<String> values = new ArrayList<>();
    for (IamStatement.ConditionView condition : statement.conditions()) {
      if (condition.key().equalsIgnoreCase("s3:prefix")) {
        values.addAll(condition.values());
      }
    }
    return values;
  }

  /** An S3 object ARN pattern as a location ({@link #s3}), or a bucket ARN as the whole bucket. */
  private static java.util.Optional<Candidate> bucketOrObjects(String resource) {
    // one object is no point a prefix is carved at here: the guard refuses or allows it as itself
    java.util.Optional<Candidate> objects = s3(resource).filter(c -> !c.exact());
    if (objects.isPresent() || resource.equals("*")) {
      return objects;
    }
    String[] fields = resource.split(":", 6);
    if (fields.length != 6 || !fields[2].equals("s3") || fields[5].isEmpty() || fields[5].contains("/")) {
      return java.util.Optional.empty();
    }
    return s3(resource + "/*");
  }

  /** The folder {@code prefix} of the bucket ARN {@code resource} (a ListBucket condition's value), as a location. */
  private static java.util.Optional<Candidate> bucketFolder(String resource, String prefix) {
    if (resource.equals("*")) {
      return bucketFolder("arn:aws:s3:::*", prefix); // the folder in every bucket
    }
    String[] fields = resource.split(":", 6);
    if (fields.length != 6 || !fields[2].equals("s3") || fields[5].isEmpty() || fields[5].contains("/")
        || prefix.contains("${")) {
      return java.util.Optional.empty();
    }
    return s3(resource + "/" + (prefix.endsWith("*") ? prefix : prefix + "*"));
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
          if (!folder.equals(prefix.toString()) && !prefix.key().isEmpty()) {
            // and the key of that name itself (a manifest s3://bkt/data), which the folder does not show
            list.add(new Candidate(prefix.toString(), prefix.toString(), null, null, true));
          }
        }
      }
      case EXTERNAL_FUNCTION -> {
        for (String entry : allow.lambda()) {
          // a function's name is looked up in the invoking role's account
          String pattern = AwsResourceArns.lambdaPattern(entry, partition, cluster.region(), role.account());
          list.addAll(lambda(pattern, cluster, role));
        }
      }
      case EXTERNAL_SCHEMA -> {
        for (String entry : allow.glueDatabases()) {
          if (entry.startsWith("arn:")) {
            list.addAll(glue(entry, cluster));
          } else {
            list.add(new Candidate(AwsResourceArns.glueDatabaseArn(partition, cluster.region(), cluster.account(), entry),
                instantiate(entry), null, null));
          }
        }
      }
      case COPY_DYNAMODB, COPY_EMR -> {
        // a table or cluster id is looked up in the account of the chain's last role, in the cluster's region
        for (String entry : command == AccessCommand.COPY_DYNAMODB ? allow.dynamodbTables() : allow.emrClusters()) {
          list.add(source(command, entry));
        }
      }
      default -> throw new IllegalStateException(command.name());
    }
    return list;
  }

  /** The scheme of a COPY source of {@code command}: {@code dynamodb://} or {@code emr://}. */
  static String scheme(AccessCommand command) {
    return command == AccessCommand.COPY_DYNAMODB ? "dynamodb://" : "emr://";
  }

  /**
   * A DynamoDB table or EMR cluster id (with wildcards) as the table shows it and as the probe names
   * it: an EMR id is {@code j-} and upper-case letters and digits, so its wildcards stand for
   * {@link #EMR_ANY}.
   */
  static Candidate source(AccessCommand command, String name) {
    String value = command == AccessCommand.COPY_DYNAMODB ? instantiate(name) : emrId(name);
    return new Candidate(scheme(command) + name, value, null, null);
  }

  /**
   * An EMR cluster id the pattern matches, {@code j-} and upper-case letters and digits as the guard
   * reads one: a leading {@code *} (or {@code j*}) is {@code j-IAMGUARDANY}, a {@code ?} the
   * character an id has there.
   */
  private static String emrId(String pattern) {
    String rest = pattern;
    StringBuilder id = new StringBuilder();
    if (rest.startsWith("*")) {
      id.append("j-").append(EMR_ANY);
      rest = rest.substring(1);
    } else if (rest.startsWith("j*")) {
      id.append("j-").append(EMR_ANY);
      rest = rest.substring(2);
    }
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      int at = id.length();
      id.append(c == '*' ? EMR_ANY : c != '?' ? String.valueOf(c) : at == 0 ? "j" : at == 1 ? "-" : "X");
    }
    return id.toString();
  }

  /** Stands for any name in a wildcard of an EMR cluster id, which holds upper-case letters and digits only. */
  static final String EMR_ANY = "IAMGUARDANY";

  /**
   * The table or cluster an IAM Resource names for {@code command}: {@code *}, or the name after
   * {@code table/} ({@code cluster/}) of a DynamoDB (EMR) ARN. Its region and account are left to
   * the guard, which asks for the one the COPY reaches.
   */
  private static java.util.Optional<Candidate> source(String resource, AccessCommand command) {
    if (resource.equals("*")) {
      return java.util.Optional.of(source(command, "*"));
    }
    String[] fields = resource.split(":", 6);
    String service = command == AccessCommand.COPY_DYNAMODB ? "dynamodb" : "elasticmapreduce";
    String type = command == AccessCommand.COPY_DYNAMODB ? "table/" : "cluster/";
    if (fields.length != 6 || !fields[2].equals(service) || !fields[5].startsWith(type)) {
      return java.util.Optional.empty();
    }
    String name = fields[5].substring(type.length());
    int slash = name.indexOf('/'); // table/T/index/I, table/T/stream/S: the table T
    name = slash < 0 ? name : name.substring(0, slash);
    return name.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(source(command, name));
  }

  private static List<Candidate> fromStatement(IamStatement statement, List<String> resources, AccessCommand command,
      ClusterConfig cluster, RoleArn role) {
    // an UNLOAD reads as well as writes ("GET, LIST, and PUT"): an Allow of either proposes, and where
    // the two meet (PutObject on *, GetObject on acme*) is among what the proposals name
    List<String> actions = switch (command) {
      case COPY -> List.of("s3:GetObject");
      case UNLOAD -> List.of("s3:PutObject", "s3:GetObject");
      case EXTERNAL_FUNCTION -> List.of("lambda:InvokeFunction");
      case EXTERNAL_SCHEMA -> List.of("glue:GetDatabase");
      case COPY_DYNAMODB -> List.of("dynamodb:Scan", "dynamodb:DescribeTable");
      case COPY_EMR -> List.of("elasticmapreduce:ListInstances");
    };
    boolean acts = actions.stream().anyMatch(statement::coversAction);
    if (!acts) {
      return List.of();
    }
    return resources(resources, command, cluster, role);
  }

  /** The candidates {@code resources} (IAM Resource elements) propose for {@code command}. */
  private static List<Candidate> resources(List<String> resources, AccessCommand command, ClusterConfig cluster,
      RoleArn role) {
    String partition = role.partition();
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
            list.addAll(lambda(resource, cluster, role));
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
            list.addAll(glue(resource, cluster));
          }
        }
        case COPY_DYNAMODB, COPY_EMR -> source(resource, command).ifPresent(list::add);
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
      // one object: a COPY names it by its exact key as a manifest (or a JSONPaths file, a library archive)
      int slash = objects.indexOf('/');
      String bucket = objects.substring(0, slash);
      return java.util.Optional.of(new Candidate("s3://" + objects, "s3://" + (bucket.equals("*") ? ANY
          : instantiate(bucket)) + "/" + instantiate(objects.substring(slash + 1)), null, null, true));
    }
    String prefix = objects.substring(0, objects.length() - 1);
    String shown = "s3://" + prefix + (prefix.endsWith("/") ? "" : "*");
    String bucket = prefix.substring(0, prefix.indexOf('/'));
    String key = prefix.substring(prefix.indexOf('/') + 1);
    String value = "s3://" + (bucket.equals("*") ? ANY : instantiate(bucket)) + "/" + instantiate(key);
    return java.util.Optional.of(new Candidate(shown, value, null, null));
  }

  /**
   * A Glue database ARN pattern: the database in the cluster's region and account where the pattern
   * names them or a wildcard takes them in, and, when a wildcard of the region or account takes in
   * others, the pattern as written, asked with another region and account it matches (a
   * {@code CATALOG_ID} and {@code REGION} the statement may name). Before, such a wildcard was shown
   * and asked as the cluster's alone, so widening {@code database/db} to any account's diffed as
   * nothing gained.
   */
  private static List<Candidate> glue(String arn, ClusterConfig cluster) {
    String[] fields = arn.split(":", 6);
    if (fields.length != 6 || !fields[2].equals("glue") || !fields[5].startsWith("database/")) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>();
    String name = fields[5].substring("database/".length());
    String region = wild(fields[3]) && Wildcards.matches(fields[3], cluster.region()) ? cluster.region() : fields[3];
    String account = wild(fields[4]) && Wildcards.matches(fields[4], cluster.account()) ? cluster.account() : fields[4];
    if (!wild(region) && !wild(account)) {
      String shown = "arn:" + fields[1] + ":glue:" + region + ":" + account + ":database/" + name;
      out.add(new Candidate(shown, instantiate(name), region.equals(cluster.region()) ? null : region,
          account.equals(cluster.account()) ? null : account));
    }
    String otherRegion = other(fields[3], cluster.region(), OTHER_REGIONS);
    String otherAccount = other(fields[4], cluster.account(), OTHER_ACCOUNTS);
    if (otherRegion != null && otherAccount != null && (wild(fields[3]) || wild(fields[4]))) {
      out.add(new Candidate(arn, instantiate(name), otherRegion.equals(cluster.region()) ? null : otherRegion,
          otherAccount.equals(cluster.account()) ? null : otherAccount));
    }
    return out;
  }

  /**
   * A Lambda function ARN pattern ({@code arn:P:lambda:REGION:ACCOUNT:function:NAME}): the function in
   * the cluster's region and the role's account where a wildcard of the region or account takes
   * them in, and, when such a wildcard takes in others, the pattern as written asked with another
   * region and account it matches. Before, a wildcard region or account was asked as the name no one
   * uses, which is no region: the guard refused it and the table listed nothing, so widening
   * {@code f} to {@code arn:aws:lambda:*:123456789012:function:f} diffed as a loss only.
   */
  private static List<Candidate> lambda(String pattern, ClusterConfig cluster, RoleArn role) {
    String[] fields = pattern.split(":", 6);
    if (fields.length != 6 || !wild(fields[3]) && !wild(fields[4])) {
      return List.of(new Candidate(pattern, instantiate(pattern), null, null));
    }
    List<Candidate> out = new ArrayList<>();
    String rest = fields[5];
    String region = wild(fields[3]) && Wildcards.matches(fields[3], cluster.region()) ? cluster.region() : fields[3];
    String account = wild(fields[4]) && Wildcards.matches(fields[4], role.account()) ? role.account() : fields[4];
    if (!wild(region) && !wild(account)) {
      String arn = "arn:" + fields[1] + ":lambda:" + region + ":" + account + ":" + rest;
      out.add(new Candidate(arn, instantiate(arn), null, null));
    }
    String otherRegion = other(fields[3], cluster.region(), OTHER_REGIONS);
    String otherAccount = other(fields[4], role.account(), OTHER_ACCOUNTS);
    if (otherRegion != null && otherAccount != null) {
      out.add(new Candidate(pattern, "arn:" + fields[1] + ":lambda:" + otherRegion + ":" + otherAccount + ":"
          + instantiate(rest), null, null));
    }
    return out;
  }

  /** Regions asked for a wildcard region: real ones (the guard refuses a name that is none), the first unlike the cluster's. */
  private static final List<String> OTHER_REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2",
      "cn-north-1", "us-gov-west-1");
  /** Accounts asked for a wildcard account: twelve digits no one is likely to deny by name. */
  private static final List<String> OTHER_ACCOUNTS = List.of("000000000000", "999999999999", "111111111111");

  /**
   * What to ask for a region or account field: the field itself when it holds no wildcard, else the
   * first of {@code others} it matches that is not {@code own}; null when it matches none of them.
   */
  private static String other(String field, String own, List<String> others) {
    if (!wild(field)) {
      return field;
    }
    return others.stream().filter(o -> !o.equals(own) && Wildcards.matches(field, o)).findFirst().orElse(null);
  }

  private static boolean wild(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /** A pattern with each wildcard replaced by a name no one uses. */
  static String instantiate(String pattern) {
    return pattern.replace("*", ANY).replace("?", "x");
  }
}
