package dev.iamguard.cli;

import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.suggest.Gap;
import dev.iamguard.policy.suggest.IamDocuments;
import dev.iamguard.policy.suggest.RegistryYaml;
import dev.iamguard.policy.suggest.SuggestedGrant;
import dev.iamguard.policy.suggest.SuggestedRole;
import dev.iamguard.policy.suggest.Suggestion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link Suggestion} as a registry, JSON, GRANT statements or IAM documents. */
final class SuggestReport {
  private SuggestReport() {}

  static void write(Suggestion suggestion, SuggestCommand.SuggestFormat format, Path folder, PrintWriter out) {
    switch (format) {
      case yaml -> out.print(RegistryYaml.shortForm(suggestion));
      case sql -> out.print(sql(suggestion));
      case json -> {
        JsonWriter json = new JsonWriter();
        json(suggestion, json);
        out.print(json);
        out.print('\n');
      }
      case iam -> {
        if (folder != null) {
          files(suggestion, folder);
        }
        JsonWriter json = new JsonWriter().beginObject().name("roles").beginArray();
        Map<String, String> names = suggestion.fileStems();
        for (SuggestedRole role : suggestion.roles()) {
          iam(json, role, suggestion, names);
        }
        out.print(json.endArray().endObject());
        out.print('\n');
      }
    }
  }

  /** The GRANT statements, with what they do not cover as comments. */
  private static String sql(Suggestion suggestion) {
    StringBuilder text = new StringBuilder("-- iamguard suggest: the GRANT ASSUMEROLE statements the scripts need"
        + " (run them as a superuser)\n");
    for (String note : suggestion.notes()) {
      text.append("-- note: ").append(dev.iamguard.sql.LineText.escape(note)).append('\n');
    }
    for (Gap gap : suggestion.gaps()) {
      text.append("-- incomplete: ").append(dev.iamguard.sql.LineText.escape(gap.toString())).append('\n');
    }
    for (Gap need : suggestion.ungranted()) {
      text.append("-- not granted: ").append(dev.iamguard.sql.LineText.escape(need.toString())).append('\n');
    }
    suggestion.grantStatements().forEach(s -> text.append(s).append('\n'));
    return text.toString();
  }

  private static void json(Suggestion s, JsonWriter json) {
    json.beginObject();
    json.name("cluster").beginObject().field("id", s.cluster().id()).field("account", s.cluster().account())
        .field("region", s.cluster().region())
        .stringArray("attached_roles", s.attachedRoleArns())
        .field("default_role", s.defaultRoleArn().orElse(null)).endObject();
    json.name("roles").beginArray();
    Map<String, String> names = s.fileStems();
    for (SuggestedRole role : s.roles()) {
      json.beginObject().field("arn", role.arnText()).field("alias", role.alias().orElse(null));
      json.name("trust").beginObject().stringArray("regions", role.regions());
      json.name("db_users").tree(role.dbUsers().orElse(null));
      json.stringArray("principals", role.principalArns()).endObject();
      json.name("allow").beginObject()
          .stringArray("s3_read", role.s3Read().stream().map(S3Prefix::toString).toList())
          .stringArray("s3_write", role.s3Write().stream().map(S3Prefix::toString).toList())
          .stringArray("lambda", role.lambda().keySet())
          .stringArray("glue_databases", role.glue().keySet())
          .stringArray("assume", role.assumeArns())
          .stringArray("dynamodb_tables", role.dynamodb().keySet())
          .stringArray("emr_clusters", role.emr().keySet()).endObject();
      IamDocuments documents = IamDocuments.of(role, s.cluster());
      json.name("iam").beginObject().field("policy_name", documents.policyName())
          .field("file_name", names.get(role.arnText()))
          .name("trust_policy").tree(documents.trust())
          .name("permissions_policy").tree(documents.permissions()).endObject();
      json.endObject();
    }
    json.endArray();
    json.name("chains").beginObject();
    for (ChainConfig chain : s.chains()) {
      json.field(chain.name(), chain.toSql());
    }
    json.endObject();
    json.name("grants").beginArray();
    for (SuggestedGrant grant : s.grants()) {
      json.beginObject().field("on", grant.on()).stringArray("to", grant.to()).stringArray("for", grant.commands())
          .field("sql", grant.toSql()).endObject();
    }
    json.endArray();
    gaps(json, "gaps", s.gaps());
    gaps(json, "ungranted", s.ungranted());
    json.stringArray("notes", s.notes()).stringArray("additions", s.additions()).stringArray("unused", s.unused());
    json.name("summary").beginObject().field("statements", s.statements()).field("resolved", s.resolved())
        .field("unresolved", s.unresolved()).field("complete", s.complete()).endObject();
    json.endObject();
  }

