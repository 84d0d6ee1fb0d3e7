package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code clusters} section. */
final class ClusterReader {

  private static final List<String> KEYS =
      List.of("id", "account", "region", "attached_roles", "default_role", "serverless",
          "request_context", "workgroup_id");
  /** A workgroup id: the last part of the workgroup's ARN, a UUID (AWS's examples end in EXAMPLE11111). */
  private static final Pattern WORKGROUP_ID = Pattern.compile("[0-9A-Za-z]{1,16}(-[0-9A-Za-z]{1,16}){0,7}");
  private static final Pattern CLUSTER_ID = Pattern.compile("[a-z](-?[a-z0-9])*");
  private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,64}");

  private final Problems problems;
  private final RegistryValues values;

  ClusterReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  List<ClusterConfig> read(Node section) {
    List<ClusterConfig> clusters = new ArrayList<>();
    Map<String, ClusterConfig> byId = new HashMap<>();
    List<Node> items = problems.items(section, "clusters").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      String path = "clusters[" + i + "]";
      Node node = items.get(i);
      problems.mapping(node, path, KEYS).flatMap(map -> cluster(map, path)).ifPresent(c -> {
        ClusterConfig first = byId.putIfAbsent(c.id(), c);
        if (first != null) {
          problems.add(node, path + ".id", "duplicate cluster id \"" + c.id()
              + "\" (first at line " + first.line() + ")");
        } else {
          clusters.add(c);
        }
      });
    }
    return clusters;
  }

  private Optional<ClusterConfig> cluster(NodeMap map, String path) {
    boolean serverless = map.get("serverless")
        .flatMap(n -> problems.bool(n, path + ".serverless")).orElse(false);
    Optional<String> id = problems.required(map, "id", path)
        .flatMap(n -> id(n, path + ".id", serverless));
    Optional<String> account = problems.required(map, "account", path)
        .flatMap(n -> values.account(n, path + ".account"));
    Optional<String> region = problems.required(map, "region", path)
        .flatMap(n -> values.region(n, path + ".region"));
    List<RoleArn> attached = new ArrayList<>();
    map.get("attached_roles").ifPresent(n -> {
      for (Problems.Item item : problems.texts(n, path + ".attached_roles")) {
        values.roleArn(item).filter(arn -> samePartition(arn, region, item.node(), item.path()))
            .ifPresent(attached::add);
      }
    });
    Optional<RoleArn> defaultRole = map.get("default_role")
        .flatMap(n -> values.roleArn(n, path + ".default_role")
            .filter(arn -> samePartition(arn, region, n, path + ".default_role")));
    if (defaultRole.isPresent() && !attached.contains(defaultRole.get())) {
      problems.add(map.get("default_role").orElseThrow(), path + ".default_role",
          "default role " + defaultRole.get() + " is not among attached_roles; a cluster's"
              + " default role must be attached to it, so add it to attached_roles");
    }
    Optional<RequestContext> context = map.get("request_context")
        .map(n -> new RequestContextReader(problems).read(n, path + ".request_context", !serverless))
        .orElse(Optional.of(RequestContext.UNKNOWN_ALL));
    Optional<String> workgroupId = map.get("workgroup_id").flatMap(n -> workgroupId(n, path + ".workgroup_id",
        serverless));
    if (id.isEmpty() || account.isEmpty() || region.isEmpty() || context.isEmpty()
        || map.get("workgroup_id").isPresent() && workgroupId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterConfig(id.get(), account.get(), region.get(), attached,
        defaultRole, serverless, context.get(), YamlTree.line(map.node()), workgroupId));
  }

  /**
   * Whether {@code role} is of the partition of the cluster's region, else reports it: partitions have
   * separate IAM, so a cluster in aws-cn or aws-us-gov cannot assume an arn:aws: role (nor the reverse),
   * and the guard allowing it would allow what fails, or what the registry mistakes for another role.
   */
  private boolean samePartition(RoleArn role, Optional<String> region, Node node, String path) {
    if (region.isEmpty() || role.partition().equals(DbUsers.partition(region.get()))) {
      return true;
    }
    problems.add(node, path, "role " + role + " is in partition " + role.partition() + ", but the cluster's region "
        + region.get() + " is in partition " + DbUsers.partition(region.get()) + ": AWS partitions have separate IAM,"
        + " so a cluster never assumes a role of another partition; write the role's ARN as arn:"
        + DbUsers.partition(region.get()) + ":iam::..., or correct the region");
    return false;
  }

  private Optional<String> workgroupId(Node node, String path, boolean serverless) {
    Optional<String> id = problems.text(node, path);
    if (id.isEmpty()) {
      return id;
    }
    if (!serverless) {
      problems.add(node, path, "workgroup_id belongs to a serverless workgroup (serverless: true); a provisioned"
          + " cluster's database users are named by its id");
      return Optional.empty();
    }
    if (!WORKGROUP_ID.matcher(id.get()).matches()) {
      problems.add(node, path, "workgroup id \"" + id.get() + "\" is not a workgroup id: the last part of the"
          + " workgroup's ARN (aws redshift-serverless get-workgroup: workgroupId), a UUID such as"
          + " 0f0e0d0c-1234-5678-9abc-0123456789ab");
      return Optional.empty();
    }
    return id;
  }

  private Optional<String> id(Node node, String path, boolean serverless) {
    Optional<String> id = problems.text(node, path);
    if (id.isEmpty()) {
      return id;
    }
    if (serverless && !WORKGROUP.matcher(id.get()).matches()) {
      problems.add(node, path, "workgroup name \"" + id.get()
          + "\" must be 3-64 lowercase letters, digits or hyphens");
      return Optional.empty();
    }
    if (!serverless && (id.get().length() > 63 || !CLUSTER_ID.matcher(id.get()).matches())) {
      problems.add(node, path, "cluster id \"" + id.get() + "\" must be 1-63 lowercase letters,"
          + " digits or hyphens, start with a letter, and neither end with a hyphen nor hold two"
          + " hyphens in a row");
      return Optional.empty();
    }
    return id;
  }
}
