package dev.iamguard.policy.awscli;

import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code aws redshift describe-clusters} and {@code aws redshift-serverless get-namespace} /
 * {@code get-workgroup} (or {@code list-namespaces} / {@code list-workgroups}) into clusters.
 *
 * <p>Only a role whose {@code ApplyStatus} is {@code in-sync} is attached: Redshift uses a role
 * once its association is complete ({@code adding}) and stops as its removal starts
 * ({@code removing}), so a registry that counted either would allow what may fail, or what is
 * being taken away. Such roles are kept out of {@code attached_roles} and named in a comment; a
 * default role that is not in sync is left out the same way.
 */
final class RedshiftReader {
  /** {@code IamRole(applyStatus=in-sync, iamRoleArn=arn:...)}, as the CLI prints serverless roles. */
  private static final Pattern APPLY_STATUS = Pattern.compile("\\bapplyStatus=([^,)\\s]+)");
  private static final Pattern ROLE_ARN = Pattern.compile("\\biamRoleArn=([^,)\\s]+)");
  private static final Pattern ENDPOINT_REGION = Pattern.compile("\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.redshift");
  private static final String IN_SYNC = "in-sync";

  private final List<String> problems;
  private final List<ImportedCluster> clusters = new ArrayList<>();
  private final Map<String, JsonView> namespaces = new LinkedHashMap<>();
  private final List<JsonView> workgroups = new ArrayList<>();

  RedshiftReader(List<String> problems) {
    this.problems = problems;
  }

  /** Reads one document of a {@code --redshift} or {@code --serverless} file. */
  void read(AwsJson.Document document, String label) {
    Optional<JsonView> top = JsonView.top(document.value(), label, problems);
    if (top.isEmpty()) {
      return;
    }
    JsonView view = top.get();
    boolean known = false;
    for (JsonView cluster : view.objects("Clusters")) {
      cluster(cluster).ifPresent(clusters::add);
      known = true;
    }
    known |= view.has("Clusters");
    for (String key : List.of("namespace", "namespaces")) {
      List<JsonView> found = key.equals("namespace") ? view.object(key).stream().toList() : view.objects(key);
      for (JsonView namespace : found) {
        namespace.text("namespaceName").ifPresent(n -> namespaces.put(n, namespace));
      }
      known |= view.has(key);
    }
    for (String key : List.of("workgroup", "workgroups")) {
      workgroups.addAll(key.equals("workgroup") ? view.object(key).stream().toList() : view.objects(key));
      known |= view.has(key);
    }
    if (!known) {
      view.problem("not the output of aws redshift describe-clusters (Clusters) or aws redshift-serverless"
          + " get-namespace / get-workgroup (namespace, workgroup)" + (view.has("RoleDetailList")
          ? "; it is IAM output: give it with --iam" : ""));
    }
  }

  /** The clusters and workgroups read; call once every document is read. */
  List<ImportedCluster> clusters() {
    List<ImportedCluster> all = new ArrayList<>(clusters);
    Map<String, Boolean> used = new LinkedHashMap<>();
    for (JsonView workgroup : workgroups) {
      Optional<String> name = workgroup.text("workgroupName");
      Optional<String> namespaceName = workgroup.text("namespaceName");
      if (name.isEmpty() || namespaceName.isEmpty()) {
        continue;
      }
      JsonView namespace = namespaces.get(namespaceName.get());
      if (namespace == null) {
        workgroup.problem("namespaceName", "namespace \"" + namespaceName.get() + "\" of workgroup " + name.get()
            + " is not in the files given; add the output of aws redshift-serverless get-namespace --namespace-name "
            + namespaceName.get());
        continue;
      }
      used.put(namespaceName.get(), true);
      // the id its database users' ARNs hold: workgroupId, or the last part of workgroupArn
      Optional<String> id = workgroup.optionalText("workgroupId").or(() -> workgroup.optionalText("workgroupArn")
          .filter(a -> a.contains(":workgroup/")).map(a -> a.substring(a.lastIndexOf('/') + 1)));
      serverless(name.get(), namespace, workgroup.optionalText("workgroupArn"), List.of())
          .map(c -> new ImportedCluster(c.id(), c.account(), c.region(), true, c.attached(), c.pending(),
              c.defaultRole(), c.notes(), id))
          .ifPresent(all::add);
    }
    for (Map.Entry<String, JsonView> namespace : namespaces.entrySet()) {
      if (!used.containsKey(namespace.getKey())) {
        // a namespace without a workgroup: SQL runs in a workgroup, whose name the registry needs
        namespace.getValue().problem("namespace \"" + namespace.getKey() + "\" has no workgroup in the files given;"
            + " add the output of aws redshift-serverless get-workgroup (or list-workgroups), whose name is the"
            + " cluster id a session uses");
      }
    }
    return all;
  }

