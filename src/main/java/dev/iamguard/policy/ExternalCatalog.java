package dev.iamguard.policy;

import dev.iamguard.policy.iam.RoleArn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a connection (or a script) has told Redshift about external objects through the guard:
 * the role chain of each external schema it created, and the location of each external table it
 * created, so later external tables, ALTER TABLE ... LOCATION and INSERTs into those tables can be
 * checked against that role's prefixes. Immutable; each change makes a new one.
 *
 * <p>Names compare ignoring case: Redshift folds identifiers, quoted ones included, to lower case
 * unless {@code enable_case_sensitive_identifier} is on.
 *
 * @param schemas schema name (lower case) to its IAM_ROLE chain; an empty chain means a role the
 *     guard cannot see ({@code 'SESSION'})
 * @param tables {@code schema.table} (lower case) to its S3 location
 */
public record ExternalCatalog(Map<String, List<RoleArn>> schemas, Map<String, String> tables) {
  /** Nothing created yet. */
  public static final ExternalCatalog NONE = new ExternalCatalog(Map.of(), Map.of());

  public ExternalCatalog {
    schemas = Map.copyOf(schemas);
    tables = Map.copyOf(tables);
  }

  /** This catalog with schema {@code name} (as written) using {@code chain}. */
  public ExternalCatalog withSchema(String name, List<RoleArn> chain) {
    Map<String, List<RoleArn>> more = new HashMap<>(schemas);
    more.put(key(parts(name)), List.copyOf(chain));
    return new ExternalCatalog(more, tables);
  }

  /** This catalog with table {@code name} (as written, schema-qualified) stored at {@code location}. */
  public ExternalCatalog withTable(String name, String location) {
    List<String> parts = parts(name);
    if (parts.size() < 2) {
      return this; // an external table is always schema-qualified
    }
    Map<String, String> more = new HashMap<>(tables);
    more.put(key(parts.subList(parts.size() - 2, parts.size())), location);
    return new ExternalCatalog(schemas, more);
  }

  /** The chain of schema {@code name} created here, if any. */
  public Optional<List<RoleArn>> schema(String name) {
    return Optional.ofNullable(schemas.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The location of the table {@code name} (as written) created here, if any. */
  public Optional<String> location(String name) {
    List<String> parts = parts(name);
    return parts.size() < 2 ? Optional.empty()
        : Optional.ofNullable(tables.get(key(parts.subList(parts.size() - 2, parts.size()))));
  }

  /**
   * The schema of a table name as written ({@code s.t}, {@code "S".t}, {@code db.s.t}), lower
   * case; null when it is not schema-qualified.
   */
  public static String schemaOf(String tableName) {
    List<String> parts = parts(tableName);
    return parts.size() < 2 ? null : parts.get(parts.size() - 2);
  }

  private static String key(List<String> parts) {
    return String.join(".", parts);
  }

  /** The dot-separated parts of a name, quotes removed ({@code ""} inside quotes is one quote), lower case. */
  static List<String> parts(String name) {
    List<String> parts = new ArrayList<>(3);
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
          part.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(part.toString().toLowerCase(Locale.ROOT));
        part.setLength(0);
      } else if (quoted || !Character.isWhitespace(c)) {
        part.append(c);
      }
    }
    parts.add(part.toString().toLowerCase(Locale.ROOT));
    return parts;
  }
}
