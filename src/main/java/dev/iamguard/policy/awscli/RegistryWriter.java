package dev.iamguard.policy.awscli;

import dev.iamguard.sql.SecretText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Lays an import out as a registry: the YAML (sections in the documented order, entries sorted)
 * and, for {@link RegistryImport.Layout#FILES}, one JSON file per document:
 * {@code iam/<account>/<role>/trust.json}, {@code iam/<account>/<role>/inline/<policy>.json} and
 * {@code iam/managed/<account or aws>/<policy>.json}.
 *
 * <p>Managed policies are written once, under {@code managed_policies}, and named by ARN from each
 * role ({@code policy_files.managed}), boundaries by {@code policy_files.boundary} (a key of
 * {@code managed_policies} too): diff and access name the ARN a grant comes from.
 */
final class RegistryWriter {
  private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9_+=,.@-]");
  private static final Comparator<String> IGNORING_CASE = Comparator.comparing((String s) -> s.toLowerCase(Locale.ROOT))
      .thenComparing(Comparator.naturalOrder());

  private final RegistryImport.Layout layout;
  private final Map<String, String> files = new TreeMap<>();
  /**
   * Each document's place in the registry ({@code roles[0].policy_files.permissions[1]}) to what it is in
   * the export ({@code inline policy alpha of role arn:... (iam.json)}): a problem found when the registry
   * is loaded names the former, in a registry that is never written when it fails.
   */
  private final Map<String, String> places = new LinkedHashMap<>();
  /** The paths of {@link #files} in lower case. */
  private final java.util.Set<String> written = new java.util.HashSet<>();

  RegistryWriter(RegistryImport.Layout layout) {
    this.layout = layout;
  }

  RegistryImport.Result write(List<String> sources, List<ImportedCluster> clusters, Set<String> selected,
      Map<String, ImportedRole> roles, Map<String, ManagedPolicy> policies, List<ImportedGrant> grants,
      KeptRegistry kept, List<String> problems) {
    List<String> notes = new ArrayList<>();
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("version", 1);
    Map<String, Object> managed = new TreeMap<>(IGNORING_CASE);
    List<Object> clusterList = new ArrayList<>();
    for (ImportedCluster cluster : clusters.stream().sorted(Comparator.comparing(ImportedCluster::id)).toList()) {
      clusterList.add(cluster(cluster));
      cluster.notes().forEach(n -> notes.add(cluster.id() + ": " + n));
      for (String arn : concat(cluster.attached(), cluster.pending())) {
        if (!roles.containsKey(RegistryImport.key(arn))) {
          notes.add(cluster.id() + ": " + arn + " is not in the IAM exports given; statements that use it are denied"
              + " (ROLE_UNKNOWN) until its account's get-account-authorization-details is imported too");
        }
      }
    }
    List<Object> roleList = new ArrayList<>();
    List<ImportedRole> chosen = selected.stream().map(roles::get).filter(r -> r != null)
        .sorted(Comparator.comparing(ImportedRole::arn, IGNORING_CASE)).toList();
    for (ImportedRole role : chosen) {
      roleList.add(role(role, "roles[" + roleList.size() + "]", policies, managed, kept, problems));
    }
    if (!managed.isEmpty()) {
      top.put("managed_policies", managed);
    }
    top.put("clusters", clusterList);
    top.put("roles", roleList);
    Map<String, Object> keptSections = kept == null ? Map.of() : kept.sections();
    for (String section : KeptRegistry.SECTIONS) {
      if (section.equals("grants") && grants != null) {
        top.put("grants", grants(grants));
      } else if (keptSections.containsKey(section)) {
        top.put(section, keptSections.get(section));
      }
    }
    // a status is said as the export gives it: masked as problems are (ImportException), since the notes go to
    // standard error and into the registry
    notes.replaceAll(SecretText::masked);
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Imported by iamguard registry import from ").append(String.join(", ", sources)).append(".\n");
    yaml.append("# Import again rather than edit the clusters and roles; compare with iamguard registry diff.\n");
    for (String note : notes) {
      yaml.append("# - ").append(note.replace('\n', ' ')).append('\n');
    }
    yaml.append(YamlText.write(top));
    return new RegistryImport.Result(yaml.toString(), files, notes);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, Object> cluster(ImportedCluster cluster) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", cluster.id());
    map.put("account", cluster.account());
    map.put("region", cluster.region());
    if (cluster.serverless()) {
      map.put("serverless", true);
      cluster.workgroupId().ifPresent(id -> map.put("workgroup_id", id));
    }
    map.put("attached_roles", cluster.attached().stream().sorted(IGNORING_CASE).toList());
    cluster.defaultRole().ifPresent(d -> map.put("default_role", d));
    return map;
  }

  /** {@link #places}, filled by {@link #write}. */
  Map<String, String> places() {
    return places;
  }

  private Map<String, Object> role(ImportedRole role, String at, Map<String, ManagedPolicy> policies, Map<String, Object> managed,
      KeptRegistry kept, List<String> problems) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("arn", role.arn());
    if (kept != null && kept.aliases().containsKey(RegistryImport.key(role.arn()))) {
      map.put("alias", kept.aliases().get(RegistryImport.key(role.arn())));
    }
    String folder = "iam/" + role.account() + "/" + safe(role.name()) + "/";
    Map<String, Object> policyFiles = new LinkedHashMap<>();
    policyFiles.put("trust", document(folder + "trust.json", role.trust()));
    String of = " of role " + role.arn() + " (" + role.source() + ")";
    places.put(at + ".policy_files.trust", "trust policy" + of);
    List<Object> permissions = new ArrayList<>();
    for (ImportedRole.InlinePolicy inline : role.inline().stream()
        .sorted(Comparator.comparing(ImportedRole.InlinePolicy::name, IGNORING_CASE)).toList()) {
      places.put(at + ".policy_files.permissions[" + permissions.size() + "]", "inline policy " + inline.name() + of);
      permissions.add(document(folder + "inline/" + safe(inline.name()) + ".json", inline.document()));
    }
    List<Object> managedArns = new ArrayList<>();
    for (String arn : role.managed().stream().sorted(IGNORING_CASE).toList()) {
      ManagedPolicy policy = policies.get(arn);
      if (policy == null) {
        problems.add("role " + role.arn() + " (" + role.source() + ") attaches managed policy " + arn + ", whose"
            + " document is not in the --iam files; export with aws iam get-account-authorization-details without"
            + " --filter, or with --filter Role LocalManagedPolicy AWSManagedPolicy");
        continue;
      }
      managed.put(arn, document(managedPath(policy), policy.document()));
      places.put("managed_policies." + arn, "managed policy " + arn + " (" + policy.source() + ")");
      managedArns.add(arn);
    }
    if (!permissions.isEmpty()) {
      policyFiles.put("permissions", permissions);
    }
    if (!managedArns.isEmpty()) {
      policyFiles.put("managed", managedArns);
    }
    // a boundary only limits what permission policies grant: a role without any grants nothing either
    // way (a valid AWS state), and the registry refuses a boundary limiting nothing
    role.boundary().filter(b -> !permissions.isEmpty() || !managedArns.isEmpty()).ifPresent(boundary -> {
      ManagedPolicy policy = policies.get(boundary);
      if (policy == null) {
        problems.add("role " + role.arn() + " has permissions boundary " + boundary + ", whose document is not in"
            + " the --iam files; export with aws iam get-account-authorization-details without --filter");
      } else {
        managed.put(boundary, document(managedPath(policy), policy.document()));
        places.put("managed_policies." + boundary, "managed policy " + boundary + ", the permissions boundary of role "
            + role.arn() + " (" + policy.source() + ")");
        policyFiles.put("boundary", boundary);
      }
    });
    map.put("policy_files", policyFiles);
    return map;
  }

  private static String managedPath(ManagedPolicy policy) {
    return "iam/managed/" + policy.owner() + "/" + safe(policy.name()) + ".json";
  }

  /** The document itself when embedded, else the path of the file it is written to. */
  private Object document(String path, Object document) {
    if (layout == RegistryImport.Layout.EMBEDDED) {
      return document;
    }
    // two documents never share a file, also where the file system ignores case: one would replace
    // the other (and with it perhaps a Deny)
    String unique = path;
    for (int n = 2; !written.add(unique.toLowerCase(java.util.Locale.ROOT)); n++) {
      unique = path.substring(0, path.length() - ".json".length()) + "-" + n + ".json";
    }
    files.put(unique, JsonText.write(document));
    return unique;
  }

  /** IAM names hold [\w+=,.@-]; a name of dots only would climb out of its folder. */
  private static String safe(String name) {
    String safe = SAFE.matcher(name).replaceAll("_");
    return safe.chars().allMatch(c -> c == '.') ? "_" + safe : safe;
  }

  private static List<Object> grants(List<ImportedGrant> grants) {
    List<Object> list = new ArrayList<>();
    for (ImportedGrant grant : grants) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("on", grant.on().startsWith("arn:") ? List.of(grant.on()) : grant.on());
      map.put("to", grant.to());
      map.put("for", grant.commands());
      list.add(map);
    }
    return list;
  }
}
