package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ALTER EXTERNAL SCHEMA ... IAM_ROLE names no Glue database, but the new role is the one that
 * reads the schema's catalog database from then on: for a schema created earlier in the same
 * script or on the same connection, the new role must be allowed the database (with the
 * CATALOG_ID and REGION) the CREATE named, as the equivalent CREATE would be (CATALOG_NOT_PERMITTED).
 * Before the fix the ALTER was allowed whatever the role.
 *
 * <p>The registry, read by hand: Loader may use salesdb, otherdb and partner account
 * 222233334444's partnerdb in us-east-1; Narrow only salesdb; West only partnerdb in us-west-2
 * (the wrong region); Bare no database. Generated: 3 databases (one of another account and region)
 * x 4 new roles x name spellings x keyword case and comments x one text or pieces. Controls: the
 * new role that may use the database is allowed, and a schema the registry lists (its database
 * is not known: the ALTER is judged as before, see README) is not denied for its catalog.
 */
class AlterExternalSchemaCatalogTest {
  private static final String ACCOUNT = "111122223333";
  private static final String LOADER = role("Loader");
  private static final String NARROW = role("Narrow");
  private static final String WEST = role("West");
  private static final String BARE = role("Bare");
  private static final String YAML = """
      version: 1
      clusters:
        - {id: west, account: "%5$s", region: us-west-2, attached_roles: [%1$s, %2$s, %3$s, %4$s]}
      roles:
        - arn: %1$s
          allow: {s3_read: ["s3://data/"], glue_databases: [salesdb, otherdb, "arn:aws:glue:us-east-1:222233334444:database/partnerdb"]}
        - arn: %2$s
          allow: {s3_read: ["s3://data/"], glue_databases: [salesdb]}
        - arn: %3$s
          allow: {s3_read: ["s3://data/"], glue_databases: ["arn:aws:glue:us-west-2:222233334444:database/partnerdb"]}
        - arn: %4$s
          allow: {s3_read: ["s3://data/"]}
      external_schemas:
        spectrum: {iam_role: "%1$s"}
      """.formatted(LOADER, NARROW, WEST, BARE, ACCOUNT);
  private static final Registry REGISTRY = Fixture.parse(YAML, null);

  /** A database clause, and the new roles that may use it (by hand, from the registry above). */
  record From(String clause, List<String> mayUse) {}

  private static final List<From> FROMS = List.of(
      new From("database 'salesdb'", List.of(LOADER, NARROW)),
      new From("DATABASE 'otherdb' REGION 'us-west-2'", List.of(LOADER)),
      new From("database 'partnerdb' catalog_id '222233334444' region 'us-east-1'", List.of(LOADER)));

  private static final List<String> ALTERS = List.of("alter external schema %s iam_role '%r'",
      "ALTER /* c */ EXTERNAL SCHEMA %s\nIAM_ROLE '%r'", "Alter External Schema --c\n %s Iam_Role '%r'");

  private static String role(String name) {
    return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
  }

