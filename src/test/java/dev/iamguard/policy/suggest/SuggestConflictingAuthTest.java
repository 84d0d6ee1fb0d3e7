package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statements whose authorization the guard denies as {@link RuleId#AUTH_CONFLICT}, whatever the
 * registry says: IAM_ROLE given twice, IAM_ROLE beside CREDENTIALS, a CREDENTIALS key given twice.
 * Suggest must not take two role clauses for a chain (trust of the second role in the first, an
 * {@code sts:AssumeRole} for the first, ASSUMEROLE on the pair): it grants nothing for them and lists
 * them as gaps.
 *
 * <p>Generated: 5 conflicting clause pairs x 5 commands (COPY, UNLOAD, CREATE EXTERNAL SCHEMA,
 * CREATE EXTERNAL FUNCTION, CREATE LIBRARY) x 2 spellings (lower case on one line; upper case with
 * comments and newlines between tokens, after a statement that needs nothing). Oracle: the guard
 * run with the suggested registry, which must deny the statement as AUTH_CONFLICT; suggest lists
 * it as a gap and suggests no role. Fails without the check in {@code ScriptNeeds.authCarrying}.
 */
class SuggestConflictingAuthTest {
  private static final String A = "arn:aws:iam::123456789012:role/Loader";
  private static final String B = "arn:aws:iam::210987654321:role/Partner";

  private static final List<String> CLAUSES = List.of(
      "iam_role '" + A + "' iam_role '" + B + "'",
      "iam_role '" + A + "' iam_role '" + A + "'",
      "iam_role '" + A + "' credentials 'aws_iam_role=" + B + "'",
      "credentials 'aws_iam_role=" + A + "' iam_role '" + B + "'",
      "credentials 'aws_iam_role=" + A + ";aws_iam_role=" + B + "'");

  static Stream<Arguments> statements() {
    List<String> commands = List.of(
        "copy t from 's3://acme-data/in/' %s",
        "unload ('select 1') to 's3://acme-data/out/' %s",
        "create external schema s from data catalog database 'sales' %s",
        "create external function f(int) returns int stable lambda 'f1' %s",
        "create library l language plpythonu from 's3://acme-data/lib.zip' %s");
    List<Arguments> all = new ArrayList<>();
    for (String clause : CLAUSES) {
      for (String command : commands) {
        String sql = String.format(command, clause);
        all.add(Arguments.of(sql + ";"));
        all.add(Arguments.of("select 1;\n" + upper(sql) + "\n;"));
      }
    }
    return all.stream();
  }

  /** Upper case outside literals, a comment and a newline between tokens. */
  private static String upper(String sql) {
    StringBuilder out = new StringBuilder();
    String[] parts = sql.split("'", -1);
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? parts[i].toUpperCase(Locale.ROOT).replace(" ", " /* x */\n ") : parts[i]);
      out.append(i < parts.length - 1 ? "'" : "");
    }
    return out.toString();
  }

  @ParameterizedTest
  @MethodSource("statements")
  void aConflictingAuthorizationIsAGapAndGrantsNothing(String sql) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(sql, 0);
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "suggested.yaml", Path.of("."));
    List<StatementDecision> decisions = new Guard(registry).inspect(sql, Session.of("etl", "c1")).statements();
    StatementDecision last = decisions.get(decisions.size() - 1);
    assertThat(last.verdict()).as(sql).isEqualTo(Verdict.DENY);
    assertThat(last.findings()).as(sql).anyMatch(f -> f.rule() == RuleId.AUTH_CONFLICT);
    assertThat(suggestion.gaps()).as(sql).singleElement()
        .satisfies(g -> assertThat(g.line()).isEqualTo(last.statement().line()));
    assertThat(suggestion.roles()).as(sql).isEmpty();
    assertThat(RegistryYaml.shortForm(suggestion)).doesNotContain("Partner").contains("grants: []");
  }
}