  private Optional<ImportedCluster> cluster(JsonView cluster) {
    int before = problems.size();
    Optional<String> id = cluster.text("ClusterIdentifier");
    Optional<String[]> namespaceArn = cluster.optionalText("ClusterNamespaceArn").map(a -> a.split(":", 6));
    List<String> attached = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (JsonView role : cluster.objects("IamRoles")) {
      Optional<String> arn = role.text("IamRoleArn").filter(a -> isRoleArn(a, why -> role.problem("IamRoleArn", why)));
      Optional<String> status = role.text("ApplyStatus");
      if (arn.isPresent() && status.isPresent()) {
        sort(arn.get(), status.get(), attached, pending, notes);
      }
    }
    Optional<String> region = namespaceArn.filter(a -> a.length == 6).map(a -> a[3])
        .or(() -> cluster.object("Endpoint").flatMap(e -> e.optionalText("Address")).flatMap(RedshiftReader::region));
    Optional<String> account = namespaceArn.filter(a -> a.length == 6).map(a -> a[4])
        .or(() -> attached.stream().findFirst().map(a -> a.split(":", 6)[4]));
    if (id.isPresent() && region.isEmpty()) {
      cluster.problem("cannot tell the region of cluster " + id.get() + ": neither ClusterNamespaceArn nor"
          + " Endpoint.Address is given");
    }
    if (id.isPresent() && account.isEmpty()) {
      cluster.problem("cannot tell the account of cluster " + id.get() + ": neither ClusterNamespaceArn nor an"
          + " attached role is given");
    }
    Optional<String> defaultRole = defaultRole(cluster.optionalText("DefaultIamRoleArn")
        .filter(a -> a.isBlank() || isRoleArn(a, why -> cluster.problem("DefaultIamRoleArn", why))), attached, notes,
        id.orElse("?"));
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ImportedCluster(id.get(), account.get(), region.get(), false, attached, pending,
        defaultRole, notes));
  }

  private Optional<ImportedCluster> serverless(String workgroup, JsonView namespace, Optional<String> workgroupArn,
      List<String> extraNotes) {
    int before = problems.size();
    Optional<String[]> arn = namespace.text("namespaceArn").map(a -> a.split(":", 6))
        .or(() -> workgroupArn.map(a -> a.split(":", 6)));
    List<String> attached = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> notes = new ArrayList<>(extraNotes);
    List<Object> roles = namespace.items("iamRoles");
    for (int i = 0; i < roles.size(); i++) {
      Object role = roles.get(i);
      String at = "iamRoles[" + i + "]";
      java.util.function.Consumer<String> notRole = why -> namespace.problem(at, why);
      if (role instanceof String text) {
        Matcher status = APPLY_STATUS.matcher(text);
        Matcher roleArn = ROLE_ARN.matcher(text);
        if (text.strip().startsWith("IamRole(") && status.find() && roleArn.find()) {
          if (isRoleArn(roleArn.group(1), notRole)) {
            sort(roleArn.group(1), status.group(1), attached, pending, notes);
          }
        } else if (text.strip().startsWith("arn:")) {
          if (isRoleArn(text.strip(), notRole)) {
            attached.add(text.strip()); // a bare ARN: listed without a status, as associated
          }
        } else {
          namespace.problem(at, "expected IamRole(applyStatus=..., iamRoleArn=...) or a role ARN");
        }
      } else if (role instanceof Map<?, ?> map && map.get("iamRoleArn") instanceof String roleArn) {
        Object status = map.get("applyStatus");
        if (isRoleArn(roleArn, notRole)) {
          sort(roleArn, status instanceof String s ? s : IN_SYNC, attached, pending, notes);
        }
      } else {
        namespace.problem(at, "expected a role, got " + JsonView.describe(role));
      }
    }
    if (arn.isEmpty() || arn.get().length != 6) {
      namespace.problem("namespaceArn", "cannot tell the account and region of namespace " + workgroup);
    }
    Optional<String> defaultRole = defaultRole(namespace.optionalText("defaultIamRoleArn")
        .filter(a -> a.isBlank() || isRoleArn(a, why -> namespace.problem("defaultIamRoleArn", why))), attached, notes,
        workgroup);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ImportedCluster(workgroup, arn.get()[4], arn.get()[3], true, attached, pending,
        defaultRole, notes));
  }

  /**
   * Whether {@code text} is a role ARN; if not, {@code problem} is told why, without the text: the AWS CLI
   * prints an ARN there, and what else stands there may be anything, a credential pasted in included
   * (a role being added or removed, or a default role, went unchecked into a note and the registry's
   * comments; a cluster's account was read from its first role's fifth field, which threw without one).
   */
  private static boolean isRoleArn(String text, java.util.function.Consumer<String> problem) {
    RoleArn.Parsed parsed = RoleArn.parse(text);
    if (parsed.arn().isEmpty()) {
      problem.accept("not a role ARN (arn:aws:iam::<account>:role/<name>, as the AWS CLI prints it); the value is"
          + " not shown");
      return false;
    }
    return true;
  }

  private static void sort(String arn, String status, List<String> attached, List<String> pending, List<String> notes) {
    if (status.toLowerCase(Locale.ROOT).equals(IN_SYNC)) {
      attached.add(arn);
    } else {
      pending.add(arn);
      notes.add(arn + " is " + status + ", not in-sync: not attached until its association completes");
    }
  }

  private static Optional<String> defaultRole(Optional<String> role, List<String> attached, List<String> notes,
      String cluster) {
    if (role.isEmpty() || role.get().isBlank()) {
      return Optional.empty();
    }
    if (attached.stream().anyMatch(a -> a.equalsIgnoreCase(role.get()))) {
      return role;
    }
    notes.add("default role " + role.get() + " is not an in-sync role of " + cluster + ": left out, so"
        + " IAM_ROLE default is denied");
    return Optional.empty();
  }

  private static Optional<String> region(String address) {
    if (address.length() > 255) { // no host name is longer; the pattern's repeated group recurses once a dash
      return Optional.empty();
    }
    Matcher m = ENDPOINT_REGION.matcher(address);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
