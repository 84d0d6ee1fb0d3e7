package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A CALL runs the bodies of the scripts' procedures as {@code check} judges them (a SECURITY
 * INVOKER body as whoever runs the body that calls it, a SECURITY DEFINER one as its owner), so
 * {@code suggest} trusts and grants their roles to those users too. Before 2026-12-07 it took a
 * body's statements as its creator's only: {@code create procedure p() ... COPY ...} by etl, then
 * {@code set session authorization analyst} and {@code call p()}: the suggested role trusted etl
 * alone, and check denied the CALL, though suggest said every statement was covered.
 *
 * <p>Generated: chains of 1 to 3 procedures created by etl (SECURITY INVOKER or DEFINER at each
 * level, a definer given to analyst by ALTER, a body that sets the role, COPY or UNLOAD with roles
 * of two accounts at the end), called by etl, loader or analyst through a CALL or a DO block. The
 * oracle is the guard run as etl with the suggested registry, as in {@link SuggestProperties}:
 * every statement is denied exactly when suggest reports a gap on its line.
 */
class SuggestCalledProceduresTest {
  private static final List<String> ROLES = List.of("arn:aws:iam::123456789012:role/Loader",
      "arn:aws:iam::210987654321:role/Partner");
  private static final List<String> CALLERS = List.of("", "set session authorization 'loader'",
      "set session authorization analyst");
  private static final List<String> CALLS = List.of("call %s()", "CALL %s ( )", "do $$ begin call %s(); end $$");

  static String script(Random random, int n) {
    List<String> statements = new ArrayList<>();
    int depth = 1 + random.nextInt(3);
    String leaf = random.nextBoolean()
        ? "copy t from 's3://acme-data/in/" + n + "/' iam_role '" + ROLES.get(random.nextInt(ROLES.size())) + "'"
        : "unload ('select 1') to 's3://acme-data/out/" + n + "_' iam_role '" + ROLES.get(random.nextInt(ROLES.size()))
            + "'";
    for (int level = depth - 1; level >= 0; level--) {
      boolean definer = random.nextInt(3) == 0;
      String run = level == depth - 1 ? leaf : "call p" + n + "_" + (level + 1) + "()";
      String change = random.nextInt(8) == 0 ? "set role r3; " : "";
      statements.add("create procedure p" + n + "_" + level + "() language plpgsql" + (definer ? " security definer" : "")
          + " as $$ begin " + change + run + "; end $$");
      if (definer && random.nextBoolean()) {
        statements.add("alter procedure p" + n + "_" + level + "() owner to analyst");
      }
    }
    String caller = CALLERS.get(random.nextInt(CALLERS.size()));
    if (!caller.isEmpty()) {
      statements.add(caller);
    }
    statements.add(String.format(CALLS.get(random.nextInt(CALLS.size())), "p" + n + "_0"));
    return String.join(";\n", statements) + ";\n";
  }

  @Test
  void everyCallTheSuggestionCoversIsAllowed() throws RegistryException {
    Random random = new Random(20261207L);
    int callsAllowed = 0;
    int callsWithGaps = 0;
    List<String> wrong = new ArrayList<>();
    for (int n = 0; n < 300; n++) {
      String script = script(random, n);
      Suggestion suggestion = SuggestProperties.suggest(script, 0);
      Set<Integer> gaps = suggestion.gaps().stream().map(Gap::line).collect(Collectors.toSet());
      Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "suggested.yaml", Path.of("."));
      Decision decision = new Guard(registry).inspect(script, Session.of("etl", "c1"));
      for (StatementDecision each : decision.statements()) {
        if ((each.verdict() == Verdict.DENY) != gaps.contains(each.statement().line())) {
          wrong.add(script + each.statement().text() + ": " + each.verdict() + " " + each.findings() + "\ngaps: "
              + suggestion.gaps());
          break;
        }
      }
      StatementDecision call = decision.statements().get(decision.statements().size() - 1);
      if (call.verdict() == Verdict.DENY) {
        callsWithGaps++;
      } else {
        callsAllowed++;
      }
    }
    assertThat(wrong).as(wrong.size() + " of 300 scripts where check denies what suggest covers, or allows a gap")
        .isEmpty();
    assertThat(callsAllowed).as("CALLs covered").isGreaterThan(100);
    assertThat(callsWithGaps).as("CALLs whose runner cannot be known").isPositive();
  }

  @Test
  void theCallersOfAnInvokerBodyAndTheOwnerOfADefinerOneAreTrusted() {
    String copy = "copy t from 's3://acme-data/in/' iam_role '" + ROLES.get(0) + "'";
    Suggestion invoker = SuggestProperties.suggest("create procedure p() language plpgsql as $$ begin " + copy
        + "; end $$;\nset session authorization analyst;\ncall p();\n", 0);
    assertThat(invoker.gaps()).isEmpty();
    assertThat(RegistryYaml.shortForm(invoker)).contains("dbuser:c1/analyst", "dbuser:c1/etl");
    Suggestion definer = SuggestProperties.suggest("create procedure p() language plpgsql security definer as $$ begin "
        + copy + "; end $$;\nalter procedure p() owner to loader;\nset session authorization analyst;\ncall p();\n", 0);
    assertThat(definer.gaps()).isEmpty();
    assertThat(RegistryYaml.shortForm(definer)).contains("dbuser:c1/loader").doesNotContain("dbuser:c1/analyst");
    Suggestion unknown = SuggestProperties.suggest("create procedure p() language plpgsql as $$ begin set role r3; "
        + copy + "; end $$;\ncall p();\n", 0);
    assertThat(unknown.gaps()).extracting(Gap::line).contains(2);
    assertThat(unknown.gaps()).filteredOn(g -> g.line() == 2).anySatisfy(g -> {
      assertThat(g.command()).isEqualTo("CALL");
      assertThat(g.reason()).contains("it runs p, whose COPY (generated.sql:1:", "who runs it cannot be known");
    });
  }

  /**
   * A body runs as a user no script names after a body it calls changes who runs it (check judges it
   * so): suggest took it for its caller, trusting analyst with a role whose COPY then ran as r3.
   */
  @Test
  void aBodyAfterACalledBodyThatChangesTheRunnerIsAGapNotTheCallers() {
    String copy = "copy t from 's3://acme-data/in/' iam_role '" + ROLES.get(0) + "'";
    for (String change : List.of("set role r3", "set session authorization loader",
        "perform set_config('role', 'r3', false)", "execute 'set role ' || 'r3'")) {
      Suggestion chain = SuggestProperties.suggest("create procedure q() language plpgsql as $$ begin " + change
          + "; end $$;\ncreate procedure p() language plpgsql as $$ begin call q(); " + copy + "; end $$;\n"
          + "set session authorization analyst;\ncall p();\n", 0);
      assertThat(RegistryYaml.shortForm(chain)).as(change).doesNotContain("dbuser:c1/analyst");
      assertThat(chain.gaps()).as(change).filteredOn(g -> g.line() == 4).anySatisfy(g -> {
        assertThat(g.command()).isEqualTo("CALL");
        assertThat(g.reason()).contains("it runs p, whose COPY (generated.sql:2:", "of the body of q");
      });
    }
  }
}
