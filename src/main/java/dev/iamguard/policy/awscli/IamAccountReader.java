package dev.iamguard.policy.awscli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the roles and managed policies of {@code aws iam get-account-authorization-details}, from
 * any number of documents (one per page, one file per account or page). A role or policy printed
 * twice (overlapping pages, the same file given twice) counts once when both copies agree.
 */
final class IamAccountReader {
  private final Map<String, ImportedRole> roles = new LinkedHashMap<>();
  private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
  private final List<String> problems;
  /** The documents that say another page follows (IsTruncated true, or a NextToken). */
  private final List<String> pagesBeforeOthers = new ArrayList<>();
  /** Whether a document says no page follows it (or says nothing of pages: the CLI joined them). */
  private boolean lastPageSeen;

  IamAccountReader(List<String> problems) {
    this.problems = problems;
  }

  Map<String, ImportedRole> roles() {
    return roles;
  }

  Map<String, ManagedPolicy> policies() {
    return policies;
  }

  /** Reads one document of an {@code --iam} file. */
  void read(AwsJson.Document document, String label) {
    Optional<JsonView> top = JsonView.top(document.value(), label, problems);
    if (top.isEmpty()) {
      return;
    }
    JsonView details = top.get();
    if (!details.has("RoleDetailList") && !details.has("Policies") && !details.has("UserDetailList")
        && !details.has("GroupDetailList")) {
      details.problem(notDetails(details));
      return;
    }
    if (details.bool("IsTruncated", false) || details.has("NextToken")) {
      pagesBeforeOthers.add(label);
    } else {
      lastPageSeen = true;
    }
    for (JsonView role : details.objects("RoleDetailList")) {
      role(role).ifPresent(r -> add(roles, r.arn().toLowerCase(Locale.ROOT), r, "role " + r.arn(), label));
    }
    for (JsonView policy : details.objects("Policies")) {
      policy(policy).ifPresent(p -> add(policies, p.arn(), p, "managed policy " + p.arn(), label));
    }
  }

  /**
   * Reports an export cut short: every document read says another page follows, so the last page, with
   * the roles and policies on it, is missing. (With an export of another account, complete, beside it,
   * the cut cannot be told from the documents.)
   */
  void requireLastPage() {
    if (!pagesBeforeOthers.isEmpty() && !lastPageSeen) {
      problems.add(pagesBeforeOthers.get(pagesBeforeOthers.size() - 1) + ": the export is cut short: "
          + (pagesBeforeOthers.size() == 1 ? "its one page says" : "each of its " + pagesBeforeOthers.size()
          + " pages says") + " another follows (IsTruncated true, or a NextToken), and no --iam document is the"
          + " last page; give every page (concatenated in one file, or one file each), or export without"
          + " --no-paginate or --max-items");
    }
  }

  private static String notDetails(JsonView top) {
    String what = top.has("Role") ? "aws iam get-role output"
        : top.has("PolicyDocument") ? "aws iam get-role-policy output"
        : top.has("AttachedPolicies") ? "aws iam list-attached-role-policies output"
        : top.has("PolicyVersion") ? "aws iam get-policy-version output"
        : top.has("Clusters") || top.has("namespace") || top.has("workgroup") ? "Redshift output (give it with --redshift or --serverless)"
        : "not the output of aws iam get-account-authorization-details";
    return what + "; --iam reads aws iam get-account-authorization-details (RoleDetailList, Policies), which holds"
        + " each role with its trust, inline and attached policies and boundary";
  }

  private <T> void add(Map<String, T> into, String key, T value, String what, String label) {
    T earlier = into.putIfAbsent(key, value);
    if (earlier != null && !sameContent(earlier, value)) {
      problems.add(label + ": " + what + " is listed again with other content (exports of different times?);"
          + " give one export per account");
    }
  }

  private static boolean sameContent(Object a, Object b) {
    if (a instanceof ImportedRole x && b instanceof ImportedRole y) {
      return x.trust().equals(y.trust()) && x.inline().equals(y.inline()) && x.managed().equals(y.managed())
          && x.boundary().equals(y.boundary()) && x.arn().equals(y.arn());
    }
    if (a instanceof ManagedPolicy x && b instanceof ManagedPolicy y) { // printed in two files: the same policy
      return x.arn().equals(y.arn()) && x.name().equals(y.name()) && x.document().equals(y.document());
    }
    return a.equals(b);
  }

