package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The positions of all of a statement's findings, made in one pass, are those each finding's own
 * search gives: the first statement in the decision (its own findings, then its nested ones in
 * order) that holds the finding, and the line and column of the finding's offset in that
 * statement's source.
 */
class FindingPositionTest {
  private static final String UNKNOWN = "arn:aws:iam::123456789012:role/Nope";
  private static final String COPY = "copy t from 's3://companyb/x' iam_role '" + UNKNOWN + "'";
  private static Guard guard;

  @BeforeAll
  static void registry() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  /** Bodies of denied statements laid out on one line, on many, with every kind of line end, nested in EXECUTE. */
  @ParameterizedTest
  @ValueSource(strings = {
      "create procedure p() as $$ begin %s end $$ language plpgsql",
      "create procedure p() as $$\nbegin\n%s\nend\n$$ language plpgsql",
      "create procedure p() as '\r\nbegin %s end' language plpgsql",
      "create procedure p() as $$ begin execute $q$%s$q$; end $$ language plpgsql",
      "%s"})
  void everyFindingIsWhereItsOwnSearchPlacesIt(String layout) {
    String[] separators = {" ", "\n", "\r\n", "\r", ";\n  ", "  "};
    String statements = IntStream.range(0, 60)
        .mapToObj(i -> (layout.contains("as '") ? COPY.replace("'", "''") : COPY) + ";" + separators[i % separators.length])
        .collect(Collectors.joining());
    String sql = "select 1;\n" + layout.formatted(statements) + ";\ngrant assumerole on '" + UNKNOWN + "', '"
        + UNKNOWN.replace("Nope", "Nope2") + "',\n  '" + UNKNOWN.replace("Nope", "Nope3") + "' to user1 for copy;";

    Decision decision = guard.inspect(sql, Session.of("user1", null));

    int findings = 0;
    for (StatementDecision statement : decision.statements()) {
      List<Finding> all = statement.allFindings();
      int[][] positions = FindingPosition.linesAndColumns(statement, all);
      for (int i = 0; i < all.size(); i++) {
        assertThat(positions[i]).as("%s, finding %d", layout, i).containsExactly(searched(statement, all.get(i)));
      }
      findings += all.size();
    }
    assertThat(findings).as(layout).isGreaterThanOrEqualTo(layout.equals("%s") ? 63 : 3);
  }

  /**
   * A GRANT of 300,000 unknown roles on one line has as many findings: each used to search the
   * statement's findings for its owner (38 s for 100,000 in {@code check}). A hang guard, not a
   * time budget: this runs in seconds.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aStatementWithHundredsOfThousandsOfFindingsIsPlacedInOnePass() {
    int roles = 300_000;
    String sql = "grant assumerole on " + IntStream.range(0, roles)
        .mapToObj(i -> "'arn:aws:iam::123456789012:role/R" + i + "'").collect(Collectors.joining(","))
        + " to user1 for copy";
    StatementDecision grant = guard.inspect(sql, Session.of("user1", null)).statements().get(0);
    List<Finding> all = grant.allFindings();

    int[][] positions = FindingPosition.linesAndColumns(grant, all);

    assertThat(all).hasSizeGreaterThanOrEqualTo(roles);
    for (int i : new int[] {0, 1, all.size() / 2, all.size() - 1}) {
      assertThat(positions[i]).containsExactly(searched(grant, all.get(i)));
    }
  }

  /** The position one finding's own search gives (as the report did before it placed them all at once). */
  private static int[] searched(StatementDecision decision, Finding finding) {
    SqlStatement owner = owner(decision, finding);
    return (owner == null ? decision.statement() : owner).lineAndColumn(finding.offset());
  }

  private static SqlStatement owner(StatementDecision decision, Finding finding) {
    if (decision.findings().stream().anyMatch(own -> own == finding)) {
      return decision.statement();
    }
    for (StatementDecision inner : decision.nested()) {
      SqlStatement owner = owner(inner, finding);
      if (owner != null) {
        return owner;
      }
    }
    return null;
  }
}
