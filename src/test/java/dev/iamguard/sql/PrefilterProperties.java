package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The prefilter is sound: every text it passes is one the lexer's scan finds nothing in (no
 * inspection, no effect on the session), and one the guard allows unchanged, leaving the session
 * as it was. Texts are built from the forms the lexer reads differently from a word search: the
 * words themselves in any case, glued to letters, digits, {@code $}, {@code #} and characters
 * above 127, inside literals (continued, {@code E''} with escapes), comments, dollar quotes and
 * quoted names, after {@code ;} and at a text's start.
 */
class PrefilterProperties {
  private static Guard guard;

  @BeforeContainer
  static void registry() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  /** Every word the prefilter searches for, and words that only resemble them or follow them. */
  private static final List<String> WORDS = List.of(
      "iam_role", "credentials", "access_key_id", "secret_access_key", "session_token", "catalog_role",
      "master_symmetric_key", "set_config", "copy", "unload", "create", "alter", "grant", "revoke", "set", "reset",
      "abort", "begin", "commit", "call", "discard", "do", "end", "execute", "prepare", "rollback", "release",
      "start", "savepoint", "external", "schema", "function", "procedure", "model", "library", "table", "assumerole",
      "session", "authorization", "session_authorization", "role", "all", "local", "or", "replace", "insert", "into",
      "select", "from", "where", "case", "when", "x", "e", "n", "b", "u", "iam", "role_", "_end", "ending", "sets");

  private static final List<String> OTHERS = List.of(
      " ", "  ", "\t", "\n", "\r\n", "\f", "\u000b", ";", ";\n", "(", ")", ",", ".", "=", "{", "}", "?", "1", "1e", "1.5e3",
      "$", "$1", "$$", "$a$", "$$ x $$", "$a$ end $a$", "$é$", "#", "#t", "#$", "_", "'", "''", "'x'", "'a'\n'b'",
      "'a' -- c\n'b'", "E'", "E'\\''", "e'a\\'b'", "N'x'", "B'01'", "X'1F'", "'\\'", "\\", "\"", "\"x\"", "\"set_config\"",
      "\"iam_role\"", "--", "-- c\n", "/*", "*/", "/* a /* b */ c */", "\u00a0", "\u200b", "\uFEFF", "\u0085", "é",
      "😀", "\uD83D", "\uDE00", "ü", "\u2028", "\u007f", "{call p()}", "{fn now()}", "U&'d\\0061t'",
      "U&\"x\"", "u&\"set!005fconfig\" UESCAPE '!'", "&", "U&");

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> word = Arbitraries.of(WORDS).flatMap(w -> Arbitraries.integers().between(0, 3).map(k -> switch (k) {
      case 0 -> w;
      case 1 -> w.toUpperCase(Locale.ROOT);
      case 2 -> mixed(w);
      default -> w.replace('_', '\u007f');
    }));
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, word), net.jqwik.api.Tuple.of(5, Arbitraries.of(OTHERS)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(3)));
    return piece.list().ofMaxSize(24).map(list -> String.join("", list));
  }

  /** A word search for select-like texts: the shape of the hot path's usual input. */
  @Provide
  Arbitrary<String> selects() {
    Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.of(OTHERS),
        Arbitraries.of(" ", " ", " ", ", ", " = ", "t.", "1", "'v'"));
    return piece.list().ofMaxSize(30).map(list -> "select " + String.join("", list));
  }

  private static String mixed(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      out.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Property(tries = 3000)
  void aPassedTextIsOneTheScanFindsNothingIn(@ForAll("texts") String sql) {
    checkPassed(sql);
  }

  @Property(tries = 2000)
  void aPassedSelectIsOneTheScanFindsNothingIn(@ForAll("selects") String sql) {
    checkPassed(sql);
    assertThat(SqlScript.scan(sql)).as(sql).isEqualTo(Lexer.scan(sql));
  }

  /**
   * Texts longer than the prefilter's 64-char blocks, a word or an odd char at any offset (also
   * across a block's edge): the vectorised search agrees with the plain one-loop reading of the
   * same rule, and what it passes the full path finds clean.
   */
  @Provide
  Arbitrary<String> longTexts() {
    Arbitrary<String> padding = Arbitraries.strings().withChars("abc_lsLS ,.=1'").ofMinLength(0).ofMaxLength(150);
    Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.of(OTHERS),
        Arbitraries.of(WORDS).map(String::toUpperCase), Arbitraries.of(WORDS).map(PrefilterProperties::mixed));
    return net.jqwik.api.Combinators.combine(padding, piece.list().ofMaxSize(6), padding)
        .as((before, pieces, after) -> "select " + before + String.join(" ", pieces) + after);
  }

  @Property(tries = 3000)
  void theSearchForAuthWordsAgreesWithOneLoopOverEveryChar(@ForAll("longTexts") String sql) {
    assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isEqualTo(noAnywhereWordOneLoop(sql));
    checkPassed(sql);
  }

  /**
   * Texts glued from pieces of the auth words (any 1 to 20 chars of one, in any case) and what may
   * stand between them, at any alignment: the 4-char blocks the search looks up are pieces of auth
   * words here most of the time, and runs are often longer than the longest word. The search agrees
   * with the one-loop reading, and what it passes the full path finds clean.
   */
  @Provide
  Arbitrary<String> gluedPieces() {
    List<String> words = List.of("IAM_ROLE", "CATALOG_ROLE", "SET_CONFIG", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY",
        "MASTER_SYMMETRIC_KEY", "SESSION_TOKEN", "CREDENTIALS");
    Arbitrary<String> fragment = Arbitraries.of(words).flatMap(w -> Arbitraries.integers().between(0, w.length() - 1)
        .flatMap(from -> Arbitraries.integers().between(from + 1, w.length()).flatMap(to -> Arbitraries.integers()
            .between(0, 2).map(k -> {
              String part = w.substring(from, to);
              return k == 0 ? part : k == 1 ? part.toLowerCase(Locale.ROOT) : mixed(part.toLowerCase(Locale.ROOT));
            }))));
    Arbitrary<String> between = Arbitraries.of("", "", "", " ", "_", "1", "$", "\u007f", "\u00e9", "\u0100", ",", "a");
    Arbitrary<String> piece = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, fragment),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(words)), net.jqwik.api.Tuple.of(2, between));
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 7), piece.list().ofMaxSize(40))
        .as((pad, pieces) -> "select" + " ".repeat(pad + 1) + String.join("", pieces));
  }

  @Property(tries = 3000)
  void theSearchAgreesOnTextsGluedFromPiecesOfAuthWords(@ForAll("gluedPieces") String sql) {
    assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isEqualTo(noAnywhereWordOneLoop(sql));
    checkPassed(sql);
  }

  /** A run of letters and {@code _} of any length from 0 to 30 before and after an auth word: it is a word only alone. */
  @org.junit.jupiter.api.Test
  void aWordInsideALongerRunIsNoWord() {
    int checked = 0;
    for (String word : new String[] {"IAM_ROLE", "MASTER_SYMMETRIC_KEY", "credentials", "Session_Token"}) {
      for (int before = 0; before <= 30; before++) {
        for (int after = 0; after <= 30; after++) {
          for (int offset = 0; offset < 4; offset++) {
            String sql = "select" + " ".repeat(offset + 1) + "x_".repeat(before).substring(0, before) + word
                + "_y".repeat(after).substring(0, after) + " from t";
            assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isEqualTo(before == 0 && after == 0 ? false : true)
                .isEqualTo(noAnywhereWordOneLoop(sql));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(4 * 31 * 31 * 4);
  }

  /**
   * A run of 0 to 40 repeated pieces of auth words (every block a piece), then a separator, then an
   * auth word, at every alignment: the search skips the run it has judged and still finds the word
   * after it ({@code _} joins them into one run; the search takes a digit or {@code $} before the word
   * as its edge, which only sends more texts to the lexer).
   */
  @org.junit.jupiter.api.Test
  void aWordAfterALongRunOfPiecesIsFound() {
    int checked = 0;
    for (String piece : new String[] {"role", "_KEY", "sion_", "Cred", "x"}) {
      for (int count = 0; count <= 40; count++) {
        for (String separator : new String[] {" ", ",", "\u007f", "\u00e9", "\u00a0", "1", "$", "_", "\n"}) {
          for (int offset = 0; offset < 4; offset++) {
            String sql = "select" + " ".repeat(offset + 1) + piece.repeat(count) + separator + "Iam_Role from t";
            boolean joined = separator.equals("_"); // a digit or $ before a word does not join them for the search
            boolean expected = separator.equals("\u00a0") || !joined; // found (not clean): a space-like char, or the word alone
            assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isEqualTo(!expected).isEqualTo(noAnywhereWordOneLoop(sql));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(5 * 41 * 9 * 4);
  }

  /** Every auth word, in every case mix, at every offset of a 300-char text, with what may stand around it (a run's chars, a digit, $, chars above 127 and above U+00FF, a surrogate pair). */
  @org.junit.jupiter.api.Test
  void theSearchFindsEveryAuthWordAtEveryOffset() {
    String[] words = {"IAM_ROLE", "CATALOG_ROLE", "SET_CONFIG", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY",
        "MASTER_SYMMETRIC_KEY", "SESSION_TOKEN", "CREDENTIALS"};
    String[] around = {" ", "", "x", "_", "1", "$", "\u00e9", "\u0100", "?", "\u200b", "\uD83D\uDE00"};
    int checked = 0;
    for (String word : words) {
      for (String spelled : new String[] {word, word.toLowerCase(Locale.ROOT), mixed(word.toLowerCase(Locale.ROOT))}) {
        for (String left : around) {
          for (String right : around) {
            for (int offset = 0; offset < 20; offset++) {
              String sql = "select " + "a".repeat(256 + offset) + " " + left + spelled + right + " from t";
              assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isEqualTo(noAnywhereWordOneLoop(sql));
              if (left.isBlank() && right.isBlank()) {
                assertThat(Prefilter.noAnywhereWord(sql)).as(sql).isFalse(); // the word stands alone: found
              }
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(8 * 3 * around.length * around.length * 20);
  }

  /**
   * The rule read plainly, one char at a time: a char is looked at when it is above 127 (a char
   * that looks like a space fails), follows {@code _} (an auth word holding one), or is an {@code S}
   * after an {@code L} (CREDENTIALS).
   */
  private static boolean noAnywhereWordOneLoop(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c >= 0x80 && Lexer.isConfusable(c)) {
        return false;
      }
      char before = i > 0 ? sql.charAt(i - 1) : ' ';
      if (before == '_' || (c | 0x20) == 's' && (before | 0x20) == 'l') {
        for (String word : new String[] {"IAM_ROLE", "CATALOG_ROLE", "SET_CONFIG", "ACCESS_KEY_ID",
            "SECRET_ACCESS_KEY", "MASTER_SYMMETRIC_KEY", "SESSION_TOKEN", "CREDENTIALS"}) {
          if (runAround(sql, i, word)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** True when {@code word} stands as a maximal run of letters and {@code _} over {@code i}, not followed by a digit or $. */
  private static boolean runAround(String sql, int i, String word) {
    for (int start = Math.max(0, i - word.length() + 1); start <= i; start++) {
      int end = start + word.length();
      if (end <= sql.length() && sql.regionMatches(true, start, word, 0, word.length())
          && (start == 0 || !isRunChar(sql.charAt(start - 1)))
          && (end == sql.length() || !isRunChar(sql.charAt(end)) && !(sql.charAt(end) >= '0' && sql.charAt(end) <= '9')
              && sql.charAt(end) != '$')) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRunChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  /** A text the prefilter passes gets the full path's answer; more than one in ten generated texts pass. */
  private static void checkPassed(String sql) {
    boolean clean = Prefilter.clean(sql);
    Statistics.label("passed").collect(clean);
    if (clean) {
      assertSameAsFullPath(sql);
    }
    Statistics.label("passed").coverage(c -> c.check(true).percentage(p -> p > 10));
  }

  /** What the prefilter claims: the full path needs no inspection and changes nothing. */
  static void assertSameAsFullPath(String sql) {
    assertThat(Lexer.scan(sql)).as("scan of %s", sql).isEqualTo(SessionEffects.NONE);
    assertThat(Lexer.needsInspection(sql)).as(sql).isFalse();
    SqlScript script = SqlScript.parse(sql);
    assertThat(script.needsInspection()).as(sql).isFalse();
    assertThat(script.effects()).as(sql).isEqualTo(SessionEffects.NONE);
    Session session = Session.of("user1", null);
    Decision decision = guard.inspect(script, session);
    assertThat(decision.inspected()).as(sql).isFalse();
    assertThat(decision.allowed()).as(sql).isTrue();
    assertThat(decision.sql()).isEqualTo(sql);
    assertThat(decision.sessionAfter()).as(sql).isEqualTo(session);
  }

  /**
   * The prefilter is also precise where it can be: a text whose runs of letters and {@code _} are
   * none of its words (near misses included: a watched word glued to a letter, a digit, {@code $} or
   * {@code _}) passes, so the usual text costs no lexer pass. A watched word standing as a run of its
   * own, anywhere (in a literal or comment too), or a character that looks like a space, makes it
   * hand the text to the lexer.
   */
  @Property(tries = 2000)
  void aTextWithoutTheWordsPassesAndOneWordStoppingIt(@ForAll("plainTexts") List<String> pieces,
      @ForAll("watched") String word, @ForAll("positions") int at) {
    String sql = String.join("", pieces);
    assertThat(Prefilter.clean(sql)).as(sql).isTrue();
    assertSameAsFullPath(sql);
    int k = at % (pieces.size() + 1);
    String before = String.join("", pieces.subList(0, k));
    String after = String.join("", pieces.subList(k, pieces.size()));
    String stopped = before + " " + word + " " + after;
    assertThat(Prefilter.clean(stopped)).as(stopped).isFalse();
  }

  /** Texts that start with a word no command starts with, then anything but the watched words. */
  @Provide
  Arbitrary<List<String>> plainTexts() {
    Arbitrary<String> first = Arbitraries.of("select", "SELECT", "insert", "With", "values", "update", "x", "\u00e9t\u00e9");
    Arbitrary<String> piece = Arbitraries.of(
        " ", ", ", "(", ")", "'v'", "1", "\n", "\u00e9", "$1", ".", " = ", "\"q\"", "-- c\n", "/* c */", "$$ d $$",
        "'a'\n'b'", "#t", "1e5", "select", "from", "where", "t", "iam", "role", "credential", "credentialss",
        "xiam_role", "iam_role1", "iam_role$", "iam_role_", "_iam_role", "iam_roles", "IAM_ROLEX", "ziam_role",
        "catalog_rolex", "xcatalog_role", "set_config1", "aset_config", "access_key_idx", "xaccess_key_id",
        "secret_access_key_", "xsecret_access_key", "amaster_symmetric_key", "master_symmetric_key9",
        "asession_token", "session_token$", "credentials2", "xcredentials", "credentials_", "_credentials",
        "a_r", "x_c", "x_k", "x_a", "x_s", "x_t", "ls", "LS", "tools", "calls", "Xls");
    Arbitrary<List<String>> rest = piece.list().ofMaxSize(20);
    return net.jqwik.api.Combinators.combine(first, rest).as((f, r) -> {
      List<String> all = new java.util.ArrayList<>();
      all.add(f);
      all.add(" ");
      all.addAll(r);
      return all;
    });
  }

  @Provide
  Arbitrary<String> watched() {
    return Arbitraries.of("iam_role", "IAM_ROLE", "Iam_Role", "credentials", "CREDENTIALS", "access_key_id",
        "secret_access_key", "session_token", "catalog_role", "master_symmetric_key", "set_config", "SET_CONFIG",
        "'x iam_role'", "-- credentials\n", "iam_role;", "\u00a0", "\u200b", "a\u00a0b", "\\", "#$");
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 1000);
  }

  /**
   * With a {@code ;} (or a first word that opens a command) a statement may start anywhere: then the
   * openers count too, and a {@code {} (a JDBC call escape); a text of other words still passes.
   */
  @Property(tries = 1000)
  void aScriptOfOtherWordsPassesAndAnOpenerAnywhereStopsIt(@ForAll("scriptWords") List<String> words,
      @ForAll("openers") String opener, @ForAll("positions") int at) {
    String sql = String.join("; ", words);
    assertThat(Prefilter.clean(sql)).as(sql).isTrue();
    int k = at % (words.size() + 1);
    List<String> with = new java.util.ArrayList<>(words);
    with.add(k, opener);
    String stopped = String.join("; ", with);
    assertThat(Prefilter.clean(stopped)).as(stopped).isFalse();
    assertThat(Prefilter.clean(sql + "; {x}")).isFalse();
  }

  @Provide
  Arbitrary<List<String>> scriptWords() {
    return Arbitraries.of("select 1", "select a from t", "insert into t values (1)", "vacuum", "analyze t", "x",
            "select copy1", "select xcopy", "select copy_", "select _grant", "select $1", "select 'v'", "show all",
            "select grants", "update t set_a = 1")
        .list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> openers() {
    return Arbitraries.of(Prefilter.words()).flatMap(w -> Arbitraries.of(w, w.toLowerCase(Locale.ROOT),
        w.toLowerCase(Locale.ROOT) + " x", "(" + w + ")"));
  }
}
