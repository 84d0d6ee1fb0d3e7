package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names that are not S3 keys but still go into a Resource ARN or a registry entry: the catalog
 * database of CREATE EXTERNAL SCHEMA and the REGION clause of CREATE EXTERNAL SCHEMA and of COPY
 * from DynamoDB or EMR. Written as they are, {@code *} and {@code ?} are wildcards both in the
 * registry's {@code glue_databases} and in IAM, {@code ${...}} a policy variable, and a {@code /}
 * in a database name reaches into the {@code table/<database>/<table>} ARNs of another database.
 * Whatever suggest writes must grant the statement and nothing beside it; where it cannot, the
 * statement is a gap.
 *
 * <p>Generated: 12 database names and 8 REGION values (with plain names and regions as the control),
 * each in 3 spellings of the statement (lower case; upper case with comments and newlines between
 * tokens; REGION AS, after another statement). Oracle: the suggested registry read back and the
 * permissions document read by iamguard's IAM evaluator must deny the near misses (another database,
 * its tables, the same resource in another region) and, unless the statement is a gap, allow it.
 * Fails without the name and region checks of {@code ScriptNeeds}: {@code '*'} granted every
 * database, {@code REGION '*'} every region.
 */
class SuggestWildcardNamesTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";
  private static final String GLUE = "arn:aws:glue:us-west-2:123456789012:";

  private static final List<String> DATABASES = List.of("*", "?", "s*", "*les", "sa?es", "hr*", "x/hr",
      "sales/*", "${aws:username}", "${*}", "sa$les", "sales");
  private static final List<String> REGIONS = List.of("*", "us-*", "*-west-2", "us-west-?", "??-west-2",
      "${aws:RequestedRegion}", "us-west-2*", "us-west-2");

  static Stream<Arguments> databases() {
    List<Arguments> all = new ArrayList<>();
    for (String database : DATABASES) {
      for (int spelling = 0; spelling < 3; spelling++) {
        all.add(Arguments.of(spell("create external schema s from data catalog database '" + database + "' iam_role '"
            + ROLE + "'", spelling), database));
      }
    }
    return all.stream();
  }

  static Stream<Arguments> regions() {
    List<Arguments> all = new ArrayList<>();
    for (String region : REGIONS) {
      for (int spelling = 0; spelling < 3; spelling++) {
        String clause = (spelling == 2 ? " region as '" : " region '") + region + "'";
        all.add(Arguments.of(spell("create external schema s from data catalog database 'sales' iam_role '" + ROLE
            + "'" + clause, spelling), region, "glue:GetDatabase", "glue:{r}:123456789012:database/sales"));
        all.add(Arguments.of(spell("copy t from 'dynamodb://tab' iam_role '" + ROLE + "' readratio 50" + clause,
            spelling), region, "dynamodb:Scan", "dynamodb:{r}:123456789012:table/tab"));
        all.add(Arguments.of(spell("copy t from 'emr://j-ABC123/part*' iam_role '" + ROLE + "'" + clause, spelling),
            region, "elasticmapreduce:ListInstances", "elasticmapreduce:{r}:123456789012:cluster/j-ABC123"));
      }
    }
    return all.stream();
  }

  /** 0: as written; 1: keywords upper case, comments and newlines between tokens; 2: after another statement. */
  static String spell(String sql, int spelling) {
    if (spelling == 0) {
      return sql + ";";
    }
    if (spelling == 2) {
      return "select 1;\n" + sql + "\n;";
    }
    StringBuilder out = new StringBuilder();
    String[] parts = sql.split("'", -1);
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? parts[i].toUpperCase(Locale.ROOT).replace(" ", " /* x */\n ") : parts[i]);
      out.append(i < parts.length - 1 ? "'" : "");
    }
    return out + ";";
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aCatalogDatabaseIsGrantedAloneOrNotAtAll(String sql, String database) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(sql, 0);
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "suggested.yaml", Path.of("."));
    for (String other : List.of("hr", "payroll", "x")) {
      Decision decision = new Guard(registry).inspect("create external schema o from data catalog database '" + other
          + "' iam_role '" + ROLE + "';", Session.of("etl", "c1"));
      assertThat(decision.statements().get(0).verdict()).as(sql + " then database " + other).isEqualTo(Verdict.DENY);
    }
    IamPolicy permissions = permissions(suggestion);
    for (String other : List.of("database/hr", "table/hr/pay", "database/x", "table/x/hr")) {
      if (permissions != null && !("database/" + database).equals(other)) {
        assertThat(permissions.evaluate("glue:GetTable", GLUE + other, Map.of())).as(sql + " then " + other)
            .isNotEqualTo(IamEffect.ALLOW);
      }
    }
    if (suggestion.gaps().isEmpty()) {
      assertThat(new Guard(registry).inspect(sql, Session.of("etl", "c1")).statements())
          .allMatch(d -> d.verdict() != Verdict.DENY);
      assertThat(permissions.evaluate("glue:GetDatabase", GLUE + "database/" + database, Map.of())).as(sql)
          .isEqualTo(IamEffect.ALLOW);
    } else {
      assertThat(database).as("a plain name is granted").isNotEqualTo("sales");
      assertThat(suggestion.roles()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("regions")
  void aRegionClauseGrantsThatRegionOnly(String sql, String region, String action, String resource) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(sql, 0);
    IamPolicy permissions = permissions(suggestion);
    if (permissions != null) {
      for (String other : List.of("eu-west-1", "us-east-1", "us-west-1", "ap-south-2")) {
        assertThat(permissions.evaluate(action, "arn:aws:" + resource.replace("{r}", other), Map.of()))
            .as(sql + " in " + other).isNotEqualTo(IamEffect.ALLOW);
      }
      assertThat(permissions.evaluate(action, "arn:aws:" + resource.replace("{r}", region), Map.of())).as(sql)
          .isEqualTo(IamEffect.ALLOW);
    } else {
      assertThat(region).as("a region name is granted").isNotEqualTo("us-west-2");
      assertThat(suggestion.gaps()).singleElement().satisfies(g -> assertThat(g.reason()).contains("REGION"));
    }
  }

  /**
   * A REGION clause of any length is a gap, not an error: the region pattern's repeated group
   * recursed once a dash, so 30,000 of them overflowed the stack (as in the registry:
   * HugeValueProblemTest).
   */
  @org.junit.jupiter.api.Test
  void aLongRegionClauseIsAGap() throws Exception {
    for (String region : List.of("us-" + "ab-".repeat(30_000) + "1", "u".repeat(100_000), "us-west-2" + "-2".repeat(20_000))) {
      for (Arguments arguments : regions().filter(a -> a.get()[1].equals("us-west-2")).toList()) {
        String sql = ((String) arguments.get()[0]).replace("'us-west-2'", "'" + region + "'");
        Suggestion suggestion = SuggestProperties.suggest(sql, 0);
        assertThat(suggestion.roles()).as(region.substring(0, 20)).isEmpty();
        assertThat(suggestion.gaps()).singleElement().satisfies(g -> assertThat(g.reason()).contains("REGION"));
      }
    }
  }

  /** The permissions document of the one role suggested; null when none is. */
  private static IamPolicy permissions(Suggestion suggestion) throws Exception {
    if (suggestion.roles().isEmpty()) {
      return null;
    }
    assertThat(suggestion.roles()).hasSize(1);
    return IamPolicy.parse(IamDocumentsTest.json(IamDocuments.of(suggestion.roles().get(0), suggestion.cluster())
        .permissions()), "Loader.permissions.json");
  }
}
