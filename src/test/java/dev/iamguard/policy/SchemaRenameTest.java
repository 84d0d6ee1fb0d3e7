package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ALTER SCHEMA a RENAME TO b} moves the role an external schema's tables are read with
 * (outside probe F1, F2): the guard looks the role up by the schema's name, so after
 * {@code alter schema spectrum rename to spec2} a table in {@code spec2} was an unknown schema's
 * (a warning, where its role was known), and after renaming another schema to {@code spectrum}
 * its tables were judged with the registry's {@code spectrum} role instead of their own (allowed
 * without a word, where the schema's real role may not read the location).
 *
 * <p>What the guard can tell: {@code b} takes {@code a}'s role when {@code b} was free (renamed
 * away here, or known nowhere) or had the same role; else the server refuses the rename or not,
 * and {@code b}'s role is unknown. {@code a}'s role is unknown afterwards (the rename may have
 * failed) until a CREATE or another rename gives the name to a schema. Every rename of every
 * kind of name to every other, after three preludes, in five spellings, is compared with that
 * model, and the model itself with hand-checked cases.
 */
class SchemaRenameTest {
  private static final String OTHER = "arn:aws:iam::111122223333:role/Other";
  private static final Registry REGISTRY = Fixture.parse("""
      version: 1
      clusters:
        - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s, %2$s]}
      roles:
        - arn: %1$s
          allow: {s3_read: ["s3://data/"], s3_write: ["s3://data/"], glue_databases: [salesdb]}
        - arn: %2$s
          allow: {s3_read: ["s3://other/"], s3_write: ["s3://other/"], glue_databases: [salesdb]}
      external_schemas:
        spectrum: {iam_role: "%1$s"}
        archive: {iam_role: "%2$s"}
      """.formatted(Fixture.LOADER, OTHER), null);
  private static final String UNKNOWN = "unknown";
  private static final Map<String, String> ROLE_READS = Map.of(Fixture.LOADER, "s3://data/", OTHER, "s3://other/");
  private static final Map<String, String> REGISTERED = Map.of("spectrum", Fixture.LOADER, "archive", OTHER);

  /** The statements run before the rename, and what they leave: each name's role, and the names freed. */
  private record Prelude(String sql, Map<String, String> roles, Set<String> freed) {}

  private static final List<Prelude> PRELUDES = List.of(
      new Prelude("", Map.of(), Set.of()),
      new Prelude("create external schema made from data catalog database 'salesdb' iam_role '" + OTHER + "';\n",
          Map.of("made", OTHER), Set.of()),
      new Prelude("alter schema spectrum rename to parked;\n",
          Map.of("parked", Fixture.LOADER, "spectrum", UNKNOWN), Set.of("spectrum")));
  private static final List<String> NAMES = List.of("spectrum", "archive", "made", "parked", "fresh", "nowhere");
  private static final List<String> SPELLINGS = List.of("alter schema %s rename to %s", "ALTER SCHEMA %s RENAME TO %s",
      "alter /* c */ schema\n%s -- c\n rename to %s", "alter schema dev.%s rename to \"%s\"", "Alter Schema \"%s\" Rename To %s");

  /** The model: each name's role after the prelude and the rename ({@code UNKNOWN}, or empty when known nowhere). */
  private static Map<String, Optional<String>> after(Prelude prelude, String from, String to) {
    Map<String, String> roles = new HashMap<>(REGISTERED);
    roles.putAll(prelude.roles());
    Set<String> freed = new HashSet<>(prelude.freed());
    Optional<String> moved = freed.contains(from) ? Optional.empty() : Optional.ofNullable(roles.get(from));
    Optional<String> there = freed.contains(to) ? Optional.empty() : Optional.ofNullable(roles.get(to));
    if (moved.isPresent() || there.isPresent()) {
      boolean free = there.isEmpty();
      roles.put(to, moved.isPresent() && (free || there.equals(moved)) ? moved.get() : UNKNOWN);
      if (moved.isPresent()) {
        roles.put(from, UNKNOWN);
      }
    }
    Map<String, Optional<String>> all = new HashMap<>();
    for (String name : NAMES) {
      all.put(name, Optional.ofNullable(roles.get(name)));
    }
    return all;
  }

  /** What the guard says of a table of {@code schema} at {@code location}, as the model has it: its role reads it, or not, or the role is unknown. */
  private static RuleId expected(Optional<String> role, String location) {
    if (role.isEmpty() || role.get().equals(UNKNOWN)) {
      return RuleId.EXTERNAL_SCHEMA_UNKNOWN;
    }
    return location.startsWith(ROLE_READS.get(role.get())) ? null : RuleId.S3_NOT_PERMITTED;
  }

  private static List<RuleId> createTable(String script, String schema, String location) {
    String sql = script + "create external table " + schema + ".t (a int) stored as parquet location '" + location + "';";
    Decision decision = Fixture.inspect(REGISTRY, sql);
    return rules(decision);
  }

