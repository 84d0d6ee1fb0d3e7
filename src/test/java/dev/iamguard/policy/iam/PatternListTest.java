package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternListTest {

  private static PatternList list(String... patterns) {
    return PatternList.of(List.of(patterns), false);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "s3:Get*|s3:GetObject|true",
      "s3:Get*|s3:PutObject|false",
      "s3:?etObject|s3:GetObject|true",
      "s3:?etObject|s3:etObject|false",
      "*|anything|true",
      "a*b*c|abbbc|true",
      "a*b*c|acb|false",
      "''|''|true",
      "a*|''|false",
  })
  void matchesWildcards(String pattern, String text, boolean expected) {
    assertThat(list(pattern).matches(text)).isEqualTo(expected);
  }

  @Test
  void ignoresCaseOnlyWhenAsked() {
    assertThat(PatternList.of(List.of("sts:assumerole"), true).matches("STS:AssumeRole")).isTrue();
    assertThat(PatternList.of(List.of("arn:aws:s3:::B/*"), false).matches("arn:aws:s3:::b/x")).isFalse();
  }

  /**
   * Actions are ASCII names compared ignoring ASCII case: a letter that Unicode folds onto an ASCII
   * one (long s, Kelvin sign, dotless i, ...) names another action (probe 19b: it granted S3's).
   * Every char from 128 to 0xFFFF that folds onto an ASCII letter is tried, alone and with wildcards.
   */
  @Test
  void ignoresTheCaseOfAsciiLettersOnly() {
    int tried = 0;
    for (String real : List.of("s3:GetObject", "s3:ListBucket")) {
      for (int c = 128; c <= 0xFFFF; c++) {
        int folded = Character.toLowerCase(Character.toUpperCase(c));
        int at = real.toLowerCase(java.util.Locale.ROOT).indexOf(folded);
        if (folded < 'a' || folded > 'z' || Character.isSurrogate((char) c) || at < 0) {
          continue;
        }
        String action = real.substring(0, at) + (char) c + real.substring(at + 1);
        assertThat(PatternList.of(List.of(action), true).matches(real)).as("%s", action).isFalse();
        assertThat(PatternList.of(List.of(action.substring(0, at + 1) + "*"), true).matches(real))
            .as("%s*", action.substring(0, at + 1)).isFalse();
        tried++;
      }
    }
    assertThat(tried).as("chars folding onto a letter (long s, dotless i, Kelvin sign, ...)").isGreaterThanOrEqualTo(4);
    assertThat(PatternList.of(List.of("S3:GETOBJECT", "s3:getobj?ct"), true).matches("s3:GetObject")).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // pattern(s, comma-separated) | prefix | covers every text with the prefix | matches some
      "arn:aws:s3:::b/data/*|arn:aws:s3:::b/data/x|true|true",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/data/x|true|true",
      "arn:aws:s3:::b/data/x|arn:aws:s3:::b/data/x|false|true",
      "arn:aws:s3:::b/data/x*|arn:aws:s3:::b/data/x|true|true",
      "arn:aws:s3:::b/a/*|arn:aws:s3:::b/a|false|true",
      "arn:aws:s3:::b/a/*|arn:aws:s3:::b/ab|false|false",
      "arn:aws:s3:::b/data/x/secret*|arn:aws:s3:::b/data/|false|true",
      "arn:aws:s3:::other/*|arn:aws:s3:::b/|false|false",
      "arn:aws:s3:::b/data/x;arn:aws:s3:::b/data/x?*|arn:aws:s3:::b/data/x|true|true",
      "arn:aws:s3:::b/*???|arn:aws:s3:::b/abc|true|true",
      "arn:aws:s3:::b/*???|arn:aws:s3:::b/ab|false|true",
      "arn:aws:s3:::b/x??*;arn:aws:s3:::b/x?;arn:aws:s3:::b/x|arn:aws:s3:::b/x|true|true",
      "arn:aws:s3:::b/x??*;arn:aws:s3:::b/x|arn:aws:s3:::b/x|false|true",
      "*|''|true|true",
  })
  void decidesForEveryTextWithAPrefix(String patterns, String prefix, boolean all, boolean some) {
    PatternList list = PatternList.of(List.of(patterns.split(";")), false);

    assertThat(list.coversAllStartingWith(prefix)).as("covers all").isEqualTo(all);
    assertThat(list.matchesSomeStartingWith(prefix)).as("matches some").isEqualTo(some);
  }

  // a hang guard, not a time budget: backtracking or a determinised automaton would not finish
  // within the age of the universe on this pattern; the linear matcher answers in milliseconds
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void staysLinearOnPatternsThatBlowUpBacktrackingOrDeterminisation() {
    PatternList list = list("*a" + "?".repeat(40) + "*a*a*a*a*a*a*a*a*a*b");
    String text = "a".repeat(20_000);

    assertThat(list.matches(text)).isFalse();
    assertThat(list.coversAllStartingWith(text)).isFalse();
    assertThat(list.matchesSomeStartingWith(text)).isTrue();
  }

  @Property(tries = 400)
  void matchingAgreesWithARegexTranslation(@ForAll("patterns") String pattern,
      @ForAll("texts") String text) {
    Pattern regex = Pattern.compile(pattern.chars().mapToObj(c -> c == '*' ? ".*"
        : c == '?' ? "." : Pattern.quote(String.valueOf((char) c))).reduce("", String::concat));

    assertThat(list(pattern).matches(text)).isEqualTo(regex.matcher(text).matches());
  }

  /** Ignoring case (actions, condition operators that ask it), the pattern's literal head too. */
  @Property(tries = 1000)
  void matchingIgnoringCaseAgreesWithARegexTranslation(@ForAll("mixedCasePatterns") String pattern,
      @ForAll("mixedCaseTexts") String text) {
    Pattern regex = Pattern.compile(pattern.chars().mapToObj(c -> c == '*' ? ".*"
        : c == '?' ? "." : Pattern.quote(String.valueOf((char) c))).reduce("", String::concat),
        Pattern.CASE_INSENSITIVE);

    assertThat(PatternList.of(List.of(pattern), true).matches(text)).as(pattern + " ~ " + text)
        .isEqualTo(regex.matcher(text).matches());
    assertThat(PatternList.of(List.of(pattern), false).matches(text)).as(pattern + " ~ " + text)
        .isEqualTo(Pattern.compile(regex.pattern()).matcher(text).matches());
  }

  @Provide
  Arbitrary<String> mixedCasePatterns() {
    return Arbitraries.strings().withChars('a', 'B', 'b', 'A', '*', '?').ofMaxLength(6);
  }

  @Provide
  Arbitrary<String> mixedCaseTexts() {
    return Arbitraries.strings().withChars('a', 'A', 'b', 'B').ofMaxLength(5);
  }

  /**
   * A pattern of n symbols that misses some continuation of the prefix misses one of length at
   * most n + 1 over {a, b, z} (z standing for a character no pattern holds), so enumerating
   * those continuations decides both questions exactly.
   */
  @Property(tries = 400)
  void prefixAnswersAgreeWithEnumeratingContinuations(@ForAll("patterns") String first,
      @ForAll("patterns") String second, @ForAll("texts") String prefix) {
    PatternList list = list(first, second);
    List<String> continuations = continuations(Math.max(first.length(), second.length()) + 1, 'a', 'b', 'z');

    boolean all = continuations.stream().allMatch(s -> list.matches(prefix + s));
    boolean some = continuations.stream().anyMatch(s -> list.matches(prefix + s));

    assertThat(list.coversAllStartingWith(prefix)).isEqualTo(all);
    assertThat(list.matchesSomeStartingWith(prefix)).isEqualTo(some);
  }

  /**
   * The same for ARN patterns, whose wildcards stop at {@code :} except a final star (the
   * colon-bounded branch), over {a, :, z}: "some" is exact, and "all" is never claimed when a
   * continuation is missed (an Allow claiming every object under a COPY prefix while missing one
   * would grant more than IAM does). "All" may be too modest: {@code *?} with {@code *:*} cover
   * every continuation of {@code a} together, which the branch does not see (a false denial).
   */
  @Property(tries = 3000)
  void arnPrefixAnswersNeverClaimMoreThanEnumeratingContinuations(@ForAll("arnPatterns") String first,
      @ForAll("arnPatterns") String second, @ForAll("arnTexts") String prefix) {
    PatternList list = new PatternList(List.of(arn(first), arn(second)));
    List<String> continuations = continuations(Math.max(first.length(), second.length()) + 1, 'a', ':', 'z');

    boolean all = continuations.stream().allMatch(s -> list.matches(prefix + s));
    boolean some = continuations.stream().anyMatch(s -> list.matches(prefix + s));

    if (list.coversAllStartingWith(prefix)) {
      assertThat(all).as("all of %s / %s after '%s'", first, second, prefix).isTrue();
    }
    assertThat(list.matchesSomeStartingWith(prefix)).as("some of %s / %s after '%s'", first, second, prefix)
        .isEqualTo(some);
  }

  private static IamPattern arn(String text) {
    return IamPattern.ofSymbols(text, IamPattern.symbolsOf(text), false, true);
  }

  @Provide
  Arbitrary<String> arnPatterns() {
    return Arbitraries.strings().withChars('a', ':', '*', '?').ofMaxLength(5);
  }

  @Provide
  Arbitrary<String> arnTexts() {
    return Arbitraries.strings().withChars('a', ':').ofMaxLength(4);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars('a', 'b', '*', '?').ofMaxLength(5);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', 'b').ofMaxLength(4);
  }

  private static List<String> continuations(int maxLength, char... alphabet) {
    List<String> all = new ArrayList<>(List.of(""));
    List<String> level = List.of("");
    for (int length = 1; length <= maxLength; length++) {
      List<String> next = new ArrayList<>();
      for (String s : level) {
        for (char c : alphabet) {
          next.add(s + c);
        }
      }
      all.addAll(next);
      level = next;
    }
    return all;
  }
}
