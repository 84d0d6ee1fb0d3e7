package dev.iamguard.policy.suggest;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.DbRoleConfig;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.PolicySettings;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.S3Prefix;
import dev.iamguard.policy.registry.UserConfig;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A {@link Suggestion} as a registry file that {@code RegistryLoader} reads: the short form
 * ({@code trust:}/{@code allow:}), or each role's {@code policy_files} (the IAM documents of
 * {@link IamDocuments}, named by role ARN). Every value is a double-quoted YAML scalar, so no name can change the
 * structure; the gaps, notes, additions and unused grants are comments for the reviewer.
 */
public final class RegistryYaml {
  private final StringBuilder out = new StringBuilder(2048);

  private RegistryYaml() {}

  /** The file names of one role's IAM documents, relative to the registry. */
  public record PolicyFiles(String trust, String permissions) {}

  /** The suggestion as a short-form registry, with the gaps of the short form ({@link Suggestion#asShortForm}). */
  public static String shortForm(Suggestion suggestion) {
    return new RegistryYaml().write(suggestion.asShortForm(), null);
  }

  /** The suggestion as a registry whose roles are described by the IAM documents {@code files} names. */
  public static String withPolicyFiles(Suggestion suggestion, Function<String, PolicyFiles> files) {
    return new RegistryYaml().write(suggestion, files);
  }

  private String write(Suggestion s, Function<String, PolicyFiles> files) {
    line("# iamguard suggest: the least privilege the scripts need (" + s.statements() + " statements read, "
        + s.resolved() + " using AWS resources covered, " + s.unresolved() + " not resolved)");
    comments("note", s.notes());
    comments("incomplete", s.gaps().stream().map(Gap::toString).toList());
    comments("not granted (the IAM documents lack it)", s.ungranted().stream().map(Gap::toString).toList());
    comments("added (the registry does not grant it)", s.additions());
    line("version: 1");
    ClusterConfig cluster = s.cluster();
    line("clusters:");
    line("  - id: " + q(cluster.id()));
    line("    account: " + q(cluster.account()));
    line("    region: " + q(cluster.region()));
    if (cluster.serverless()) {
      line("    serverless: true");
      cluster.workgroupId().ifPresent(id -> line("    workgroup_id: " + q(id)));
    }
    line("    attached_roles: " + list(cluster.attachedRoles()));
    cluster.defaultRole().ifPresent(r -> line("    default_role: " + q(r.toString())));
    line(s.roles().isEmpty() ? "roles: []" : "roles:");
    for (SuggestedRole role : s.roles()) {
      line("  - arn: " + q(role.arn().toString()));
      role.alias().ifPresent(a -> line("    alias: " + q(a)));
      if (files != null) {
        PolicyFiles names = files.apply(role.arnText());
        line("    policy_files:");
        line("      trust: " + q(names.trust()));
        if (names.permissions() != null) {
          line("      permissions: [" + q(names.permissions()) + "]");
        }
      } else {
        trust(role);
        allow(role);
      }
    }
    if (!s.chains().isEmpty()) {
      line("chains:");
      for (ChainConfig chain : s.chains()) {
        line("  " + q(chain.name()) + ": " + list(chain.roles()));
      }
    }
    if (s.grantsSection()) {
      line(s.grants().isEmpty() ? "grants: []" : "grants:");
      for (SuggestedGrant grant : s.grants()) {
        line("  - on: [" + q(grant.on()) + "]");
        line("    to: " + list(grant.to()));
        line("    for: " + list(grant.commands()));
      }
    }
    s.given().ifPresent(this::identities);
    if (!s.externalSchemas().isEmpty()) {
      line("external_schemas:");
      for (ExternalSchemaConfig schema : s.externalSchemas()) {
        line("  " + q(schema.name()) + ": { iam_role: " + q(String.join(",",
            schema.chain().stream().map(RoleArn::toString).toList()))
            + schema.cluster().map(c -> ", cluster: " + q(c)).orElse("")
            + schema.database().map(d -> ", database: " + q(d)).orElse("")
            + schema.catalogId().map(c -> ", catalog_id: " + q(c)).orElse("")
            + schema.region().map(r -> ", region: " + q(r)).orElse("") + " }");
      }
    }
    policy(s.given().map(Registry::settings).orElse(PolicySettings.DEFAULTS));
    comments("unused (the registry grants it, no statement uses it)", s.unused());
    return out.toString();
  }

