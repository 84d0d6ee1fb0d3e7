package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The short form's {@code *} / {@code ?} matching agrees with the plain reading of the rule, a
 * regular expression ({@code *} = {@code .*}, {@code ?} = {@code .}, anything else literal), on
 * patterns and texts over a small alphabet where stars, repeats and near-misses are common.
 */
class WildcardsProperties {

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars('a', 'b', 'A', '*', '?').ofMaxLength(7);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', 'b', 'A', '*').ofMaxLength(8);
  }

  private static boolean reference(String pattern, String text, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(text).matches();
  }

  @Property(tries = 3000)
  void matchesAsTheRuleReads(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
    assertThat(Wildcards.matches(pattern, text)).as("%s ~ %s", pattern, text)
        .isEqualTo(reference(pattern, text, false));
    assertThat(Wildcards.matchesIgnoringCase(pattern, text)).as("%s ~i %s", pattern, text)
        .isEqualTo(reference(pattern, text, true));
    assertThat(Wildcards.matchesIgnoringCase(pattern.toUpperCase(Locale.ROOT), text))
        .isEqualTo(Wildcards.matchesIgnoringCase(pattern, text.toUpperCase(Locale.ROOT)));
  }

  @Example
  void examples() {
    assertThat(Wildcards.matches("*c", "abc")).isTrue();
    assertThat(Wildcards.matches("*b", "abab")).isTrue();
    assertThat(Wildcards.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(Wildcards.matches("abc", "abc")).isTrue();
    assertThat(Wildcards.matches("abc", "aBc")).isFalse();
    assertThat(Wildcards.matchesIgnoringCase("abc", "aBc")).isTrue();
    assertThat(Wildcards.matches("a?c", "ac")).isFalse();
    assertThat(Wildcards.anyMatches(List.of("x*", "Sales*"), "SalesEU")).isTrue();
    assertThat(Wildcards.anyMatches(List.of("x*", "Sales*"), "salesEU")).isFalse();
    assertThat(Wildcards.anyMatches(List.of(), "x")).isFalse();
  }
}