  @Test
  void theNewRoleOfAnAlteredSchemaIsJudgedAgainstTheDatabaseItWasCreatedFrom() {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    int denied = 0;
    for (From from : FROMS) {
      String create = "create external schema s2 from data catalog " + from.clause() + " iam_role '" + LOADER + "'";
      for (String newRole : List.of(LOADER, NARROW, WEST, BARE)) {
        boolean mayUse = from.mayUse().contains(newRole);
        // the equivalent CREATE, as a cross-check of the hand-read registry
        List<RuleId> direct = rules(decide(List.of(create.replace(LOADER, newRole)), false));
        assertThat(direct.contains(RuleId.CATALOG_NOT_PERMITTED)).as(create + " as " + newRole).isEqualTo(!mayUse);
        for (String name : List.of("s2", "S2", "\"s2\"")) {
          for (int a = 0; a < ALTERS.size(); a++) {
            String alter = ALTERS.get(a).replace("%s", name).replace("%r", newRole);
            for (boolean pieces : List.of(false, true)) {
              List<RuleId> rules = rules(decide(List.of(create, alter), pieces));
              cases++;
              if (rules.contains(RuleId.CATALOG_NOT_PERMITTED) != !mayUse) {
                failures.add(create + " | " + alter + (pieces ? " (pieces)" : "") + ": " + rules);
              }
              denied += mayUse ? 0 : 1;
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(3 * 4 * 3 * 3 * 2);
    assertThat(denied).isEqualTo((2 + 3 + 3) * 3 * 3 * 2);
    assertThat(failures).as(failures.size() + " of " + cases).isEmpty();
  }

  /** The registry's spectrum names no database here: its ALTER is not judged for a catalog (unchanged). */
  @Test
  void aRegistrySchemaWhoseDatabaseIsNotKnownIsAlteredAsBefore() {
    for (String alter : ALTERS) {
      String sql = alter.replace("%s", "spectrum").replace("%r", BARE);
      assertThat(rules(decide(List.of(sql), false))).as(sql).doesNotContain(RuleId.CATALOG_NOT_PERMITTED);
    }
  }

  /**
   * A registry entry that names its database ({@code database}, {@code catalog_id}, {@code region})
   * is judged as a schema created in the text: for each database of {@link #FROMS}, each new role
   * and ALTER form, the ALTER of the listed schema is denied exactly when the role may not use it.
   */
  @Test
  void aRegistrySchemaThatNamesItsDatabaseIsJudgedAgainstIt() {
    List<String> entries = List.of("{iam_role: \"%s\", database: salesdb}".formatted(LOADER),
        "{iam_role: \"%s\", database: otherdb, region: us-west-2}".formatted(LOADER),
        "{iam_role: \"%s\", database: partnerdb, catalog_id: \"222233334444\", region: us-east-1}".formatted(LOADER));
    int cases = 0;
    for (int f = 0; f < FROMS.size(); f++) {
      Registry listed = Fixture.parse(YAML.replace("spectrum: {iam_role: \"" + LOADER + "\"}",
          "spectrum: " + entries.get(f)), null);
      for (String newRole : List.of(LOADER, NARROW, WEST, BARE)) {
        for (String alter : ALTERS) {
          String sql = alter.replace("%s", "spectrum").replace("%r", newRole);
          List<StatementDecision> all = new Guard(listed).inspect(sql, Session.of("user1", null)).statements();
          assertThat(rules(all.get(0)).contains(RuleId.CATALOG_NOT_PERMITTED)).as(entries.get(f) + " | " + sql)
              .isEqualTo(!FROMS.get(f).mayUse().contains(newRole));
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(3 * 4 * 3);
  }

  /** catalog_id or region without a database, or a catalog_id that is no account id, is a registry error. */
  @Test
  void aRegistryCatalogWithoutItsDatabaseIsRefused() {
    for (String entry : List.of("{iam_role: \"%s\", region: us-east-1}", "{iam_role: \"%s\", catalog_id: \"222233334444\"}",
        "{iam_role: \"%s\", database: salesdb, catalog_id: \"2222\"}")) {
      String yaml = YAML.replace("spectrum: {iam_role: \"" + LOADER + "\"}", "spectrum: " + entry.formatted(LOADER));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.iamguard.policy.registry.RegistryLoader.parse(yaml,
          "r.yaml", java.nio.file.Path.of("."))).as(entry).hasMessageContaining("external_schemas.spectrum");
    }
  }

  /** The ALTER's decision: the last statement's findings, the script sent as one text or statement by statement. */
  private static StatementDecision decide(List<String> statements, boolean pieces) {
    Guard guard = new Guard(REGISTRY);
    Session session = Session.of("user1", null);
    if (!pieces) {
      List<StatementDecision> all = guard.inspect(String.join(";\n", statements), session).statements();
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