  private Optional<ImportedRole> role(JsonView role) {
    int before = problems.size();
    Optional<String> arn = role.text("Arn");
    Optional<String> name = role.text("RoleName");
    Optional<Object> trust = role.has("AssumeRolePolicyDocument")
        ? document(role, "AssumeRolePolicyDocument") : missing(role, "AssumeRolePolicyDocument");
    // the CLI prints both lists, [] when empty: a role without one was trimmed, and read as having no
    // policies it would lose any Deny they hold
    for (String list : List.of("RolePolicyList", "AttachedManagedPolicies")) {
      if (role.raw(list) == null) {
        role.problem(list, "missing or null; get-account-authorization-details prints it"
            + " ([] for none): export again without --query or filters that drop role fields");
      }
    }
    List<ImportedRole.InlinePolicy> inline = new ArrayList<>();
    java.util.Set<String> inlineNames = new java.util.HashSet<>();
    for (JsonView policy : role.objects("RolePolicyList")) {
      Optional<String> policyName = policy.text("PolicyName");
      if (policyName.isPresent() && !inlineNames.add(policyName.get())) {
        // IAM names a role's inline policies uniquely; written to one file, one would replace the
        // other, and with it perhaps a Deny
        policy.problem("PolicyName", "\"" + policyName.get() + "\" names another inline policy of this role too;"
            + " IAM names them uniquely, so this is not an export AWS printed: export the role again");
        continue;
      }
      Optional<Object> document = policy.has("PolicyDocument") ? document(policy, "PolicyDocument")
          : missing(policy, "PolicyDocument");
      if (policyName.isPresent() && document.isPresent()) {
        inline.add(new ImportedRole.InlinePolicy(policyName.get(), document.get()));
      }
    }
    List<String> managed = new ArrayList<>();
    for (JsonView attached : role.objects("AttachedManagedPolicies")) {
      attached.text("PolicyArn").ifPresent(managed::add);
    }
    Optional<String> boundary = role.object("PermissionsBoundary").flatMap(b -> b.text("PermissionsBoundaryArn"));
    arn.filter(a -> a.split(":", 6).length != 6 || !a.split(":", 6)[5].startsWith("role/"))
        .ifPresent(a -> role.problem("Arn", "\"" + a + "\" is not a role ARN"));
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ImportedRole(arn.get(), name.get(), trust.get(), inline, managed, boundary, role.source()));
  }

  private Optional<ManagedPolicy> policy(JsonView policy) {
    int before = problems.size();
    Optional<String> arn = policy.text("Arn");
    Optional<String> name = policy.text("PolicyName");
    Optional<String> defaultVersion = policy.optionalText("DefaultVersionId");
    Object document = null;
    List<String> defaults = new ArrayList<>();
    List<JsonView> versions = policy.objects("PolicyVersionList");
    if (defaultVersion.isPresent()
        && versions.stream().noneMatch(v -> defaultVersion.equals(v.optionalText("VersionId")))) {
      // the default IAM evaluates is not in the export: a version flagged IsDefaultVersion beside it is
      // not the default, and its document may lack the default's Deny
      policy.problem("PolicyVersionList", "holds no version \"" + defaultVersion.get() + "\", which DefaultVersionId"
          + " names the default: the document IAM evaluates is not in the export; export again");
      return Optional.empty();
    }
    for (JsonView version : versions) {
      boolean isDefault = version.bool("IsDefaultVersion", false)
          || defaultVersion.isPresent() && defaultVersion.equals(version.optionalText("VersionId"));
      if (isDefault) {
        defaults.add(version.optionalText("VersionId").orElse("?"));
      }
      if (isDefault && version.has("Document")) {
        document = document(version, "Document").orElse(null);
      }
    }
    if (defaults.size() > 1) {
      // IAM evaluates one version: with two candidates the export cannot say which document that is
      policy.problem("PolicyVersionList", "versions " + String.join(", ", defaults) + " are each marked the default"
          + " (IsDefaultVersion, DefaultVersionId); a policy has one: export again");
    }
    if (document == null && problems.size() == before) {
      policy.problem("PolicyVersionList", "no default version with a Document; export with"
          + " aws iam get-account-authorization-details, which lists every version of each policy");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new ManagedPolicy(arn.get(), name.get(), document, policy.source()));
  }

  private static Optional<Object> missing(JsonView view, String key) {
    view.problem(key, "missing");
    return Optional.empty();
  }

  /**
   * A policy document: an object as the CLI prints it, or a string holding JSON, URL-encoded as the
   * raw IAM API returns it or plain.
   */
  private Optional<Object> document(JsonView owner, String key) {
    Object value = owner.raw(key);
    if (value instanceof Map) {
      return Optional.of(value);
    }
    if (!(value instanceof String text)) {
      owner.problem(key, "expected a policy document (an object or a URL-encoded JSON string), got "
          + JsonView.describe(value));
      return Optional.empty();
    }
    Optional<String> documentText;
    try {
      documentText = dev.iamguard.policy.iam.IamPolicy.documentText(text);
    } catch (IllegalArgumentException e) {
      owner.problem(key, e.getMessage() + "; not a policy document");
      return Optional.empty();
    }
    if (documentText.isEmpty()) {
      owner.problem(key, "a string that is neither JSON nor URL-encoded JSON; not a policy document");
      return Optional.empty();
    }
    String json = documentText.get();
    String label = owner.source() + ": " + owner.path() + "." + key + " (decoded)";
    try {
      List<AwsJson.Document> decoded = AwsJson.read(json, label);
      if (decoded.size() != 1 || !(decoded.get(0).value() instanceof Map)) {
        owner.problem(key, "the decoded policy document is not one JSON object");
        return Optional.empty();
      }
      return Optional.of(decoded.get(0).value());
    } catch (ImportException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }
}
