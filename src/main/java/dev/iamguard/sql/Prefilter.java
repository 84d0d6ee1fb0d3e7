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
 * word of it can make a command, and only the words that count anywhere are searched for, 4 chars
 * at a time ({@link #noAnywhereWord}: the usual JDBC text, at a fraction of the lexer pass's cost). Otherwise every
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
      "CALL", "DISCARD", "DO", "END", "EXECUTE", "PREPARE", "ROLLBACK", "RELEASE", "START", "SAVEPOINT", "TRUNCATE",
      "DROP",
  };
  private static final int LONGEST = 20;
  /** Every word by length: [length] = the words that count anywhere, then the openers. */
  private static final String[][] EVERY_BY_LENGTH = byLength(concat(ANYWHERE, OPENERS));
  /** The words that count anywhere, by length. */
  private static final String[][] ANYWHERE_BY_LENGTH = byLength(ANYWHERE);

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
    if (sql.indexOf('\\') >= 0 || holdsPair(sql, '#', '$')) {
      return false; // a backslash in a literal, a form readings disagree on: the lexer's ambiguity check
    }
    if (holdsPair(sql, '&', '"')) {
      return false; // U&"..": a name in Unicode escapes (UESCAPE needs no backslash) may spell set_config or role
    }
    if (sql.indexOf(';') >= 0 || startsWithOpener(sql)) {
      // a statement may start anywhere: every word counts wherever it stands
      return sql.indexOf('{') < 0 && noneOf(sql, EVERY_BY_LENGTH); // {call ...} at a statement's start runs a routine
    }
    return noAnywhereWord(sql);
  }

  /**
   * True when {@code first} directly followed by {@code second} stands in {@code sql}: searched by
   * the rare first char with the String's own (vectorised) search, cheaper than a search for the pair.
   */
  private static boolean holdsPair(String sql, char first, char second) {
    for (int h = sql.indexOf(first); h >= 0 && h + 1 < sql.length(); h = sql.indexOf(first, h + 1)) {
      if (sql.charAt(h + 1) == second) {
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
   * no char looks like a space.
   *
   * <p>Why four chars at a time: every such word is at least 7 chars long, so wherever one stands
   * it covers a whole block of 4 chars starting at a multiple of 4. The loop reads each block as one
   * {@code long} (16 bits a char), folds it to lower case ({@code | 0x20} in every lane, which maps
   * {@code _} to 0x7F), and looks it up in a table of the words' folded 4-char pieces: one
   * multiplication, one load and one compare per 4 chars, and a branch that is taken only on a
   * piece of an auth word. This is the JDBC hot path on texts the branch predictor has never seen
   * (a branch per {@code _} in snake_case names cost 2.2 ns a char). A block equal to a piece is
   * then checked exactly: the maximal run around it is compared with the words, and the search
   * goes on after the run (each char is looked at a bounded number of times, whatever the text). A block holding a char above 127 never equals a piece (no word has
   * one); such chars are collected by OR and, when there are any, looked at one by one for a char
   * that looks like a space.
   */
  static boolean noAnywhereWord(String sql) {
    int n = sql.length();
    int blocks = n & ~3;
    long chars = 0; // every char ORed into its lane: a bit above 127 means the text has such a char
    for (int i = 0; i < blocks; i += 4) {
      long block = sql.charAt(i) | (long) sql.charAt(i + 1) << 16 | (long) sql.charAt(i + 2) << 32
          | (long) sql.charAt(i + 3) << 48;
      chars |= block;
      long folded = block | FOLD;
      if (PIECES[(int) (folded * PIECE_HASH >>> PIECE_SHIFT)] == folded) {
        int end = endOfRunUnlessWord(sql, i);
        if (end < 0) {
          return false;
        }
        // the blocks before the one holding the run's end lie inside the run: no word there (and
        // no char above 127); skipping them keeps a text of repeated pieces linear
        i = Math.max(i, (end & ~3) - 4);
      }
    }
    for (int i = blocks; i < n; i++) {
      chars |= sql.charAt(i);
    }
    return (chars & ABOVE_127) == 0 || !hasSpaceLike(sql);
  }

  /** Lower case in every 16-bit lane of a block ({@code _} becomes 0x7F, as no letter does). */
  private static final long FOLD = 0x0020_0020_0020_0020L;
  /** A bit above 127 in any lane. */
  private static final long ABOVE_127 = 0xFF80_FF80_FF80_FF80L;
  private static final int PIECE_BITS = 9;
  private static final int PIECE_SHIFT = 64 - PIECE_BITS;
  /** Every folded 4-char piece of the words that count anywhere, at the slot its hash names (0: none). */
  private static final long[] PIECES = new long[1 << PIECE_BITS];
  /** A multiplier that gives every piece a slot of its own (found once, below). */
  private static final long PIECE_HASH;

  static {
    java.util.Set<Long> pieces = new java.util.HashSet<>();
    for (String word : ANYWHERE) {
      if (word.length() < 7) { // a word of 7 chars or more covers a whole aligned block wherever it stands
        throw new IllegalStateException("the 4-char search cannot find a word shorter than 7 chars: " + word);
      }
      for (int i = 0; i + 4 <= word.length(); i++) {
        pieces.add((word.charAt(i) | (long) word.charAt(i + 1) << 16 | (long) word.charAt(i + 2) << 32
            | (long) word.charAt(i + 3) << 48) | FOLD);
      }
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    long multiplier;
    search:
    while (true) {
      multiplier = random.nextLong() | 1;
      java.util.Arrays.fill(PIECES, 0);
      for (long piece : pieces) {
        int slot = (int) (piece * multiplier >>> PIECE_SHIFT);
        if (PIECES[slot] != 0) {
          continue search;
        }
        PIECES[slot] = piece;
      }
      break;
    }
    PIECE_HASH = multiplier;
  }

  /**
   * -1 when the maximal run of letters and {@code _} holding {@code sql[i]} is one of the words that
   * count anywhere, not followed by a digit or {@code $}; else where that run ends ({@code i + 1}
   * when {@code sql[i]} is in none). Looks back at most {@link #LONGEST} chars: a longer run is no
   * word.
   */
  private static int endOfRunUnlessWord(String sql, int i) {
    if (CLASSES[sql.charAt(i)] != RUN) {
      return i + 1;
    }
    int n = sql.length();
    int end = i + 1;
    byte after = 0;
    while (end < n && (after = CLASSES[sql.charAt(end)]) == RUN) {
      end++;
    }
    int start = i;
    while (start > 0 && end - start <= LONGEST && CLASSES[sql.charAt(start - 1)] == RUN) {
      start--;
    }
    boolean word = end - start <= LONGEST && (start == 0 || CLASSES[sql.charAt(start - 1)] != RUN)
        && (end == n || after != GOES_ON) && isOneOf(sql, start, end - start, ANYWHERE_BY_LENGTH);
    return word ? -1 : end;
  }

  /** True when a char of {@code sql} looks like a space (inside a name the scan inspects it). */
  private static boolean hasSpaceLike(String sql) {
    for (int i = 0, n = sql.length(); i < n; i++) {
      char c = sql.charAt(i);
      if (c >= 0x80 && CLASSES[c] == GIVE_UP) {
        return true;
      }
    }
    return false;
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
