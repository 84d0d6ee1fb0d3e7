package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.AwsPrincipal;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads the {@code roles} section. */
final class RoleReader {

  private static final List<String> KEYS =
      List.of("arn", "alias", "trust", "allow", "policy_files", "request_context");
  private static final List<String> TRUST_KEYS = List.of("regions", "db_users", "principals");
  private static final List<String> ALLOW_KEYS =
      List.of("s3_read", "s3_write", "lambda", "glue_databases", "assume", "dynamodb_tables", "emr_clusters");
  private static final List<String> POLICY_FILE_KEYS = List.of("trust", "permissions", "managed", "boundary");

  private final Problems problems;
  private final RegistryValues values;
  private final PolicyFileReader files;
  private final Map<String, ManagedPolicy> managed;

  RoleReader(Problems problems, PolicyFileReader files) {
    this(problems, files, Map.of());
  }

  /** @param managed the registry's {@code managed_policies}, by ARN */
  RoleReader(Problems problems, PolicyFileReader files, Map<String, ManagedPolicy> managed) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
    this.files = files;
    this.managed = managed;
  }

  List<RoleConfig> read(Node section) {
    List<RoleConfig> roles = new ArrayList<>();
    Map<String, RoleConfig> byAlias = new HashMap<>();
    Map<String, RoleConfig> byName = new HashMap<>();
    List<Node> items = problems.items(section, "roles").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      String path = "roles[" + i + "]";
      Optional<RoleConfig> role = problems.mapping(items.get(i), path, KEYS)
          .flatMap(map -> role(map, path));
      if (role.isEmpty() || isDuplicate(role.get(), byName, path)) {
        continue;
      }
      Optional<String> alias = role.get().alias().map(a -> a.toLowerCase(Locale.ROOT));
      RoleConfig sameAlias = alias.map(a -> byAlias.putIfAbsent(a, role.get())).orElse(null);
      if (sameAlias != null) {
        problems.add(role.get().line(), path + ".alias", "alias \"" + role.get().alias().get()
            + "\" is already used by " + sameAlias.arn() + " (line " + sameAlias.line() + ")");
        continue;
      }
      roles.add(role.get());
      byName.put(identity(role.get()), role.get());
    }
    return roles;
  }

  /**
   * IAM role names are unique per account ignoring case, whatever their paths. Looked up by that
   * identity ({@link dev.iamguard.policy.iam.RoleArn#sameRoleAs}; names are ASCII), so a registry of
   * 20,000 roles is not compared pair by pair.
   */
  private boolean isDuplicate(RoleConfig role, Map<String, RoleConfig> byName, String path) {
    RoleConfig first = byName.get(identity(role));
    if (first != null) {
      problems.add(role.line(), path + ".arn", "duplicate role " + role.arn() + ": "
          + first.arn() + " is already defined at line " + first.line()
          + " (role names are unique per account, ignoring case)");
      return true;
    }
    return false;
  }

  private static String identity(RoleConfig role) {
    return role.arn().partition() + ':' + role.arn().account() + ':' + role.arn().name().toLowerCase(Locale.ROOT);
  }

  private Optional<RoleConfig> role(NodeMap map, String path) {
    int before = problems.count();
    Optional<RoleArn> arn = problems.required(map, "arn", path)
        .flatMap(n -> values.roleArn(n, path + ".arn"));
    Optional<String> alias = map.get("alias").flatMap(n -> problems.text(n, path + ".alias")
        .flatMap(t -> values.name(new Problems.Item(t, n, path + ".alias"), "alias")));
    Optional<NodeMap> policyFiles = map.get("policy_files")
        .flatMap(n -> problems.mapping(n, path + ".policy_files", POLICY_FILE_KEYS));
    policyFiles.filter(f -> f.node().getValue().isEmpty()).ifPresent(f -> problems.add(f.node(), path
        + ".policy_files", "empty mapping: it would describe the role by no document, leaving it the default trust;"
        + " name its documents (trust, permissions, managed, boundary), or remove the key"));
    exclusive(map, "trust", policyFiles, "trust", path);
    exclusive(map, "allow", policyFiles, "permissions", path);
    exclusive(map, "allow", policyFiles, "managed", path);
    String partition = arn.map(RoleArn::partition).orElse(null);
    Optional<TrustConfig> trust = map.get("trust").flatMap(n -> trust(n, path + ".trust", partition));
    Optional<AllowConfig> allow = map.get("allow").flatMap(n -> allow(n, path + ".allow", partition));
    String filesPath = path + ".policy_files";
    Optional<IamPolicy> trustPolicy = policyFiles.flatMap(f -> f.get("trust"))
        .flatMap(n -> files.read(n, filesPath + ".trust", IamPolicy.Kind.TRUST));
    List<IamPolicy> permissions = policyFiles.flatMap(f -> f.get("permissions"))
        .map(n -> files.readAll(n, filesPath + ".permissions")).orElse(List.of());
    List<ManagedPolicy> attached = policyFiles.flatMap(f -> f.get("managed"))
        .map(n -> managed(n, filesPath + ".managed")).orElse(List.of());
    Optional<IamPolicy> boundary = policyFiles.flatMap(f -> f.get("boundary"))
        .flatMap(n -> boundary(n, filesPath + ".boundary"));
    arn.ifPresent(role -> policyFiles.ifPresent(files -> sameRole(role, files, trustPolicy, permissions, filesPath)));
    if (boundary.isPresent() && permissions.isEmpty() && attached.isEmpty() && problems.count() == before) {
      problems.add(policyFiles.get().keyNode("boundary").orElseThrow(), filesPath + ".boundary",
          "a permissions boundary limits permission documents, and the role has none: add policy_files.permissions"
              + " or policy_files.managed (a boundary does not apply to the short form allow)");
    }
    Optional<RequestContext> context = map.get("request_context")
        .map(n -> new RequestContextReader(problems).read(n, path + ".request_context", false))
        .orElse(Optional.of(RequestContext.UNKNOWN_ALL));
    if (problems.count() > before) {
      return Optional.empty();
    }
    if (trustPolicy.isEmpty() && trust.isEmpty()) {
      trust = Optional.of(TrustConfig.DEFAULT);
    }
    if (permissions.isEmpty() && attached.isEmpty() && allow.isEmpty()) {
      allow = Optional.of(AllowConfig.NONE);
    }
    return Optional.of(new RoleConfig(arn.orElseThrow(), alias, trust, trustPolicy, allow, permissions,
        attached, boundary, context.orElseThrow(), YamlTree.line(map.node())));
  }

  /**
   * What the AWS CLI outputs of {@code role}'s policy_files say beside their documents must hold for
   * it (red-team review): a {@code get-role} output of another role gave this one that role's trust
   * (its conditions, say); a {@code get-role-policy} output of another role, that role's permissions;
   * and a {@code get-role} output naming a permissions boundary that policy_files.boundary does not
   * name left the role's permissions unbounded, where IAM bounds them.
   */
  private void sameRole(RoleArn role, NodeMap files, Optional<IamPolicy> trust, List<IamPolicy> permissions,
      String filesPath) {
    Optional<IamPolicy.Wrapper> said = trust.flatMap(IamPolicy::wrapper);
    Node trustNode = files.get("trust").orElse(files.node());
    said.map(IamPolicy.Wrapper::roleArn).map(RoleArn::parse).flatMap(RoleArn.Parsed::arn)
        .filter(other -> !other.sameRoleAs(role))
        .ifPresent(other -> problems.add(trustNode, filesPath + ".trust", "the get-role output of " + other
            + ", not of this role: export this role's (aws iam get-role --role-name " + role.name() + ")"));
    said.map(IamPolicy.Wrapper::roleName).filter(name -> !name.equalsIgnoreCase(role.name()))
        .filter(name -> said.get().roleArn() == null)
        .ifPresent(name -> problems.add(trustNode, filesPath + ".trust", "the get-role output of role " + name
            + ", not of " + role.name() + ": export this role's (aws iam get-role --role-name " + role.name() + ")"));
    String boundary = said.map(IamPolicy.Wrapper::boundaryArn).orElse(null);
    if (boundary != null && !files.has("boundary")) {
      problems.add(trustNode, filesPath + ".trust", "the role's get-role output names its permissions boundary "
          + boundary + ", and policy_files.boundary names none: IAM allows the role only what the boundary allows"
          + " too; add the boundary (its default version under managed_policies, named by policy_files.boundary)");
    } else if (boundary != null && files.get("boundary").filter(n -> n instanceof ScalarNode named
        && named.getValue().startsWith("arn:") && !named.getValue().equals(boundary)).isPresent()) {
      problems.add(files.get("boundary").orElseThrow(), filesPath + ".boundary", "names another permissions boundary"
          + " than the role's get-role output (" + boundary + "), which is the one IAM applies");
    }
    Node permissionsNode = files.get("permissions").orElse(files.node());
    for (IamPolicy policy : permissions) {
      policy.wrapper().map(IamPolicy.Wrapper::roleName).filter(name -> !name.equalsIgnoreCase(role.name()))
          .ifPresent(name -> problems.add(permissionsNode, filesPath + ".permissions", policy.source()
              + " is the get-role-policy output of role " + name + ", not of " + role.name()
              + ": export this role's (aws iam get-role-policy --role-name " + role.name() + ")"));
    }
  }

  /** Attached managed policies, each an ARN of {@code managed_policies}. */
  private List<ManagedPolicy> managed(Node node, String path) {
    List<ManagedPolicy> attached = new ArrayList<>();
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty list: name at least one managed policy ARN, or remove the key");
    }
    for (Problems.Item item : problems.texts(node, path)) {
      ManagedPolicy policy = managed.get(item.text());
      if (policy != null) {
        attached.add(policy);
      } else {
        problems.add(item.node(), item.path(), "managed policy " + item.text() + " is not under managed_policies;"
            + " add it there with its document (a file or the document inline)");
      }
    }
    return attached;
  }

  /** The boundary: a managed policy's ARN, a file, or a document inline. */
  private Optional<IamPolicy> boundary(Node node, String path) {
    Optional<String> text = node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode s ? Optional.of(s.getValue())
        : Optional.empty();
    if (text.isPresent() && text.get().startsWith("arn:")) {
      ManagedPolicy policy = managed.get(text.get());
      if (policy == null) {
        problems.add(node, path, "permissions boundary " + text.get() + " is not under managed_policies;"
            + " add it there with its document (a file or the document inline)");
        return Optional.empty();
      }
      return Optional.of(policy.policy());
    }
    return files.read(node, path, IamPolicy.Kind.PERMISSIONS);
  }

  private void exclusive(NodeMap map, String key, Optional<NodeMap> files, String fileKey,
      String path) {
    if (map.has(key) && files.map(f -> f.has(fileKey)).orElse(false)) {
      problems.add(map.keyNode(key).orElseThrow(), path + "." + key, "a role takes either " + key
          + " or policy_files." + fileKey + ", not both; keep the one that describes the role");
    }
  }

  private Optional<TrustConfig> trust(Node node, String path, String partition) {
    return problems.mapping(node, path, TRUST_KEYS).map(map -> {
      if (map.node().getValue().isEmpty()) {
        // read as written, {} restricts nothing: Redshift in every region for every user, the widest
        // reading, where an emptied list reads as "trust nobody" (red-team review: it loaded silently)
        problems.add(node, path, "empty mapping: it may mean to trust nobody or, as a role without trust,"
            + " Redshift in every region for every user; none of its readings is safe: remove the key to"
            + " trust Redshift everywhere, or write regions, db_users or principals");
      }
      Optional<List<String>> regions = map.get("regions").map(n -> nonEmpty(n, path + ".regions",
          problems.texts(n, path + ".regions").stream()
              .flatMap(i -> i.text().equals(TrustConfig.ANY_REGION) ? java.util.stream.Stream.of(i.text())
                  : values.region(i).stream()).toList()));
      Optional<List<String>> dbUsers = map.get("db_users").map(n -> nonEmpty(n, path + ".db_users",
          problems.texts(n, path + ".db_users").stream()
              .flatMap(i -> values.dbUser(i).stream()).toList()));
      List<AwsPrincipal> principals = new ArrayList<>();
      map.get("principals").ifPresent(n -> {
        if (Problems.isEmptyList(n)) {
          // no principals means a trust of Redshift itself: the widest reading of an emptied list
          problems.add(n, path + ".principals", "empty list: a trust without principals lets Redshift assume"
              + " the role directly; remove the key for that, or list the roles (or accounts) it trusts");
        }
        for (Problems.Item item : problems.texts(n, path + ".principals")) {
          AwsPrincipal.Parsed parsed = AwsPrincipal.parse(item.text());
          parsed.principal().filter(p -> samePartition(p.partition(), partition, item, "trust"))
              .ifPresent(principals::add);
          parsed.problem().ifPresent(why -> problems.add(item.node(), item.path(), "\""
              + item.text() + "\" is not a role ARN, account root or account id (" + why + ")"));
        }
      });
      return new TrustConfig(regions, dbUsers, principals);
    });
  }

  /** An empty restriction list would trust nobody; absent means everyone, so say which. */
  private <T> List<T> nonEmpty(Node node, String path, List<T> list) {
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty list: it would trust nobody; remove the key to trust every"
          + " one, or list some");
    }
    return list;
  }

  /**
   * Partitions ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...) have separate IAM: a role
   * never trusts or assumes a role of another one (a bare account id means the role's own).
   */
  private boolean samePartition(Optional<String> other, String partition, Problems.Item item, String what) {
    if (partition == null || other.isEmpty() || other.get().equals(partition)) {
      return true;
    }
    problems.add(item.node(), item.path(), "\"" + item.text() + "\" is in partition " + other.get()
        + " but the role is in " + partition + "; AWS partitions have separate IAM, so a role cannot "
        + (what.equals("trust") ? "trust" : "assume") + " a role of another partition");
    return false;
  }

  private Optional<AllowConfig> allow(Node node, String path, String partition) {
    return problems.mapping(node, path, ALLOW_KEYS).map(map -> new AllowConfig(
        list(map, "s3_read", path).stream().flatMap(i -> values.s3(i).stream()).toList(),
        list(map, "s3_write", path).stream().flatMap(i -> values.s3(i).stream()).toList(),
        list(map, "lambda", path).stream()
            .flatMap(i -> values.word(i, "Lambda function").stream()).toList(),
        list(map, "glue_databases", path).stream()
            .flatMap(i -> values.word(i, "database").stream()).toList(),
        list(map, "assume", path).stream().flatMap(i -> values.roleArn(i).stream()
            .filter(a -> samePartition(Optional.of(a.partition()), partition, i, "assume"))).toList(),
        list(map, "dynamodb_tables", path).stream()
            .flatMap(i -> values.word(i, "DynamoDB table").stream()).toList(),
        list(map, "emr_clusters", path).stream()
            .flatMap(i -> values.word(i, "EMR cluster").stream()).toList()));
  }

  private List<Problems.Item> list(NodeMap map, String key, String path) {
    return map.get(key).map(n -> problems.texts(n, path + "." + key)).orElse(List.of());
  }
}
