package dev.iamguard.sql;

/**
 * Statements after which the server lexes what follows otherwise than before: a change of
 * {@code standard_conforming_strings} (whether a backslash escapes in a plain literal) or of the
 * client encoding (in SJIS, GBK, BIG5, GB18030, UHC and JOHAB a character beyond ASCII takes the
 * backslash after it as its own last byte). psql sends a script one statement at a time and
 * follows both settings, and a driver that splits a text sends its pieces one after the other, so
 * the statements after such a change are lexed as no one reading of the whole text lexes them
 * (red-team review, 2026-12-05: {@code select 'x\''; set standard_conforming_strings to on;
 * select 'y\'; unload ...} ran the UNLOAD, which every reading of the whole text kept inside a
 * literal). {@link AmbiguityCheck} and {@link ScriptReader} follow the PostgreSQL reading afresh
 * from each such statement, and fail closed on what no reading shows.
 *
 * <p>Known as changes: {@code SET} (also {@code SESSION} or {@code LOCAL}) and {@code RESET} of
 * {@code standard_conforming_strings}, {@code client_encoding} or {@code NAMES}, a name written
 * quoted or with Unicode escapes, {@code RESET ALL}, {@code DISCARD}, {@code DO}, and
 * {@code set_config} anywhere in a statement; psql's {@code \encoding} line. A procedure that
 * sets either, run by {@code CALL}, is not.
 */
final class LexingChange {
  /** May change {@code standard_conforming_strings}. */
  static final int STRINGS = 1;
  /** May change the client encoding. */
  static final int ENCODING = 2;
  static final int BOTH = STRINGS | ENCODING;
  /**
   * The most readings followed afresh in one text: past them, every later literal with a
   * backslash counts as hiding something (a text with that many changes is no ETL script).
   */
  static final int MAX_READINGS = 16;
  /** psql's meta-command that sets the client encoding (meta-commands are case-sensitive). */
  static final String PSQL_ENCODING = "\\encoding";

  private LexingChange() {}

  /** Told each statement, of the ones psql sends, that may change how the server lexes what follows it. */
  @FunctionalInterface
  interface Changes {
    /**
     * The statement starting at {@code start} may make the changes {@code changes}; {@code after} is
     * where it ends (after its semicolon, or after the line of the psql meta-command that sends it),
     * -1 when nothing follows it.
     */
    void at(int changes, int start, int after);
  }

  /**
   * Tells {@code sink} the changes of the statement of tokens {@code [first, last)} of {@code t},
   * followed by a semicolon ending at {@code semicolonEnd} (-1: none). psql sends it in parts
   * where a meta-command such as {@code \g} ends one ({@link PsqlForms#endsStatement}): each part
   * is judged by its first words, and {@code set_config} (or a name written with Unicode escapes)
   * anywhere makes the first part a change of both.
   */
  static void find(Tokens t, int first, int last, int semicolonEnd, Changes sink) {
    if (first >= last) {
      return;
    }
    for (int i = first; i < last; i++) {
      if (SqlScript.identityWord(t, i) != SessionEffects.NONE) {
        sink.at(BOTH, t.start(first), semicolonEnd);
        return;
      }
    }
    int head = afterMetaLines(t, first, last);
    while (head >= 0) {
      int next = -1;
      int after = semicolonEnd;
      for (int i = head + 1; i < last; i++) {
        if (PsqlForms.endsStatement(t, i)) {
          int lineEnd = t.source().indexOf('\n', t.start(i));
          next = lineEnd < 0 ? -1 : firstFrom(t, i + 1, last, lineEnd + 1);
          after = lineEnd < 0 ? -1 : lineEnd + 1;
          break;
        }
      }
      int changes = headChanges(t, head, last);
      if (changes != 0) {
        sink.at(changes, t.start(head), after);
      }
      head = next < 0 ? -1 : afterMetaLines(t, next, last);
    }
  }

  /**
   * The first token from {@code from} that is not on a psql meta-command's line ({@code \echo},
   * {@code \set ON_ERROR_STOP on}): psql runs such lines and sends the SQL after them as the
   * statement, whose first words are those after them; -1 when only such lines are left.
   */
  private static int afterMetaLines(Tokens t, int from, int last) {
    int head = from;
    while (head >= 0 && head < last && PsqlForms.isBackslash(t, head)) {
      int lineEnd = t.source().indexOf('\n', t.start(head));
      head = lineEnd < 0 ? -1 : firstFrom(t, head + 1, last, lineEnd + 1);
    }
    return head < last ? head : -1;
  }

  /**
   * Where psql's first {@code \encoding} line starts in {@code text}, or -1. A new connection
   * ({@code \c}) may take a client encoding the role or the database sets by default: not followed
   * (README); it may change {@code standard_conforming_strings} too, which {@link #settingDependent}
   * covers whatever changes it.
   */
  static int psqlEncodingLine(String text) {
    return psqlEncodingLine(text, 0);
  }

  /** {@link #psqlEncodingLine(String)} searched from {@code from} on. */
  static int psqlEncodingLine(String text, int from) {
    return text.indexOf(PSQL_ENCODING, from);
  }

