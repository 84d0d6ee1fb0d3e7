package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What the token list says about auth words and name parts, over long generated texts: the marks
 * the lexer sets once are exactly the auth words (in any case, wherever they stand among hundreds of
 * tokens), a range query agrees with them, and a list cut back forgets what it cut.
 */
class TokensProperties {
  static final List<String> AUTH = List.of("iam_role", "credentials", "access_key_id", "secret_access_key",
      "session_token", "catalog_role", "master_symmetric_key");

  /** Words of the same lengths and first letters as the auth words that are not auth words, and other tokens. */
  static final List<String> OTHERS = List.of("iam_rolf", "credentialz", "access_key_ie", "secret_access_kez",
      "session_tokem", "catalog_rolf", "master_symmetric_kez", "set_config", "select", "x", "'iam_role'",
      "\"iam_role\"", ",", "(", ")", "1", "$$iam_role$$", "$1", "=", "aiam_role", "iam_roles", "c", "s", "a", "m", "i");

  @Provide
  Arbitrary<List<String>> words() {
    Arbitrary<String> auth = Arbitraries.of(AUTH).flatMap(w -> Arbitraries.of(w, w.toUpperCase(Locale.ROOT),
        Character.toUpperCase(w.charAt(0)) + w.substring(1)));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, auth), net.jqwik.api.Tuple.of(6, Arbitraries.of(OTHERS)))
        .list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 300)
  void theAuthMarksAreExactlyTheAuthWords(@ForAll("words") List<String> words,
      @ForAll @IntRange(max = 500) int a, @ForAll @IntRange(max = 500) int b) {
    String sql = String.join(" ", words);
    Tokens t = Lexer.tokenize(sql);
    assertThat(t.count()).isEqualTo(words.size());
    List<Integer> marked = new ArrayList<>();
    for (int i = 0; i < t.count(); i++) {
      boolean auth = AUTH.contains(words.get(i).toLowerCase(Locale.ROOT));
      assertThat(t.isAuthWord(i)).as("token %d of %s", i, sql).isEqualTo(auth);
      assertThat(AuthWords.isAuthWord(sql, t.start(i), t.end(i))).isEqualTo(auth);
      if (auth) {
        marked.add(i);
      }
    }
    assertThat(t.isAuthWord(-1)).isFalse();
    assertThat(t.isAuthWord(t.count())).isFalse();
    int from = Math.min(a, b) % (t.count() + 1);
    int to = Math.min(Math.max(a, b), t.count());
    to = Math.max(from, to);
    int lo = from;
    int hi = to;
    assertThat(t.hasAuthWordIn(from, to)).as("[%d, %d) of %s", from, to, sql)
        .isEqualTo(marked.stream().anyMatch(i -> i >= lo && i < hi));
    assertThat(t.hasAuthWordIn(0, t.count())).isEqualTo(!marked.isEmpty());
    for (int i : marked) {
      assertThat(t.hasAuthWordIn(i, i + 1)).isTrue();
      assertThat(t.hasAuthWordIn(i, i)).isFalse();
    }

    // cut back to n tokens, the list forgets the marks it cut, and new tokens start unmarked
    int n = from;
    t.truncate(n);
    assertThat(t.count()).isEqualTo(n);
    for (int i = 0; i < words.size(); i++) {
      assertThat(t.isAuthWord(i)).as("after truncate(%d): %d", n, i).isEqualTo(i < n && marked.contains(i));
    }
    for (int i = n; i < words.size(); i++) {
      t.add(TokenKind.WORD, 0, 1);
    }
    assertThat(t.hasAuthWordIn(n, words.size())).isFalse();
    assertThat(t.hasAuthWordIn(0, words.size())).isEqualTo(marked.stream().anyMatch(i -> i < n));
  }

  /** The parts of a name between characters that look like spaces are what a careless reader sees as words. */
  @Property(tries = 300)
  void aNamesSegmentsAreItsPartsBetweenSpaceLikeCharacters(@ForAll("parts") List<String> parts,
      @ForAll("spaceLike") List<String> separators) {
    StringBuilder name = new StringBuilder("x");
    List<String> expected = new ArrayList<>();
    StringBuilder part = new StringBuilder("x");
    for (int k = 0; k < parts.size(); k++) {
      String sep = separators.get(k % separators.size());
      name.append(sep).append(parts.get(k));
      if (sep.isEmpty()) {
        part.append(parts.get(k));
        continue;
      }
      expected.add(part.toString());
      part = new StringBuilder(parts.get(k));
    }
    expected.add(part.toString());
    String sql = "select " + name + " from t";
    Tokens t = Lexer.tokenize(sql);
    assertThat(t.count()).as(sql).isEqualTo(4);
    int[] bounds = t.segments(1);
    List<String> seen = new ArrayList<>();
    for (int k = 0; k < bounds.length; k += 2) {
      seen.add(sql.substring(bounds[k], bounds[k + 1]));
    }
    assertThat(seen).as(sql).isEqualTo(expected.stream().filter(s -> !s.isEmpty()).toList());
    for (String each : expected) {
      if (!each.isEmpty()) {
        assertThat(t.hasSegment(1, each.toUpperCase(Locale.ROOT))).isTrue();
      }
    }
    assertThat(t.hasSegment(1, "NOT_A_PART_" + parts.size())).isFalse();
  }

  @Provide
  Arbitrary<List<String>> parts() {
    return Arbitraries.of("iam_role", "a", "", "b1", "\u00e9", "role", "cr\u00e9", "\ud83d\ude00").list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> spaceLike() {
    return Arbitraries.of("", "\u00a0", "\u200b", "\ufeff", "\u2028", "\u3000", "\u00a0\u200b")
        .list().ofMinSize(1).ofMaxSize(8);
  }
}
