package dev.iamguard.policy;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Names;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.S3Location;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *     guard cannot see ({@code 'SESSION'}, or the earlier role a CREATE EXTERNAL SCHEMA IF NOT EXISTS
 *     may have left in place)
 * @param tables {@code schema.table} (lower case) to every S3 location it was given here: the
 *     CREATE EXTERNAL TABLE's, and those of later ALTER TABLE ... LOCATION and CREATE ... IF NOT
 *     EXISTS statements. The guard cannot tell which of them Redshift kept (a CREATE of a table that
 *     exists fails, IF NOT EXISTS keeps the old one, a partition has its own), so an INSERT must be
 *     allowed to write at each
 * @param databases schema name (lower case) to the Glue Data Catalog database it was created
 *     from here (a schema that did not exist before its CREATE), so that an ALTER EXTERNAL SCHEMA
 *     to another role, which names no database, is judged against it as the CREATE was
 * @param freed schema names (lower case) renamed away here ({@code ALTER SCHEMA name RENAME TO
 *     other}): a later rename or CREATE may give the name to another schema. Until then the name's
 *     role is unknown ({@link #schemas} maps it to an empty chain): the rename may have failed
 */
public record ExternalCatalog(Map<String, List<RoleArn>> schemas, Map<String, List<String>> tables,
    Map<String, Database> databases, Set<String> freed) {
  /** Nothing created yet. */
  public static final ExternalCatalog NONE = new ExternalCatalog(Map.of(), Map.of());

  /**
   * The catalog database of an external schema created here: its {@code DATABASE}, and its
   * {@code CATALOG_ID} and {@code REGION} when written (null: the cluster's account and region).
   */
  public record Database(String name, String catalogId, String region) {
    public Database {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A catalog whose schemas' databases are not known. */
  public ExternalCatalog(Map<String, List<RoleArn>> schemas, Map<String, List<String>> tables) {
    this(schemas, tables, Map.of());
  }

  /** A catalog where no schema was renamed. */
  public ExternalCatalog(Map<String, List<RoleArn>> schemas, Map<String, List<String>> tables,
      Map<String, Database> databases) {
    this(schemas, tables, databases, Set.of());
  }

  public ExternalCatalog {
    freed = Set.copyOf(freed);
    databases = HashTrie.of(databases);
    schemas = HashTrie.of(schemas);
    // every map is a HashTrie from here on, which the with* methods below rely on
    if (!(tables instanceof HashTrie)) { // this class's own changes hold immutable lists already
      Map<String, List<String>> copied = new HashMap<>();
      tables.forEach((table, locations) -> copied.put(table, List.copyOf(locations)));
      tables = HashTrie.of(copied);
    }
  }

  /** One of this catalog's maps, which the constructor made a trie. */
  private static <K, V> HashTrie<K, V> trie(Map<K, V> map) {
    return (HashTrie<K, V>) map;
  }

  /** This catalog with schema {@code name} (as written) using {@code chain}. */
  public ExternalCatalog withSchema(String name, List<RoleArn> chain) {
    String schema = key(parts(name));
    return new ExternalCatalog(trie(schemas).with(schema, List.copyOf(chain)), tables, databases, without(freed, schema));
  }

  /**
   * This catalog with table {@code name} (as written, schema-qualified) stored at {@code location}
   * too: the locations it had here are kept, as Redshift may have kept them.
   */
  public ExternalCatalog withTable(String name, String location) {
    List<String> parts = parts(name);
    if (parts.size() < 2) {
      return this; // an external table is always schema-qualified
    }
    return withLocation(key(parts.subList(parts.size() - 2, parts.size())), location);
  }

  /** This catalog with {@code location} added to the table of key {@code schema.table} (lower case). */
  private ExternalCatalog withLocation(String key, String location) {
    List<String> known = tables.getOrDefault(key, List.of());
    if (known.contains(location)) {
      return this;
    }
    List<String> locations = new ArrayList<>(known);
    locations.add(location);
    return new ExternalCatalog(schemas, trie(tables).with(key, List.copyOf(locations)), databases, freed);
  }

  /**
   * This catalog once {@code command} has run: a CREATE EXTERNAL TABLE adds its table's location,
   * an ALTER TABLE ... LOCATION of a table created here adds the new ones; any other command
   * changes nothing.
   */
  public ExternalCatalog after(RedshiftCommand command) {
    String table = command.targetTable();
    boolean adds = command.kind() == CommandKind.CREATE_EXTERNAL_TABLE
        || command.kind() == CommandKind.ALTER_EXTERNAL_TABLE && !locations(table == null ? "" : table).isEmpty();
    if (table == null || !adds) {
      return this;
    }
    ExternalCatalog catalog = this;
    for (S3Location location : command.resources().s3()) {
      catalog = catalog.withTable(table, location.uri());
    }
    String other = command.resources().otherSource();
    return other == null ? catalog : catalog.withTable(table, other);
  }

  /**
   * The chain external schema {@code command} (CREATE or ALTER EXTERNAL SCHEMA, its chain
   * {@code written}) is read with from now on: the one written, but none the guard can know (an
   * empty chain) when a schema already known here or in the registry ({@code registered}) with
   * another chain may keep it. A CREATE leaves an existing schema as it was, with IF NOT EXISTS or
   * without (the CREATE then fails, and a client that goes on after an error, as psql does, uses
   * the schema with its real chain); and a quoted name with capitals ({@code "Spectrum"}) is
   * another schema than {@code spectrum} when enable_case_sensitive_identifier is on. Its tables'
   * locations are then not judged against a role that may not be the one reading them.
   */
  public List<RoleArn> chainAfter(RedshiftCommand command, List<RoleArn> written,
      java.util.function.Function<String, Optional<List<RoleArn>>> registered) {
    String name = command.objectName();
    if (command.kind() != CommandKind.CREATE_EXTERNAL_SCHEMA && !quotedWithCapitals(name)) {
      return written;
    }
    String schema = schemaName(name);
    // a name renamed away here is known nowhere: a CREATE makes it a new schema's
    Optional<List<RoleArn>> known = known(schema, registered);
    return known.isEmpty() || known.get().equals(written) ? written : List.of();
  }

  /**
   * This catalog after external schema {@code command} (CREATE or ALTER, its chain {@code written})
   * ran: the chain of {@link #chainAfter}, and for a CREATE of a schema not known before (here or in
   * the registry) the Glue database it names. A CREATE of a known schema leaves its database as it
   * was (known here or not), and an ALTER changes none.
   */
  public ExternalCatalog afterSchema(RedshiftCommand command, List<RoleArn> written,
      java.util.function.Function<String, Optional<List<RoleArn>>> registered) {
    ExternalCatalog after = withSchema(command.objectName(), chainAfter(command, written, registered));
    String schema = schemaName(command.objectName());
    String database = command.resources().catalogDatabase();
    if (command.kind() != CommandKind.CREATE_EXTERNAL_SCHEMA || database == null
        || known(schema, registered).isPresent()) {
      return after;
    }
    return new ExternalCatalog(after.schemas, tables, trie(databases).with(key(parts(command.objectName())),
        new Database(database, command.resources().catalogId(), command.resources().region())), after.freed);
  }

  /** The catalog database schema {@code name} (as written) was created from here, if known. */
  public Optional<Database> database(String name) {
    return Optional.ofNullable(databases.get(key(parts(name))));
  }

  /** True when {@code name} holds a quoted part with an upper-case letter, which only case-sensitive identifiers keep. */
  private static boolean quotedWithCapitals(String name) {
    boolean quoted = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (quoted && Character.isUpperCase(c)) {
        return true;
      }
    }
    return false;
  }

  /** The name of schema {@code name} as written ({@code "S"}, {@code db.s}), lower case: its last part. */
  public static String schemaName(String name) {
    List<String> parts = parts(name);
    return parts.get(parts.size() - 1);
  }

  /** The schema part of table {@code name} as written ({@code spectrum.sales}), lower case; null when it has none. */
  public static String tableSchema(String name) {
    List<String> parts = parts(name);
    return parts.size() < 2 ? null : parts.get(parts.size() - 2);
  }

  /** The chain of schema {@code name} (a name as {@link #schemaName} reads it) created here, if any. */
  public Optional<List<RoleArn>> schema(String name) {
    return Optional.ofNullable(schemas.get(Names.folded(name))); // ASCII, as the keys are (parts)
  }

  /** Every location the table {@code name} (as written) created here was given; empty for any other table. */
  public List<String> locations(String name) {
    List<String> parts = parts(name);
    return parts.size() < 2 ? List.of()
        : tables.getOrDefault(key(parts.subList(parts.size() - 2, parts.size())), List.of());
  }

  /**
   * {@code statement} read as an INSERT into an external table created here ({@code INSERT INTO},
   * or {@code PREPARE ... AS INSERT INTO}, a table this catalog knows): the command writes each of
   * the table's locations with the external schema's role. Null for any other statement.
   */
  public SqlStatement asExternalInsert(SqlStatement statement) {
    if (tables.isEmpty()) {
      return null;
    }
    String target = statement.insertTarget();
    List<String> written = target == null ? List.of() : locations(target);
    return written.isEmpty() ? null : statement.withCommand(RedshiftCommand.externalInsert(target, written));
  }

  /**
   * This catalog once {@code statement} has run, when it renames a table created here
   * ({@code ALTER TABLE s.t RENAME TO u}): {@code s.u} is stored where {@code s.t} was. The old
   * name keeps its locations, as the guard cannot tell whether the rename succeeded.
   */
  public ExternalCatalog afterRename(SqlStatement statement) {
    if (tables.isEmpty()) {
      return this;
    }
    SqlStatement.TableRename rename = statement.tableRename();
    List<String> known = rename == null ? List.of() : locations(rename.table());
    if (known.isEmpty()) {
      return this;
    }
    List<String> parts = parts(rename.newName());
    // RENAME TO names the table alone: it stays in its schema
    String renamed = schemaOf(rename.table()) + "." + parts.get(parts.size() - 1);
    ExternalCatalog catalog = this;
    for (String location : known) {
      catalog = catalog.withLocation(renamed, location);
    }
    return catalog;
  }

  /**
   * This catalog once {@code statement} has run, when it renames a schema ({@code ALTER SCHEMA a
   * RENAME TO b}) that is known here or in the registry ({@code registered}), or renames one to
   * such a name. Redshift reads an external table with its schema's role, which the guard looks
   * up by name, so the names follow the schema as far as the guard can tell: {@code b} takes
   * {@code a}'s role (and its tables' locations and its database) when {@code b} was free (renamed
   * away here, or known nowhere) or had the same role; otherwise the rename may have failed or
   * succeeded, and {@code b}'s role is unknown. {@code a} is freed: its role is unknown (the rename
   * may have failed) until a CREATE or a rename gives the name to another schema.
   */
  public ExternalCatalog afterSchemaRename(SqlStatement statement,
      java.util.function.Function<String, Optional<List<RoleArn>>> registered) {
    SqlStatement.SchemaRename rename = statement.schemaRename();
    if (rename == null) {
      return this;
    }
    String from = schemaName(rename.schema());
    String to = schemaName(rename.newName());
    if (from.equals(to)) {
      return this;
    }
    Optional<List<RoleArn>> moved = known(from, registered);
    Optional<List<RoleArn>> there = known(to, registered);
    if (moved.isEmpty() && there.isEmpty()) {
      return this; // neither name is an external schema the guard knows
    }
    // the new name is free when known nowhere: a name renamed away here counts as known nowhere (known)
    List<RoleArn> chain = moved.isPresent() && (there.isEmpty() || there.get().equals(moved.get())) ? moved.get() : List.of();
    Map<String, List<RoleArn>> names = new HashMap<>(schemas);
    names.put(to, chain);
    Set<String> renamedAway = new HashSet<>(freed);
    renamedAway.remove(to);
    if (moved.isPresent()) {
      names.put(from, List.of());
      renamedAway.add(from);
    }
    Map<String, Database> catalogs = new HashMap<>(databases);
    catalogs.remove(to);
    if (!chain.isEmpty() && databases.containsKey(from)) {
      catalogs.put(to, databases.get(from));
    }
    ExternalCatalog after = new ExternalCatalog(names, tables, catalogs, renamedAway);
    if (!chain.isEmpty()) {
      for (Map.Entry<String, List<String>> table : tables.entrySet()) {
        if (table.getKey().startsWith(from + ".")) {
          String renamed = to + table.getKey().substring(from.length());
          for (String location : table.getValue()) {
            after = after.withLocation(renamed, location);
          }
        }
      }
    }
    return after;
  }

  /** The chain of schema {@code name} (lower case) here, else in the registry, unless it was renamed away here. */
  private Optional<List<RoleArn>> known(String name, java.util.function.Function<String, Optional<List<RoleArn>>> registered) {
    return freed.contains(name) ? Optional.empty() : schema(name).or(() -> registered.apply(name));
  }

  private static Set<String> without(Set<String> names, String name) {
    if (!names.contains(name)) {
      return names;
    }
    Set<String> rest = new HashSet<>(names);
    rest.remove(name);
    return rest;
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

  /**
   * The dot-separated parts of a name, quotes removed ({@code ""} inside quotes is one quote), their
   * ASCII letters in lower case: Redshift folds the ASCII letters of a name, quoted or not, and no
   * other char ({@code É}, the Kelvin sign and {@code İ} stay as written, where Java's
   * {@code toLowerCase} would make another schema's name of them; SchemaNameServerTest).
   */
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
        parts.add(Names.folded(part.toString()));
        part.setLength(0);
      } else if (quoted || !Character.isWhitespace(c)) {
        part.append(c);
      }
    }
    parts.add(Names.folded(part.toString()));
    return parts;
  }
}