  private void trust(SuggestedRole role) {
    line("    trust:");
    if (role.trustsRedshift() || role.principals().isEmpty()) {
      line("      regions: " + list(role.regions()));
    }
    role.dbUsers().ifPresent(users -> line("      db_users: " + list(users)));
    if (!role.principals().isEmpty()) {
      line("      principals: " + list(role.principals()));
    }
  }

  private void allow(SuggestedRole role) {
    int mark = out.length();
    line("    allow:");
    int empty = out.length();
    entries("s3_read", role.s3Read());
    entries("s3_write", role.s3Write());
    entries("lambda", role.lambda().keySet());
    entries("glue_databases", role.glue().keySet());
    entries("assume", role.assume());
    entries("dynamodb_tables", role.dynamodb().keySet());
    entries("emr_clusters", role.emr().keySet());
    if (out.length() == empty) {
      out.setLength(mark);
      line("    allow: {}");
    }
  }

  private void entries(String key, Collection<?> values) {
    if (!values.isEmpty()) {
      line("      " + key + ": " + list(values));
    }
  }

  /** The given registry's users and Redshift role grants: facts about identities, kept as they are. */
  private void identities(Registry registry) {
    if (!registry.users().isEmpty()) {
      line("users:");
      for (UserConfig user : registry.users()) {
        line("  " + q(user.name()) + ": { groups: " + list(user.groups()) + ", roles: " + list(user.roles())
            + (user.superuser() ? ", superuser: true" : "") + " }");
      }
    }
    if (!registry.dbRoles().isEmpty()) {
      line("db_roles:");
      for (DbRoleConfig role : registry.dbRoles()) {
        line("  " + q(role.name()) + ": { roles: " + list(role.roles()) + " }");
      }
    }
  }

  /** The given registry's settings, but no key grants: suggest writes roles, never keys. */
  private void policy(PolicySettings settings) {
    line("policy:");
    line("  mode: " + word(settings.mode()));
    line("  credentials: " + word(settings.credentials()));
    line("  rewrite_aliases: " + settings.rewriteAliases());
    line("  rewrite_default_role: " + settings.rewriteDefaultRole());
    line("  max_chain: " + settings.maxChain());
    line("  session_role: " + word(settings.sessionRole()));
    line("  copy_job_run: " + word(settings.copyJobRun()));
    line("  unknown_external_schema: " + word(settings.unknownExternalSchema()));
    line("  dynamic_sql: " + word(settings.dynamicSql()));
  }

  private static String word(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private void comments(String heading, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    line("# " + heading + ":");
    for (String text : lines) {
      line("#   " + oneLine(text));
    }
  }

  /** A comment stays one line whatever a file name or value holds. */
  private static String oneLine(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029) {
        safe.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        safe.appendCodePoint(c);
      }
    });
    return safe.toString();
  }

  private void line(String text) {
    out.append(text).append('\n');
  }

  private static String list(Collection<?> values) {
    StringBuilder text = new StringBuilder("[");
    for (Object value : values) {
      text.append(text.length() > 1 ? ", " : "").append(q(value instanceof S3Prefix p ? p.toString() : String.valueOf(value)));
    }
    return text.append(']').toString();
  }

  /** A double-quoted YAML scalar: backslash escapes for quotes, backslashes and every control character. */
  static String q(String value) {
    StringBuilder text = new StringBuilder(value.length() + 2).append('"');
    value.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
            text.append(String.format(Locale.ROOT, "\\u%04x", c));
          } else {
            text.appendCodePoint(c);
          }
        }
      }
    });
    return text.append('"').toString();
  }
}
