package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CompactProblems} is the list of the problems added to it, as an {@link ArrayList} of them
 * would be (element by element, in order, in its parts), and {@link CompactProblems#joined} is the
 * two lists one after the other: the psql problems of a statement are kept compact and joined to
 * the command's own without a change to what is reported. Lists of up to 400 problems of a few
 * kinds and reasons, the same reason under both kinds included.
 */
class CompactProblemsProperties {
  @Provide
  Arbitrary<List<Problem>> problems() {
    Arbitrary<Problem> problem = Combinators.combine(Arbitraries.of(Problem.Kind.class),
        Arbitraries.integers().between(0, 1 << 20), Arbitraries.of("a psql variable (:name)",
            "a psql meta-command (\\x) inside a statement", "", "IAM_ROLE is given twice")).as(Problem::new);
    return problem.list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void holdsWhatWasAddedAsAnArrayListWould(@ForAll("problems") List<Problem> problems,
      @ForAll("problems") List<Problem> more) {
    CompactProblems compact = new CompactProblems();
    problems.forEach(compact::add);

    assertThat(compact).hasSize(problems.size()).containsExactlyElementsOf(problems);
    assertThat(compact).isEqualTo(problems);
    assertThat(compact.hashCode()).isEqualTo(problems.hashCode());
    int half = problems.size() / 2;
    assertThat(compact.subList(half, problems.size())).isEqualTo(problems.subList(half, problems.size()));
    for (int at = 0; at < problems.size(); at++) { // the same reason string: held once, not copied
      assertThat(compact.get(at).reason()).isEqualTo(problems.get(at).reason());
    }

    List<Problem> both = new ArrayList<>(problems);
    both.addAll(more);
    assertThat(CompactProblems.joined(compact, more)).isEqualTo(both).hasSize(both.size());
    List<Problem> moreFirst = CompactProblems.joined(List.copyOf(more), compact);
    assertThat(moreFirst).hasSize(both.size());
    assertThat(moreFirst.subList(0, more.size())).isEqualTo(more);
    assertThat(moreFirst.subList(more.size(), both.size())).isEqualTo(problems);
    assertThat(ListedProblems.of(CompactProblems.joined(compact, more))).isEqualTo(ListedProblems.of(both));
  }
}