  /** The first token of {@code [from, last)} that starts at or after {@code at}, or -1. */
  private static int firstFrom(Tokens t, int from, int last, int at) {
    for (int i = from; i < last; i++) {
      if (t.start(i) >= at) {
        return i;
      }
    }
    return -1;
  }

  /** What the statement whose first token is {@code first} may change by its first words. */
  private static int headChanges(Tokens t, int first, int last) {
    if (t.isWord(first, "DO") || t.isWord(first, "DISCARD")) {
      return BOTH;
    }
    if (t.isWord(first, "RESET")) {
      return first + 1 < last && t.isWord(first + 1, "ALL") ? BOTH : parameter(t, first + 1, last);
    }
    if (t.isWord(first, "SET")) {
      int name = first + 1 < last && (t.isWord(first + 1, "SESSION") || t.isWord(first + 1, "LOCAL")) ? first + 2 : first + 1;
      return parameter(t, name, last) | (name < last && t.isWord(name, "NAMES") ? ENCODING : 0);
    }
    return 0;
  }

  private static int parameter(Tokens t, int name, int last) {
    if (name >= last) {
      return 0;
    }
    if (CommandParser.isParameter(t, name, "STANDARD_CONFORMING_STRINGS")) {
      return STRINGS;
    }
    if (CommandParser.isParameter(t, name, "CLIENT_ENCODING")) {
      return ENCODING;
    }
    return CommandParser.unicodeEscapedName(t, name) ? BOTH : 0;
  }

  /**
   * Whether token {@code k} of {@code t} is a literal whose end depends on
   * {@code standard_conforming_strings}: a plain (or national) literal holding a quote that an odd
   * run of backslashes escapes in Redshift's reading and that ends it in PostgreSQL's
   * ({@code 'it\'s'}). A change of the setting can make the server read such a literal otherwise
   * than every reading of the whole text, which cannot know where a change happens (a procedure, a
   * trigger or a new connection may make it): read after another form the readings disagree on, it
   * is refused ({@link AmbiguityCheck}).
   */
  static boolean settingDependent(Tokens t, int k) {
    TokenKind kind = t.kind(k);
    if (kind != TokenKind.STRING && kind != TokenKind.UNTERMINATED_STRING) {
      return false;
    }
    String source = t.source();
    int start = t.start(k);
    char first = source.charAt(start);
    if (first == 'E' || first == 'e') {
      return false; // an escape string: both readings read its backslashes
    }
    int end = t.end(k);
    int from = source.indexOf('\\', start);
    if (from < 0 || from >= end) {
      return false; // most literals: no backslash, one search
    }
    int[] gaps = gaps(t, k);
    int g = 0;
    int backslashes = 0;
    for (int i = from; i < end; i++) {
      while (g < gaps.length && gaps[g + 1] <= i) {
        g += 2;
      }
      if (g < gaps.length && i >= gaps[g]) {
        i = gaps[g + 1] - 1; // on to the next part's opening quote, which no backslash escapes
        backslashes = 0;
        continue;
      }
      char c = source.charAt(i);
      if (c == '\\') {
        backslashes++;
      } else {
        if (c == '\'' && backslashes % 2 == 1) {
          return true;
        }
        backslashes = 0;
      }
    }
    return false;
  }

  /**
   * The gaps of literal token {@code k} when it continues across lines ({@link Tokens#literalGaps}):
   * spaces and {@code --} comments, which every reading skips alike, so a backslash or quote in them
   * is no part of the value (a comment's {@code \'} made the literal look setting-dependent, and a
   * whole text and a streamed one disagreed on the statements after it: ScriptReaderProperties).
   */
  private static int[] gaps(Tokens t, int k) {
    return t.continuedLiteral ? t.literalGaps(t.start(k), t.end(k)) : NO_GAPS;
  }

  private static final int[] NO_GAPS = new int[0];

  /** Whether offset {@code at} lies in one of {@code gaps}. */
  private static boolean inGap(int[] gaps, int at) {
    for (int g = 0; g < gaps.length; g += 2) {
      if (at >= gaps[g] && at < gaps[g + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether the literal token {@code k} of {@code t} holds a character beyond ASCII right before a backslash. */
  static boolean backslashAfterWideChar(Tokens t, int k) {
    String source = t.source();
    int end = t.end(k);
    int[] gaps = null;
    for (int b = source.indexOf('\\', t.start(k) + 1); b >= 0 && b < end; b = source.indexOf('\\', b + 1)) {
      if (source.charAt(b - 1) > 0x7F) {
        gaps = gaps == null ? gaps(t, k) : gaps;
        if (!inGap(gaps, b)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the literal token {@code k} of {@code t} holds a backslash (in its value's parts, not its gaps). */
  static boolean holdsBackslash(Tokens t, int k) {
    String source = t.source();
    int end = t.end(k);
    int[] gaps = null;
    for (int b = source.indexOf('\\', t.start(k)); b >= 0 && b < end; b = source.indexOf('\\', b + 1)) {
      gaps = gaps == null ? gaps(t, k) : gaps;
      if (!inGap(gaps, b)) {
        return true;
      }
    }
    return false;
  }
}
