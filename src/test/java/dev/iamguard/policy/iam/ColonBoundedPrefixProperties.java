package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The prefix questions for ARN patterns, whose wildcards stop at {@code :} except a final star
 * ({@link PatternList#coversAllStartingWith}'s colon-bounded branch), against enumerating every
 * continuation over {a, :, z} up to the patterns' length + 1: "some" is exact, and "all" is never
 * claimed when a continuation is missed. An Allow that claimed to cover every object under a COPY
 * prefix while missing one would grant more than IAM does.
 */
class ColonBoundedPrefixProperties {

  private static IamPattern arn(String text) {
    return IamPattern.ofSymbols(text, IamPattern.symbolsOf(text), false, true);
  }

  @Property(tries = 3000)
  void prefixAnswersAgreeWithEnumeratingContinuations(@ForAll("patterns") String first,
      @ForAll("patterns") String second, @ForAll("texts") String prefix) {
    PatternList list = new PatternList(List.of(arn(first), arn(second)));
    List<String> continuations = continuations(Math.max(first.length(), second.length()) + 1);

    boolean all = continuations.stream().allMatch(s -> list.matches(prefix + s));
    boolean some = continuations.stream().anyMatch(s -> list.matches(prefix + s));

    // "covers all" may be too modest (a union such as *? and *:* covers every continuation together,
    // which the colon-bounded branch does not see: a false denial), never too bold
    if (list.coversAllStartingWith(prefix)) {
      assertThat(all).as("all of %s / %s after '%s'", first, second, prefix).isTrue();
    }
    assertThat(list.matchesSomeStartingWith(prefix)).as("some of %s / %s after '%s'", first, second, prefix)
        .isEqualTo(some);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars('a', ':', '*', '?').ofMaxLength(5);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', ':').ofMaxLength(4);
  }

  private static List<String> continuations(int maxLength) {
    List<String> all = new ArrayList<>(List.of(""));
    List<String> level = List.of("");
    for (int length = 1; length <= maxLength; length++) {
      List<String> next = new ArrayList<>();
      for (String s : level) {
        for (char c : new char[] {'a', ':', 'z'}) {
          next.add(s + c);
        }
      }
      all.addAll(next);
      level = next;
    }
    return all;
  }
}
