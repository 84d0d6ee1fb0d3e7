package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever problems a statement holds, its command keeps every distinct one (kind and reason) at
 * its first {@value ListedProblems#PLACES} places in their order, and one more problem of that kind
 * counting the places left out, at the first of them: what denies a statement still denies it, and
 * the count is exact. Lists of up to 700 problems of a few reasons each, so that some reasons pass
 * the hundred and some do not.
 */
class ListedProblemsProperties {
  private static final String SAME = "the same ";

  @Provide
  Arbitrary<List<Problem>> problems() {
    Arbitrary<Problem.Kind> kinds = Arbitraries.of(Problem.Kind.class);
    Arbitrary<String> reasons = Arbitraries.of("a psql variable (:name)", "a psql meta-command (\\...)",
        "IAM_ROLE is given twice", "the role is a bind parameter", "", SAME + "3 more times in this statement, "
            + "not listed: x");
    Arbitrary<Integer> offsets = Arbitraries.integers().between(0, 5000);
    Arbitrary<Problem> any = Combinators.combine(kinds, offsets, reasons).as(Problem::new);
    // most places are of one problem, so that it passes the hundred in most lists
    Arbitrary<Problem> usual = offsets.map(offset -> new Problem(Problem.Kind.UNPARSEABLE, offset, "a psql variable (:name)"));
    Arbitrary<Problem> problem = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, usual), net.jqwik.api.Tuple.of(4, any));
    return Arbitraries.oneOf(problem.list().ofMaxSize(700), any.list().ofMaxSize(700),
        problem.list().ofMinSize(150).ofMaxSize(190)); // around the bound
  }

  @Property(tries = 300)
  void everyDistinctProblemIsKeptAtItsFirstPlacesAndTheRestAreCounted(@ForAll("problems") List<Problem> problems) {
    List<Problem> kept = new RedshiftCommand(CommandKind.OTHER, AuthClause.NONE, List.of(), Resources.NONE, null,
        List.of(), null, null, List.of(), null, null, List.of(), List.of(), problems).problems();

    Map<Problem, List<Problem>> byKey = new LinkedHashMap<>();
    for (Problem p : problems) {
      byKey.computeIfAbsent(key(p), k -> new ArrayList<>()).add(p);
    }
    List<Problem> expected = new ArrayList<>();
    Map<Problem, Integer> placed = new HashMap<>();
    for (Problem p : problems) {
      int place = placed.merge(key(p), 1, Integer::sum);
      List<Problem> all = byKey.get(key(p));
      if (place <= ListedProblems.PLACES) {
        expected.add(p);
      }
      if (place == ListedProblems.PLACES && all.size() > ListedProblems.PLACES) {
        expected.add(new Problem(p.kind(), all.get(ListedProblems.PLACES).offset(),
            SAME + (all.size() - ListedProblems.PLACES) + " more times in this statement, not listed: " + p.reason()));
      }
    }
    assertThat(kept).isEqualTo(expected);
    assertThat(kept).extracting(ListedProblemsProperties::key).containsAll(byKey.keySet());
    assertThat(ListedProblems.of(kept)).as("idempotent").isEqualTo(kept);
    if (problems.size() <= ListedProblems.PLACES) {
      assertThat(kept).isEqualTo(problems);
    }
    Statistics.label("counted").collect(kept.size() < problems.size());
  }

  private static Problem key(Problem p) {
    return new Problem(p.kind(), 0, p.reason());
  }
}
