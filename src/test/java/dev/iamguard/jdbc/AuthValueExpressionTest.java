package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.RegistryLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An auth value made an expression: {@code IAM_ROLE DEFAULT::text}, {@code default :: varchar},
 * {@code 'loader'::text}, {@code DEFAULT COLLATE "C"}, an operator, a field. The documented grammar
 * (../shared/reference/redshift-auth-facts.md section 2: {@code IAM_ROLE { DEFAULT | '<arn>[,...]' }})
 * has none of these; whether Redshift refuses them or reads {@code DEFAULT::text} as the default role
 * or as the text {@code 'default'} (a role named so) is not known. Before the fix the guard allowed
 * the DEFAULT forms and rewrote an alias with the cast kept; now the statement is AUTH_UNPARSEABLE, in
 * check and over JDBC (SQLState 42501, nothing sent), in every place of a script. GRANT and REVOKE
 * ASSUMEROLE ON DEFAULT::text (or a role literal with a cast) likewise: the guard would otherwise
 * record a grant the server may read otherwise or refuse.
 */
class AuthValueExpressionTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/Loader";

  static final List<String> VALUES = List.of("DEFAULT", "default", "'loader'", "'" + ROLE + "'");
  static final List<String> SUFFIXES = List.of("::text", " ::  varchar", "::varchar(256)", " collate \"C\"",
      "::text collate \"C\"", " || ''", ".x", "[1]", " /* c */ :: text", "\n::\ntext", "::\"text\"", "\t::\tTEXT");
  /** Statements with the clause at {@code {C}}. */
  static final List<String> STATEMENTS = List.of(
      "copy t from 's3://lake/in/x' iam_role {C} csv",
      "copy t from 's3://lake/in/x' iam_role {C}",
      "unload ('select 1') to 's3://lake/out/x' iam_role {C} parallel off");
  /** GRANT and REVOKE ASSUMEROLE read the same values: {@code ON DEFAULT::text} too. */
  static final List<String> GRANTS = List.of(
      "grant assumerole on {C} to etl for copy",
      "revoke assumerole on {C}, '" + ROLE + "' from etl for all");

  /** Keywords upper-cased, literals unchanged. */
  static String upperKeywords(String sql) {
    String[] parts = sql.split("'", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? parts[i].toUpperCase(Locale.ROOT) : parts[i]);
      if (i < parts.length - 1) {
        out.append('\'');
      }
    }
    return out.toString();
  }

  static List<String> placed(String statement) {
    return List.of(statement, "select 1;\n" + statement + ";\nselect 2",
        "create procedure p() as $$ begin " + statement + "; end; $$ language plpgsql");
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String statement : Stream.concat(STATEMENTS.stream(), GRANTS.stream()).toList()) {
      for (String value : VALUES) {
        for (String suffix : SUFFIXES) {
          String clause = value + suffix;
          for (String spelled : List.of(statement, upperKeywords(statement))) {
            for (String sql : placed(spelled.replace("{C}", clause))) {
              cases.add(Arguments.of(sql));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  static Guard guard;

  @BeforeAll
  static void load() throws Exception {
    guard = new Guard(RegistryLoader.load(TestRegistry.path()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checkDoesNotJudgeAnExpression(String sql) {
    Decision decision = guard.inspect(sql, Session.of("etl", null));

    StatementDecision carrier = decision.inspectedStatements().stream()
        .filter(s -> s.verdict() == Verdict.DENY).findFirst().orElse(null);
    assertThat(carrier).as(sql + " " + decision.inspectedStatements()).isNotNull();
    assertThat(decision.findings()).as(sql).anyMatch(f -> f.rule() == RuleId.AUTH_UNPARSEABLE
        && f.message().contains("makes it an expression"));
    assertThat(decision.inspectedStatements()).noneMatch(s -> s.verdict() == Verdict.REWRITE);
  }

  @Test
  void theValueAloneIsStillJudged() {
    for (String statement : STATEMENTS) {
      for (String value : VALUES) {
        for (String sql : placed(statement.replace("{C}", value))) {
          Decision decision = guard.inspect(sql, Session.of("etl", null));
          assertThat(decision.inspectedStatements()).as(sql).noneMatch(s -> s.verdict() == Verdict.DENY);
          assertThat(decision.findings()).as(sql).noneMatch(f -> f.rule() == RuleId.AUTH_UNPARSEABLE);
        }
      }
    }
    for (String statement : GRANTS) {
      for (String value : List.of("DEFAULT", "default", "'" + ROLE + "'")) {
        // ON takes a list of quoted roles, or DEFAULT alone: DEFAULT in a list is outside the grammar
        boolean inGrammar = value.startsWith("'") || !statement.contains("{C},");
        for (String sql : placed(statement.replace("{C}", value))) {
          Decision decision = guard.inspect(sql, Session.of("etl", null));
          if (inGrammar) {
            assertThat(decision.findings()).as(sql).noneMatch(f -> f.rule() == RuleId.AUTH_UNPARSEABLE);
          } else {
            assertThat(decision.findings()).as(sql).anyMatch(f -> f.rule() == RuleId.AUTH_UNPARSEABLE
                && f.message().contains("which Redshift refuses as a syntax error"));
          }
        }
      }
    }
  }

  static Stream<Arguments> jdbcCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String value : List.of("DEFAULT", "'loader'")) {
      for (String suffix : List.of("::text", " COLLATE \"C\"", " :: varchar")) {
        for (String call : List.of("execute", "prepare", "batch", "prepareCall")) {
          cases.add(Arguments.of("copy t from 's3://lake/in/x'\n  IAM_ROLE " + value + suffix + " csv", call));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdbcCases")
  void theDriverRefusesItBeforeItIsSent(String sql, String call) throws Exception {
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), TestRegistry.properties("etl"));
        Statement statement = connection.createStatement()) {
      SQLException refused = SendingWays.refusal(connection, statement, sql, call);

      assertThat((Throwable) refused).as("refused").isNotNull();
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("42501");
      assertThat(refused.getMessage()).contains("AUTH_UNPARSEABLE", "makes it an expression");
    }
  }
}