  /** Statements with a reason each, as {@code name}: those not covered, or needing what the documents lack. */
  private static void gaps(JsonWriter json, String name, List<Gap> gaps) {
    json.name(name).beginArray();
    for (Gap gap : gaps) {
      json.beginObject().field("file", gap.file()).field("line", gap.line()).field("column", gap.column())
          .field("command", gap.command()).field("reason", gap.reason()).endObject();
    }
    json.endArray();
  }

  private static void iam(JsonWriter json, SuggestedRole role, Suggestion s, Map<String, String> names) {
    IamDocuments documents = IamDocuments.of(role, s.cluster());
    json.beginObject().field("arn", role.arnText()).field("role_name", role.roleName())
        .field("policy_name", documents.policyName()).field("file_name", names.get(role.arnText()))
        .name("trust_policy").tree(documents.trust())
        .name("permissions_policy").tree(documents.permissions()).endObject();
  }

  /**
   * IAM counts a policy's characters other than white space against quotas: a role's inline
   * policies together at most 10,240, its trust policy 2,048 by default (a quota an account may
   * raise). A suggestion over many folders can exceed them (10,000 folders: 368 KB) and would be
   * refused by {@code put-role-policy}; each document over them is named, with what to do.
   */
  static List<String> quotaWarnings(Suggestion suggestion) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> names = suggestion.fileStems();
    for (SuggestedRole role : suggestion.roles()) {
      IamDocuments documents = IamDocuments.of(role, suggestion.cluster());
      String stem = names.get(role.arnText());
      if (documents.permissions() != null) {
        overQuota(stem + ".permissions.json", documents.permissions(), INLINE_POLICIES, "a role's inline policies",
            "merge folders (--prefix-depth) or split it into managed policies").ifPresent(warnings::add);
      }
      overQuota(stem + ".trust.json", documents.trust(), TRUST_POLICY, "a trust policy by default",
          "raise the account's quota or trust fewer principals").ifPresent(warnings::add);
    }
    return warnings;
  }

  /** The warning for a document {@code file} over IAM's {@code quota}, if it is. */
  private static java.util.Optional<String> overQuota(String file, Map<String, Object> document, int quota,
      String what, String remedy) {
    long counted = new JsonWriter().tree(document).toString().chars().filter(c -> !Character.isWhitespace(c)).count();
    return counted <= quota ? java.util.Optional.empty() : java.util.Optional.of(file + " holds " + counted
        + " characters besides white space, more than the " + quota + " IAM allows " + what + ": " + remedy);
  }

  /** IAM's quota on a role's inline policies together, in characters other than white space. */
  static final int INLINE_POLICIES = 10_240;
  /** IAM's default quota on a role's trust policy, in characters other than white space. */
  static final int TRUST_POLICY = 2_048;

  /**
   * The IAM documents, a registry that uses them and the grants, as files in {@code folder}, all or
   * none: every file is written beside its place first, and only when all are written do they
   * replace what was there. A folder holding IAM documents this suggestion does not write (an older
   * suggestion's, which a loop over the folder would still apply) is refused before anything is
   * written; other files are left alone.
   */
  private static void files(Suggestion suggestion, Path folder) {
    suggestion.fileStemClash().ifPresent(clash -> {
      throw new CliException(folder + ": cannot write the IAM documents: " + clash + "; nothing was written");
    });
    Map<String, String> names = suggestion.fileStems();
    Map<String, Output> contents = new java.util.LinkedHashMap<>();
    for (SuggestedRole role : suggestion.roles()) {
      IamDocuments documents = IamDocuments.of(role, suggestion.cluster());
      String stem = names.get(role.arnText());
      contents.put(stem + ".trust.json", new Output(new JsonWriter().tree(documents.trust()) + "\n", "IAM trust policy"));
      if (documents.permissions() != null) {
        contents.put(stem + ".permissions.json",
            new Output(new JsonWriter().tree(documents.permissions()) + "\n", "IAM permissions policy"));
      }
    }
    contents.put("registry.yaml", new Output(RegistryYaml.withPolicyFiles(suggestion, arn -> {
      String stem = names.get(arn);
      return new RegistryYaml.PolicyFiles(stem + ".trust.json",
          contents.containsKey(stem + ".permissions.json") ? stem + ".permissions.json" : null);
    }), "registry"));
    contents.put("grants.sql", new Output(sql(suggestion), "GRANT statements"));
    refuseSameNames(folder, contents.keySet());
    refuseOtherDocuments(folder, contents.keySet());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CliException(folder + ": cannot create the folder: " + e.getMessage());
    }
    Map<Path, Path> staged = new java.util.LinkedHashMap<>();
    try {
      for (Map.Entry<String, Output> file : contents.entrySet()) {
        Path target = folder.resolve(file.getKey());
        String what = file.getValue().what();
        if (Files.isSymbolicLink(target)) {
          // writing through it would replace a file elsewhere, which the folder only points to
          throw new CliException(target + ": cannot write " + what + ": it is a symbolic link;"
              + " suggest writes its files into the folder itself; nothing was written");
        }
        // a folder, pipe or device there is refused (nothing written) as the temporary file is made
        Path temporary = AtomicFile.temporaryBeside(target, what);
        staged.put(temporary, target);
        Files.writeString(temporary, file.getValue().text(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException | CliException e) {
      staged.keySet().forEach(AtomicFile::delete);
      throw e instanceof CliException cli ? cli : new CliException(folder + ": cannot write the IAM documents: "
          + e.getMessage() + "; nothing was written");
    }
    AtomicFile.replaceAll(staged, target -> contents.get(target.getFileName().toString()).what());
  }

  /**
   * Refuses file names that are the same ignoring case: a file system that ignores it (macOS,
   * Windows) would keep one file for both, holding the documents of one role as the other's.
   */
  private static void refuseSameNames(Path folder, java.util.Set<String> names) {
    Map<String, String> seen = new java.util.HashMap<>();
    for (String name : names) {
      String other = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
      if (other != null) {
        throw new CliException(folder + ": cannot write both " + other + " and " + name + ", one file where case is "
            + "ignored; nothing was written");
      }
    }
  }

  /** A file's text, and what it is (for messages). */
  private record Output(String text, String what) {}

  /** Refuses a folder holding IAM documents (*.trust.json, *.permissions.json) that {@code written} does not name. */
  private static void refuseOtherDocuments(Path folder, java.util.Set<String> written) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<String> others = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(folder)) {
      files.map(f -> f.getFileName().toString())
          .filter(n -> (n.endsWith(".trust.json") || n.endsWith(".permissions.json")) && !written.contains(n))
          .sorted().forEach(others::add);
    } catch (IOException e) {
      throw new CliException(folder + ": cannot read the folder: " + e.getMessage());
    }
    if (!others.isEmpty()) {
      throw new CliException(folder + " holds IAM documents this suggestion does not write (" + String.join(", ",
          others.subList(0, Math.min(3, others.size()))) + (others.size() > 3 ? ", ..." : "") + "), an older "
          + "suggestion's perhaps, which a loop over the folder would still apply: remove them or choose another "
          + "folder; nothing was written");
    }
  }
}
