package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A rewrite replaces exactly the spans it names inside the window asked for, in source order
 * whatever order they come in, and keeps every other byte.
 */
class ReplacementTest {
  private static final String SQL = "COPY t FROM 's3://b/k' IAM_ROLE 'loader' CSV";
  // 'loader' is SQL[32, 40); 's3://b/k' is SQL[12, 22)

  @Test
  void withoutReplacementsTheWindowIsCopied() {
    assertThat(Replacement.apply(SQL, 5, 11, List.of())).isEqualTo("t FROM");
  }

  @Test
  void replacesTheSpanAndKeepsTheRest() {
    String out = Replacement.apply(SQL, 0, SQL.length(),
        List.of(new Replacement(32, 40, "'arn:aws:iam::123456789012:role/Loader'")));
    assertThat(out).isEqualTo("COPY t FROM 's3://b/k' IAM_ROLE 'arn:aws:iam::123456789012:role/Loader' CSV");
  }

  @Test
  void replacementsGivenOutOfOrderApplyInSourceOrder() {
    List<Replacement> backwards = List.of(new Replacement(32, 40, "'R'"), new Replacement(12, 22, "'s3://x/'"));
    assertThat(Replacement.apply(SQL, 0, SQL.length(), backwards))
        .isEqualTo("COPY t FROM 's3://x/' IAM_ROLE 'R' CSV");
  }

  @Test
  void aReplacementTouchingTheWindowsEdgesIsInsideIt() {
    // the window is exactly the role literal: the replacement starts at from and ends at to
    assertThat(Replacement.apply(SQL, 32, 40, List.of(new Replacement(32, 40, "'R'")))).isEqualTo("'R'");
    // a window of one statement of two: a replacement in the other statement is left out
    String two = "COPY a IAM_ROLE 'x'; COPY b IAM_ROLE 'y'";
    List<Replacement> both = List.of(new Replacement(16, 19, "'X'"), new Replacement(37, 40, "'Y'"));
    assertThat(Replacement.apply(two, 0, 19, both)).isEqualTo("COPY a IAM_ROLE 'X'");
    assertThat(Replacement.apply(two, 21, 40, both)).isEqualTo("COPY b IAM_ROLE 'Y'");
  }

  @Test
  void aReplacementCrossingTheWindowIsLeftOut() {
    assertThat(Replacement.apply(SQL, 33, 40, List.of(new Replacement(32, 40, "'R'")))).isEqualTo("loader'");
    assertThat(Replacement.apply(SQL, 32, 39, List.of(new Replacement(32, 40, "'R'")))).isEqualTo("'loader");
  }

  @Property(tries = 300)
  void replacingSpansByTheirOwnTextChangesNothing(@ForAll("cases") Case c) {
    List<Replacement> same = new ArrayList<>();
    for (int[] span : c.spans()) {
      same.add(new Replacement(span[0], span[1], c.source().substring(span[0], span[1])));
    }
    Collections.shuffle(same);
    assertThat(Replacement.apply(c.source(), 0, c.source().length(), same)).isEqualTo(c.source());
  }

  @Property(tries = 300)
  void eachSpanIsReplacedByItsTextInOrder(@ForAll("cases") Case c) {
    // markers that cannot occur in the source: the output is the source with span i replaced by <i>
    List<Replacement> marked = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    int at = 0;
    for (int i = 0; i < c.spans().size(); i++) {
      int[] span = c.spans().get(i);
      marked.add(new Replacement(span[0], span[1], "<" + i + ">"));
      expected.append(c.source(), at, span[0]).append('<').append(i).append('>');
      at = span[1];
    }
    expected.append(c.source().substring(at));
    Collections.shuffle(marked);
    assertThat(Replacement.apply(c.source(), 0, c.source().length(), marked)).isEqualTo(expected.toString());
  }

  record Case(String source, List<int[]> spans) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> source = Arbitraries.strings().withChars("abc '").ofMinLength(0).ofMaxLength(40);
    return source.flatMap(s -> Arbitraries.integers().between(0, s.length()).list().uniqueElements().ofMaxSize(8)
        .map(cuts -> {
          List<Integer> sorted = new ArrayList<>(cuts);
          Collections.sort(sorted);
          List<int[]> spans = new ArrayList<>();
          // consecutive pairs of distinct sorted cut points: disjoint, non-empty spans (as rewrites are)
          for (int i = 0; i + 1 < sorted.size(); i += 2) {
            spans.add(new int[] {sorted.get(i), sorted.get(i + 1)});
          }
          return new Case(s, spans);
        }));
  }
}