  @Test
  void everyRenameMovesTheRoleAsFarAsTheGuardCanTell() {
    int checked = 0;
    for (Prelude prelude : PRELUDES) {
      for (String from : NAMES) {
        for (String to : NAMES) {
          if (from.equals(to)) {
            continue;
          }
          Map<String, Optional<String>> model = after(prelude, from, to);
          for (String spelling : SPELLINGS) {
            String script = prelude.sql() + spelling.formatted(from, to) + ";\n";
            for (String name : List.of(from, to)) {
              for (String location : List.of("s3://data/x/", "s3://other/x/")) {
                RuleId want = expected(model.get(name), location);
                List<RuleId> got = createTable(script, name, location);
                String as = script + "-> table in " + name + " at " + location;
                if (want == null) {
                  assertThat(got).as(as).isEmpty();
                } else {
                  assertThat(got).as(as).containsExactly(want);
                }
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 6 * 5 * 5 * 2 * 2);
  }

  /** The model against cases worked out by hand (the outside probe's among them). */
  @Test
  void theModelAgreesWithHandCheckedCases() {
    // F2: spectrum renamed to spec2: spec2's tables are read with spectrum's role (Loader reads data/ only)
    assertThat(createTable("alter schema spectrum rename to spec2;\n", "spec2", "s3://other/x/"))
        .containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(createTable("alter schema spectrum rename to spec2;\n", "spec2", "s3://data/x/")).isEmpty();
    // F1: a schema of role Other takes the name spectrum after spectrum moved away: Other's prefixes apply
    String f1 = "create external schema ext9 from data catalog database 'salesdb' iam_role '" + OTHER + "';\n"
        + "alter schema spectrum rename to old_spectrum;\nalter schema ext9 rename to spectrum;\n";
    assertThat(createTable(f1, "spectrum", "s3://data/x/")).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(createTable(f1, "spectrum", "s3://other/x/")).isEmpty();
    assertThat(createTable(f1, "old_spectrum", "s3://other/x/")).containsExactly(RuleId.S3_NOT_PERMITTED);
    // without spectrum moved away first, the server refuses the rename (spectrum exists) or the registry
    // is out of date: spectrum's role is unknown rather than either
    assertThat(createTable("create external schema ext9 from data catalog database 'salesdb' iam_role '" + OTHER
        + "';\nalter schema ext9 rename to spectrum;\n", "spectrum", "s3://data/x/"))
        .containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
    // a name renamed away is free for a new schema: CREATE gives it the role written
    assertThat(createTable("alter schema spectrum rename to parked;\ncreate external schema spectrum from data catalog"
        + " database 'salesdb' iam_role '" + OTHER + "';\n", "spectrum", "s3://data/x/"))
        .containsExactly(RuleId.S3_NOT_PERMITTED);
    // a rename of a schema the guard knows nothing about onto a free name tells nothing either
    assertThat(createTable("alter schema nowhere rename to fresh;\n", "fresh", "s3://data/x/"))
        .containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
  }

  /** Tables created in a schema keep their locations under its new name: an INSERT there writes them with its role. */
  @Test
  void aRenamedSchemasTablesAreWrittenWhereTheyWere() {
    String script = "create external schema made from data catalog database 'salesdb' iam_role '" + OTHER + "';\n"
        + "create external table made.sales (a int) stored as parquet location 's3://other/sales/';\n"
        + "alter schema made rename to moved;\ninsert into moved.sales select 1;";
    Decision decision = Fixture.inspect(REGISTRY, script);
    List<StatementDecision> statements = decision.statements();
    assertThat(statements.get(statements.size() - 1).statement().command().kind())
        .isEqualTo(dev.iamguard.sql.CommandKind.INSERT_EXTERNAL_TABLE);
    assertThat(statements.get(statements.size() - 1).statement().command().resources().s3())
        .extracting(dev.iamguard.sql.S3Location::uri).containsExactly("s3://other/sales/");
    assertThat(rules(decision)).isEmpty();
  }

  /** Statements that only look alike change nothing: another object renamed, a schema's owner, a comment. */
  @Test
  void otherAlterStatementsMoveNoRole() {
    List<String> others = new ArrayList<>(List.of("alter table spectrum rename to fresh", "alter schema spectrum owner to bob",
        "alter schema spectrum quota 50 gb", "alter view spectrum rename to fresh", "alter schema spectrum rename fresh",
        "-- alter schema spectrum rename to fresh\nselect 1", "select 'alter schema spectrum rename to fresh'"));
    for (String other : others) {
      assertThat(createTable(other + ";\n", "spectrum", "s3://other/x/")).as(other).containsExactly(RuleId.S3_NOT_PERMITTED);
      assertThat(createTable(other + ";\n", "fresh", "s3://data/x/")).as(other)
          .containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
    }
  }
}
