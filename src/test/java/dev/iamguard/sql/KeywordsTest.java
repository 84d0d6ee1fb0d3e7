package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeywordsTest {

  @Test
  void everyWordIsFoundInAnyCaseAsTheSharedConstant() {
    for (String word : Keywords.words()) {
      for (String spelled : new String[] {word, word.toLowerCase(Locale.ROOT), mixed(word)}) {
        String source = "x " + spelled + " y";
        assertThat(Keywords.lookup(source, 2, 2 + spelled.length())).as(spelled).isSameAs(word);
      }
    }
  }

  @Test
  void wordsNotInTheTableAreNotFound() {
    for (String other : new String[] {"IAM_ROLEX", "IAM_ROL", "venue", "DELIMITERS", "GZIP2", "A", "ÉTÉ", "on_", "0N"}) {
      assertThat(Keywords.lookup(other, 0, other.length())).as(other).isNull();
    }
  }

  @Test
  void everyValueWordOfTheOptionReaderIsKnown() {
    for (String word : OptionReader.VALUE_WORDS) {
      assertThat(Keywords.lookup(word, 0, word.length())).as(word).isSameAs(Keywords.lookup(word, 0, word.length())).isEqualTo(word);
    }
  }

  /**
   * The lookup never changes meaning: a hit is always the word's own upper case; a word's upper case
   * is its ASCII letters upper-cased, as the server folds key words (é stays é, and the dotless i
   * of {@code ıN} is no I: {@code CaseFoldingServerTest}).
   */
  @Property
  void aHitIsTheWordsUpperCase(@ForAll("wordish") String word) {
    String found = Keywords.lookup(word, 0, word.length());
    if (found != null) {
      assertThat(found).isEqualTo(word.toUpperCase(Locale.ROOT));
    }
    Tokens tokens = Lexer.tokenize(word);
    if (tokens.count() == 1 && tokens.is(0, TokenKind.WORD)) {
      assertThat(tokens.upperWord(0)).isEqualTo(asciiUpperCase(word));
    }
  }

  @Provide
  Arbitrary<String> wordish() {
    Arbitrary<String> keyword = Arbitraries.of(Keywords.words()).map(KeywordsTest::mixed);
    Arbitrary<String> mutated = keyword.map(w -> w.length() > 1 ? w.substring(1) + w.charAt(0) : w + "_");
    Arbitrary<String> random = Arbitraries.strings().withChars("aAbBeEiIlLmMoOrR_019?@[{\u00e9\u00c9\u0131\u0130\u017f\u212a").ofMinLength(1).ofMaxLength(12);
    return Arbitraries.oneOf(keyword, mutated, random);
  }

  private static String asciiUpperCase(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (char c : word.toCharArray()) {
      out.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
    }
    return out.toString();
  }

  private static String mixed(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (int k = 0; k < word.length(); k++) {
      char c = word.charAt(k);
      out.append(k % 2 == 0 ? Character.toLowerCase(c) : c);
    }
    return out.toString();
  }
}
