package dev.iamguard.sql;

/**
 * Proves, without lexing, that a text holds none of the words that make the hot-path scan look
 * closer: then {@link Lexer#scan} would answer {@link SessionEffects#NONE}, and the lexer pass is
 * skipped. When the proof fails the lexer decides, so the prefilter only ever saves time.
 *
 * <p>Why a word search is enough: every reason the scan has to inspect a text, or to report an
 * effect on the session, is a {@code WORD} token spelled with ASCII letters and {@code _} (an auth
 * word, {@code set_config}, or the first word of a statement: COPY, SET, END, DO, ...), a quoted
 * {@code "set_config"}, a {@code {} opening a statement (a JDBC call escape), a backslash in a
 * literal, {@code #$}, or a character that looks like a space inside a name. No token but a word
 * ends with a letter or {@code _} (numbers end with a digit or a dot, literals, quoted names,
 * comments and dollar quotes with their closing character), and words are read greedily through
 * letters, digits, {@code _} and {@code $}. So a word token equal to one of those words is always a
 * maximal run of ASCII letters and {@code _} not followed by a digit or {@code $}: the runs are what
 * the prefilter compares, wherever they stand (in a literal or a comment too, which only costs a
 * needless lexer pass). Escapes cannot make a word: a text with a backslash anywhere goes to the
 * lexer.
 *
 * <p>A statement's first words count only at a statement's start. A text without any {@code ;} is
 * one statement: when its first token is a word other than those that open a command, no other
 * word of it can make a command, and only the words that count anywhere are searched for.
 * {@code PrefilterProperties} checks the claim against the lexer on generated texts.
 */
final class Prefilter {
  /** Words that count wherever they stand: the auth words and {@code set_config}. */
  private static final String[] ANYWHERE = {
      AuthWords.IAM_ROLE, AuthWords.CREDENTIALS, AuthWords.ACCESS_KEY_ID, AuthWords.SECRET_ACCESS_KEY,
      AuthWords.SESSION_TOKEN, AuthWords.CATALOG_ROLE, AuthWords.MASTER_SYMMETRIC_KEY, AuthWords.SET_CONFIG,
  };
  /**
   * Words that count as a statement's first word: the commands {@link CommandParser#classify} knows
   * and the statements {@link CommandParser#sessionEffects} reports.
   */
  private static final String[] OPENERS = {
      "COPY", "UNLOAD", "CREATE", "ALTER", "GRANT", "REVOKE", "SET", "RESET", "ABORT", "BEGIN", "COMMIT",
      "CALL", "DISCARD", "DO", "END", "EXECUTE", "PREPARE", "ROLLBACK", "RELEASE", "START", "SAVEPOINT",
  };
  private static final int LONGEST = 20;
  /** The words by length: [length] = the words that count anywhere, then the openers. */
  private static final String[][] ANYWHERE_BY_LENGTH = byLength(ANYWHERE);
  private static final String[][] EVERY_BY_LENGTH = byLength(concat(ANYWHERE, OPENERS));

  /** ASCII characters: a letter or {@code _} (a run's material), or a digit or {@code $} (a word goes on). */
  private static final byte RUN = 1;
  private static final byte GOES_ON = 2;
  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
      ASCII[c] = letter ? RUN : c >= '0' && c <= '9' || c == '$' ? GOES_ON : 0;
    }
  }

  private Prefilter() {}

  /** Every word the prefilter searches for (a copy, for tests). */
  static String[] words() {
    return concat(ANYWHERE, OPENERS);
  }

  /**
   * True when {@code sql} provably holds nothing the scan would inspect or report, so that
   * {@code Lexer.scan(sql) == SessionEffects.NONE}; false when the lexer must decide.
   */
  static boolean clean(String sql) {
    if (sql.indexOf('\\') >= 0 || sql.indexOf("#$") >= 0) {
      return false; // a backslash in a literal, a form readings disagree on: the lexer's ambiguity check
    }
    String[][] words = ANYWHERE_BY_LENGTH;
    if (sql.indexOf(';') >= 0 || startsWithOpener(sql)) {
      if (sql.indexOf('{') >= 0) {
        return false; // {call ...} at a statement's start runs a routine
      }
      words = EVERY_BY_LENGTH;
    }
    return noneOf(sql, words);
  }

  /**
   * Whether the first token of a text may open a command: it is not a word, or it is a word that is
   * one of the openers. The first token is a word when the text starts (after whitespace) with a
   * letter or {@code _}; the word holds the run of letters and {@code _} there, and is longer than
   * it only by a character that no opener has.
   */
  private static boolean startsWithOpener(String sql) {
    int n = sql.length();
    int p = 0;
    while (p < n && Lexer.isWhitespace(sql.charAt(p))) {
      p++;
    }
    if (p == n) {
      return false; // no token at all
    }
    int q = p;
    char c;
    while (q < n && (c = sql.charAt(q)) < 128 && ASCII[c] == RUN) {
      q++;
    }
    return q == p || isOneOf(sql, p, q - p, EVERY_BY_LENGTH);
  }

  /** True when no maximal run of letters and {@code _} (not followed by a digit or {@code $}) is one of {@code words}. */
  private static boolean noneOf(String sql, String[][] words) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c >= 128) {
        if (Lexer.isConfusable(c)) {
          return false; // a no-break or zero-width space: inside a name the scan inspects it
        }
        i++;
        continue;
      }
      if (ASCII[c] != RUN) {
        i++;
        continue;
      }
      int start = i++;
      while (i < n && (c = sql.charAt(i)) < 128 && ASCII[c] == RUN) {
        i++;
      }
      int length = i - start;
      if (length < words.length && words[length] != null && (i == n || c >= 128 || ASCII[c] != GOES_ON)
          && isOneOf(sql, start, length, words)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code sql[start, start + length)} is one of {@code words}, in any case (as {@link Tokens#sameWord}). */
  private static boolean isOneOf(String sql, int start, int length, String[][] words) {
    if (length >= words.length || words[length] == null) {
      return false;
    }
    for (String word : words[length]) {
      if (Tokens.sameWord(sql, start, word)) {
        return true;
      }
    }
    return false;
  }

  private static String[][] byLength(String[] words) {
    String[][] table = new String[LONGEST + 1][];
    for (String word : words) {
      String[] same = table[word.length()];
      String[] grown = same == null ? new String[1] : java.util.Arrays.copyOf(same, same.length + 1);
      grown[grown.length - 1] = word;
      table[word.length()] = grown;
    }
    return table;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
