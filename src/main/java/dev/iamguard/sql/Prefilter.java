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
 * literal, {@code #$}, {@code &"} (a name in Unicode escapes, {@code U&"..."}, which the scan counts as
 * an identity change), or a character that looks like a space inside a name. No token but a word
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
 * word of it can make a command, and only the words that count anywhere are searched for, in one
 * loop that looks closer only at a char after {@code _}, an {@code S} after an {@code L} and chars
 * above 127 (the usual JDBC text: about three times faster than the lexer pass). Otherwise every
 * maximal run is compared with every word. {@code PrefilterProperties} and
 * {@code PrefilterCorpusTest} check the claim against the lexer and the guard.
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
  /** Every word by length: [length] = the words that count anywhere, then the openers. */
  private static final String[][] EVERY_BY_LENGTH = byLength(concat(ANYWHERE, OPENERS));

  /**
   * What each char is to the search, one table entry per char (no branch on its range): a letter
   * or {@code _} (a run's material), a digit or {@code $} (a word goes on), a character that looks
   * like a space (the search gives up), or nothing of these.
   */
  private static final byte RUN = 1;
  private static final byte GOES_ON = 2;
  private static final byte GIVE_UP = 3;
  private static final byte[] CLASSES = new byte[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
      CLASSES[c] = letter ? RUN : c >= '0' && c <= '9' || c == '$' ? GOES_ON
          : c >= 0x80 && Lexer.isConfusable((char) c) ? GIVE_UP : 0;
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
    if (sql.indexOf('\\') >= 0 || hashBeforeDollar(sql)) {
      return false; // a backslash in a literal, a form readings disagree on: the lexer's ambiguity check
    }
    if (sql.indexOf("&\"") >= 0) {
      return false; // U&"..": a name in Unicode escapes (UESCAPE needs no backslash) may spell set_config or role
    }
    if (sql.indexOf(';') >= 0 || startsWithOpener(sql)) {
      // a statement may start anywhere: every word counts wherever it stands
      return sql.indexOf('{') < 0 && noneOf(sql, EVERY_BY_LENGTH); // {call ...} at a statement's start runs a routine
    }
    return noAnywhereWord(sql);
  }

  /** True when {@code #$} stands in {@code sql} (searched by its rare first char, with the String's own search). */
  private static boolean hashBeforeDollar(String sql) {
    for (int h = sql.indexOf('#'); h >= 0 && h + 1 < sql.length(); h = sql.indexOf('#', h + 1)) {
      if (sql.charAt(h + 1) == '$') {
        return true;
      }
    }
    return false;
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
    while (q < n && CLASSES[sql.charAt(q)] == RUN) {
      q++;
    }
    return q == p || isOneOf(sql, p, q - p, EVERY_BY_LENGTH);
  }

  /** True when no maximal run of letters and {@code _} (not followed by a digit or {@code $}) is one of {@code words}. */
  private static boolean noneOf(String sql, String[][] words) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      byte kind = CLASSES[sql.charAt(i)];
      if (kind != RUN) {
        if (kind == GIVE_UP) {
          return false; // a no-break or zero-width space: inside a name the scan inspects it
        }
        i++;
        continue;
      }
      int start = i++;
      while (i < n && (kind = CLASSES[sql.charAt(i)]) == RUN) {
        i++;
      }
      int length = i - start;
      if (length < words.length && words[length] != null && (i == n || kind != GOES_ON)
          && isOneOf(sql, start, length, words)) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when none of the words that count anywhere stands in {@code sql} as a run of its own, and
   * no char looks like a space. One loop whose only branch is rarely taken (no table lookup per
   * char): every such word holds a {@code _} (IAM_ROLE, CATALOG_ROLE, SET_CONFIG, ACCESS_KEY_ID,
   * SECRET_ACCESS_KEY, MASTER_SYMMETRIC_KEY, SESSION_TOKEN) or ends in {@code LS} (CREDENTIALS), so a
   * char is looked at only when it is above 127, follows {@code _}, or is an {@code S} after an
   * {@code L}.
   */
  static boolean noAnywhereWord(String sql) {
    int before = ' ';
    for (int i = 0, n = sql.length(); i < n; i++) {
      int c = sql.charAt(i);
      if ((c >= 0x80 || before == '_' || (c | 0x20) == 's' && (before | 0x20) == 'l')
          && found(sql, i, (char) c, (char) before)) {
        return false;
      }
      before = c;
    }
    return true;
  }

  /** What {@link #noAnywhereWord} looks at: a space-like char, or a word ending at or holding {@code _} before {@code i}. */
  private static boolean found(String sql, int i, char c, char prev) {
    if (c >= 0x80 && CLASSES[c] == GIVE_UP) {
      return true; // a no-break or zero-width space: inside a name the scan inspects it
    }
    if (prev == '_') {
      int u = i - 1;
      boolean word = switch (c | 0x20) {
        case 'r' -> isRun(sql, u - 3, AuthWords.IAM_ROLE) || isRun(sql, u - 7, AuthWords.CATALOG_ROLE);
        case 'c' -> isRun(sql, u - 3, AuthWords.SET_CONFIG);
        case 'k' -> isRun(sql, u - 6, AuthWords.ACCESS_KEY_ID);
        case 'a' -> isRun(sql, u - 6, AuthWords.SECRET_ACCESS_KEY);
        case 's' -> isRun(sql, u - 6, AuthWords.MASTER_SYMMETRIC_KEY);
        case 't' -> isRun(sql, u - 7, AuthWords.SESSION_TOKEN);
        default -> false;
      };
      if (word) {
        return true;
      }
    }
    return (c | 0x20) == 's' && isRun(sql, i - AuthWords.CREDENTIALS.length() + 1, AuthWords.CREDENTIALS);
  }

  /** True when {@code word} is spelled at {@code start}, in any case, as a whole run (as the lexer's word would be). */
  private static boolean isRun(String sql, int start, String word) {
    int end = start + word.length();
    if (start < 0 || end > sql.length() || !Tokens.sameWord(sql, start, word)) {
      return false;
    }
    if (start > 0 && CLASSES[sql.charAt(start - 1)] == RUN) {
      return false;
    }
    byte after = end < sql.length() ? CLASSES[sql.charAt(end)] : 0;
    return after != RUN && after != GOES_ON;
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
