package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * CREATE EXTERNAL SCHEMA, without IF NOT EXISTS, of a schema already known (listed in the
 * registry, or created earlier in the same script or on the same connection) with another chain:
 * Redshift's CREATE fails because the schema exists, and a client that goes on after an error
 * (psql's default, which runs the files {@code check} approves) then reads the schema's tables
 * with its real chain. So the schema's chain is no longer known: neither the chain written nor the
 * earlier one may judge its tables' locations (EXTERNAL_SCHEMA_UNKNOWN; denied where
 * unknown_external_schema is deny). Before the fix the chain written judged them.
 *
 * <p>Generated: how the schema is known (2) x the name's spelling (4) x keyword case and comments
 * between tokens (3) x where the CREATE stands (first, after another statement) x one text or two
 * pieces x a location only the written role may read and one only the earlier role may read. The
 * controls (IF NOT EXISTS or not): created again with the SAME chain, the chain is known and
 * judges the tables; a schema nobody knew is judged by the chain written.
 */
class ExternalSchemaRecreatedTest {
  private static final String LOADER = Fixture.LOADER;
  private static final String OTHER = "arn:aws:iam::111122223333:role/Other";
  private static final String YAML = """
      version: 1
      clusters:
        - {id: west, account: "111122223333", region: us-west-2, attached_roles: [%1$s, %2$s]}
      roles:
        - arn: %1$s
          allow: {s3_read: ["s3://data/"], glue_databases: [salesdb]}
        - arn: %2$s
          allow: {s3_read: ["s3://other/"], glue_databases: [salesdb]}
      external_schemas:
        spectrum: {iam_role: "%1$s"}
      """.formatted(LOADER, OTHER);
  private static final Registry REGISTRY = Fixture.parse(YAML, null);
  private static final Registry STRICT = Fixture.parse(YAML + "policy: {unknown_external_schema: deny}\n", null);

  /** Only the role written may read it, only the earlier one may read it. */
  private static final List<String> LOCATIONS = List.of("s3://other/t/", "s3://data/in/t/");

  /** How the CREATE is written: {@code %s} the name, {@code %r} the role. Keyword case and comments vary. */
  private static final List<String> CREATES = List.of(
      "create external schema %s from data catalog database 'salesdb' iam_role '%r'",
      "CREATE /* c */ EXTERNAL\nSCHEMA %s FROM DATA CATALOG DATABASE 'salesdb' IAM_ROLE '%r' REGION 'us-west-2'",
      "Create External Schema --c\n %s from data catalog database 'salesdb' catalog_role '%r' iam_role '%r'");

  /** A schema known before the CREATE: its lower-case name, and the statement (if any) that created it earlier. */
  record Known(String name, String earlier) {}

  private static final List<Known> KNOWN = List.of(new Known("spectrum", null),
      new Known("s2", "create external schema s2 from data catalog database 'salesdb' iam_role '" + LOADER + "'"));

  private static List<String> spellings(String name) {
    return List.of(name, name.toUpperCase(Locale.ROOT), "\"" + name + "\"",
        Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }

  @Test
  void aSchemaCreatedAgainWithAnotherChainHasNoKnownChain() {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (Known known : KNOWN) {
      for (String name : spellings(known.name())) {
        for (int c = 0; c < CREATES.size(); c++) {
          for (String before : List.of("", "select 1;\n")) {
            for (boolean pieces : List.of(false, true)) {
              for (String location : LOCATIONS) {
                String create = CREATES.get(c).replace("%s", name).replace("%r", OTHER);
                String table = "create external table " + name + ".t (a int) stored as parquet location '" + location + "'";
                List<RuleId> rules = rules(run(REGISTRY, known, before + create, table, pieces));
                StatementDecision strict = run(STRICT, known, before + create, table, pieces);
                cases++;
                if (!rules.equals(List.of(RuleId.EXTERNAL_SCHEMA_UNKNOWN)) || strict.verdict() != Verdict.DENY) {
                  failures.add(create + " | " + table + (pieces ? " (pieces)" : "") + ": " + rules
                      + ", strict " + strict.verdict());
                }
              }
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(2 * 4 * 3 * 2 * 2 * 2);
    assertThat(failures).as(failures.size() + " of " + cases).isEmpty();
  }

  /** The controls: the same chain again (with or without IF NOT EXISTS), or a schema nobody knew. */
  @Test
  void theSameChainAgainOrANewSchemaKeepsItsChainKnown() {
    int cases = 0;
    for (Known known : KNOWN) {
      for (String ifNotExists : List.of("", "if not exists ")) {
        for (int c = 0; c < CREATES.size(); c++) {
          for (boolean pieces : List.of(false, true)) {
            String create = CREATES.get(c).replace("schema %s", "schema " + ifNotExists + "%s")
                .replace("SCHEMA %s", "SCHEMA " + ifNotExists + "%s").replace("%s", known.name()).replace("%r", LOADER);
            // the earlier role judges: s3://data is its, s3://other is not
            assertThat(rules(run(REGISTRY, known, create, table(known.name(), "s3://data/in/t/"), pieces)))
                .as(create).isEmpty();
            assertThat(rules(run(REGISTRY, known, create, table(known.name(), "s3://other/t/"), pieces)))
                .as(create).containsExactly(RuleId.S3_NOT_PERMITTED);
            // another chain, IF NOT EXISTS (as before) or not (since adv4): unknown
            String other = create.replace(LOADER, OTHER);
            assertThat(rules(run(REGISTRY, known, other, table(known.name(), "s3://other/t/"), pieces)))
                .as(other).containsExactly(RuleId.EXTERNAL_SCHEMA_UNKNOWN);
            // a schema nobody knew: the chain written judges
            String fresh = other.replace(" " + known.name() + " ", " fresh ");
            assertThat(rules(run(REGISTRY, known, fresh, table("fresh", "s3://other/t/"), pieces))).as(fresh)
                .isEmpty();
            assertThat(rules(run(REGISTRY, known, fresh, table("fresh", "s3://data/in/t/"), pieces))).as(fresh)
                .containsExactly(RuleId.S3_NOT_PERMITTED);
            cases++;
          }
        }
      }
    }
    assertThat(cases).isEqualTo(2 * 2 * 3 * 2);
  }

  private static String table(String schema, String location) {
    return "create external table " + schema + ".t (a int) stored as parquet location '" + location + "'";
  }

  /**
   * The decision on {@code table} after {@code known}'s earlier CREATE and {@code create}: all in
   * one text (whose other statements must have no findings), or each in its own piece with the
   * session the previous one left (as a JDBC connection or {@code iamguard run} sends them).
   */
  private static StatementDecision run(Registry registry, Known known, String create, String table, boolean pieces) {
    List<String> statements = new ArrayList<>();
    if (known.earlier() != null) {
      statements.add(known.earlier());
    }
    statements.add(create);
    statements.add(table);
    Guard guard = new Guard(registry);
    Session session = Session.of("user1", null);
    if (!pieces) {
      List<StatementDecision> all = guard.inspect(String.join(";\n", statements), session).statements();
      for (StatementDecision each : all.subList(0, all.size() - 1)) {
        assertThat(each.findings()).as(each.statement().text()).isEmpty();
      }
      return all.get(all.size() - 1);
    }
    Decision last = null;
    for (String piece : statements) {
      last = guard.inspect(piece, session);
      session = last.sessionAfter();
    }
    return last.statements().get(last.statements().size() - 1);
  }

  private static List<RuleId> rules(StatementDecision decision) {
    return decision.findings().stream().map(Finding::rule).toList();
  }
}
