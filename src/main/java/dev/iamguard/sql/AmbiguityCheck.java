package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Guards against text that another lexer reads differently. Redshift escapes with a backslash
 * inside literals; PostgreSQL with {@code standard_conforming_strings=on}, H2 and some client-side
 * statement splitters do not. A literal such as {@code 'a\'; COPY .. IAM_ROLE '..'; --'} is one
 * harmless string to Redshift but a COPY to them. Bit strings ({@code B'..'}) and {@code #temp}
 * names are read differently again by lexers that do not know them. When the text holds such a
 * form, it is lexed in the other {@link Lexer.Reading}s too, and an auth clause or auth-carrying
 * statement that only another reading shows is attached as a problem to the statement that hides
 * it.
 */
final class AmbiguityCheck {
  static final int[] NONE = new int[0];

  private AmbiguityCheck() {}

  /**
   * Offsets of auth clauses or commands that another reading shows and {@code primary} does not:
   * each other reading is followed through the whole text by the same {@link AlternativeReading}
   * that a {@link ScriptReader} carries from piece to piece, so a script read whole and one read in
   * pieces get the same verdicts.
   */
  static int[] hiddenAuth(String sql, Tokens primary) {
    TreeSet<Integer> hidden = new TreeSet<>();
    if (primary.backslashInLiteral) {
      // before the first literal with a backslash this reading lexes as the primary one does
      follow(sql, primary, Lexer.Reading.NO_ESCAPES, 0, hidden);
    }
    if (primary.backslashInLiteral || primary.readingsMayDiffer) {
      follow(sql, primary, Lexer.Reading.POSTGRES_STANDARD, postgresFrom(primary), hidden);
    }
    if (primary.readingsMayDiffer) {
      follow(sql, primary, Lexer.Reading.ESCAPES_EVERYWHERE, differencesFrom(primary), hidden);
    }
    followChanges(sql, primary, hidden);
    return hidden.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Follows the PostgreSQL reading afresh from each statement that may change how the server lexes
   * what follows ({@link LexingChange}), from its start and from after its semicolon (the change
   * holds from one or the other), where the PostgreSQL reading of the whole text may already be out
   * of step (from its start on: before it, a fresh one would read what that one reads). After
   * {@link LexingChange#MAX_READINGS}, every later literal with a backslash counts as hidden; after a
   * change of the client encoding, every later literal with a character beyond ASCII right before
   * a backslash. And whatever changes the setting (a procedure, a trigger, a new connection may, unseen),
   * a literal whose end depends on it ({@link LexingChange#settingDependent}) in a statement after
   * another such form counts as hidden: only after one may the readings of the whole text stand out of
   * step with such a server ({@link ScriptReader} follows the same, window by window).
   */
  private static void followChanges(String sql, Tokens primary, TreeSet<Integer> hidden) {
    int postgresFrom = postgresFrom(primary);
    int[] state = {LexingChange.psqlEncodingLine(sql), -1, 0}; // encoding from, every backslash from, readings
    int first = 0;
    for (int i = 0; i <= primary.count(); i++) {
      if (i < primary.count() && primary.kind(i) != TokenKind.SEMICOLON) {
        continue;
      }
      LexingChange.find(primary, first, i, i < primary.count() ? primary.end(i) : -1, (changes, start, after) -> {
        if ((changes & LexingChange.ENCODING) != 0 && (state[0] < 0 || start < state[0])) {
          state[0] = start;
        }
        if ((changes & LexingChange.STRINGS) != 0 && start >= postgresFrom && state[1] < 0) {
          if (state[2] + 2 > LexingChange.MAX_READINGS) {
            state[1] = start;
          } else {
            follow(sql, primary, Lexer.Reading.POSTGRES_STANDARD, start, hidden);
            if (after >= 0) {
              follow(sql, primary, Lexer.Reading.POSTGRES_STANDARD, after, hidden);
            }
            state[2] += 2;
          }
        }
      });
      first = i + 1;
    }
    long desyncEnd = -1;
    for (int k = 0; k < primary.count(); k++) {
      if (changedLiteral(primary, k, 0, state[0], state[1]) || desyncEnd >= 0 && primary.start(k) >= desyncEnd
          && LexingChange.settingDependent(primary, k)) {
        hidden.add(primary.start(k));
      } else if (desyncEnd < 0 && desyncs(primary, k)) {
        desyncEnd = statementEnd(primary, k);
      }
    }
  }

  /**
   * Whether token {@code k} is the first of the forms after which the readings of the whole text may
   * stand out of step with a server whose {@code standard_conforming_strings} changed: a literal whose
   * end depends on it, or the first form the readings disagree on.
   */
  static boolean desyncs(Tokens primary, int k) {
    return LexingChange.settingDependent(primary, k) || primary.firstDifference >= 0 && primary.end(k) > primary.firstDifference;
  }

  /** Where the statement of token {@code k} ends: after the semicolon that ends it, or never ({@link Long#MAX_VALUE}). */
  static long statementEnd(Tokens primary, int k) {
    for (int i = k; i < primary.count(); i++) {
      if (primary.kind(i) == TokenKind.SEMICOLON) {
        return primary.end(i);
      }
    }
    return Long.MAX_VALUE;
  }

  /**
   * Whether token {@code k} of {@code t} (a text at {@code base} in the script) is a literal that a
   * change of how the server lexes before it may read otherwise: after a change of the client
   * encoding ({@code encodingFrom}, -1 for none) one with a character beyond ASCII right before a
   * backslash; from {@code everyBackslashFrom} (-1: never) one with any backslash.
   */
  static boolean changedLiteral(Tokens t, int k, long base, long encodingFrom, long everyBackslashFrom) {
    if (t.kind(k) != TokenKind.STRING && t.kind(k) != TokenKind.UNTERMINATED_STRING) {
      return false;
    }
    long start = base + t.start(k);
    return encodingFrom >= 0 && start > encodingFrom && LexingChange.backslashAfterWideChar(t, k)
        || everyBackslashFrom >= 0 && start >= everyBackslashFrom && LexingChange.holdsBackslash(t, k);
  }

  /**
   * Where the first statement that may change the identity starts in another reading of
   * {@code sql}, or -1 when no other reading has one: PostgreSQL with
   * {@code standard_conforming_strings=on} runs the {@code SET ROLE} that Redshift's reading of
   * {@code select 'x\'; set role none; select '1'} keeps inside a literal, and a connection to it
   * must ask again who runs what follows.
   */
  static int hiddenIdentityChange(String sql, Tokens primary, boolean transactionEndsCount) {
    int first = -1;
    if (primary.backslashInLiteral) {
      first = earlier(first, firstIdentityChange(Lexer.tokenize(sql, Lexer.Reading.NO_ESCAPES), transactionEndsCount));
    }
    if (primary.backslashInLiteral || primary.readingsMayDiffer) {
      first = earlier(first, firstIdentityChange(Lexer.tokenize(sql, Lexer.Reading.POSTGRES_STANDARD),
          transactionEndsCount));
    }
    if (primary.readingsMayDiffer) {
      first = earlier(first, firstIdentityChange(Lexer.tokenize(sql, Lexer.Reading.ESCAPES_EVERYWHERE),
          transactionEndsCount));
    }
    return first;
  }

  /** The earlier of two offsets, -1 standing for none. */
  private static int earlier(int a, int b) {
    return a < 0 || b >= 0 && b < a ? b : a;
  }

  /**
   * The start of the first statement of {@code t} that may change the identity, or -1; with
   * {@code transactionEndsCount} (the identity changed on the connection before) also one that may
   * undo or redo such a change (a ROLLBACK only PostgreSQL's reading shows restores the user the
   * transaction began with).
   */
  private static int firstIdentityChange(Tokens t, boolean transactionEndsCount) {
    int first = 0;
    int effects = 0;
    for (int i = 0; i <= t.count(); i++) {
      if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
        effects |= SqlScript.identityWord(t, i);
        continue;
      }
      if (i > first) {
        effects |= CommandParser.sessionEffects(CommandParser.classify(t, first, i), t, first);
        if (SessionEffects.has(effects, SessionEffects.IDENTITY)
            || transactionEndsCount && SessionEffects.has(effects, SessionEffects.UNDOES)) {
          return t.start(first);
        }
      }
      effects = 0;
      first = i + 1;
    }
    return -1;
  }

  /** At most this many semicolons in line comments are read afresh; a text with more is taken as hiding one. */
  static final int MOST_DRIVER_SPLITS = 64;

  /**
   * See {@link SqlScript#hiddenByDriverSplits}. A server with {@code standard_conforming_strings=on}
   * (PostgreSQL, or a session that set it) reads a literal's backslash as itself, so a text holding
   * one is searched in that reading too: {@code 'x\'} ends there, and a comment after it can hold
   * the {@code ;} (probe sq4 F3).
   */
  static boolean hiddenAfterSemicolonsInLineComments(String sql) {
    return new Splits(sql, Lexer.Reading.REDSHIFT).inLineComments(false)
        || sql.indexOf('\\') >= 0 && new Splits(sql, Lexer.Reading.POSTGRES_STANDARD).inLineComments(false);
  }

  /** See {@link SqlScript#cutByDriverSplits}; in both readings, as {@link #hiddenAfterSemicolonsInLineComments}. */
  static boolean cutAtSemicolonsInLineComments(String sql) {
    return new Splits(sql, Lexer.Reading.REDSHIFT).inLineComments(true)
        || sql.indexOf('\\') >= 0 && new Splits(sql, Lexer.Reading.POSTGRES_STANDARD).inLineComments(true);
  }

  /** See {@link SqlScript#hiddenBySplitsOutsideCode}; in both readings, as {@link #hiddenAfterSemicolonsInLineComments}. */
  static boolean hiddenAfterSemicolonsOutsideCode(String sql) {
    if (sql.indexOf(';') < 0) {
      return false;
    }
    return new Splits(sql, Lexer.Reading.REDSHIFT).outsideCode()
        || sql.indexOf('\\') >= 0 && new Splits(sql, Lexer.Reading.POSTGRES_STANDARD).outsideCode();
  }

  /** See {@link SqlScript#placeholdersInCode}. */
  static boolean placeholdersInCode(String sql) {
    int q = sql.indexOf('?');
    if (q < 0) {
      return true;
    }
    Tokens tokens = Lexer.tokenize(sql);
    int k = 0;
    for (; q >= 0; q = sql.indexOf('?', q + 1)) {
      while (k < tokens.count() && tokens.end(k) <= q) {
        k++;
      }
      if (k == tokens.count() || tokens.start(k) > q
          || tokens.kind(k) != TokenKind.OPERATOR && tokens.kind(k) != TokenKind.PARAMETER) {
        return false; // in a comment, a literal, a quoted name
      }
    }
    return true;
  }

  /**
   * One search of a text, in one reading, for a statement that a driver splitting it at a {@code ;}
   * the reading has outside code would send, and the reading does not show. At most
   * {@link #MOST_DRIVER_SPLITS} semicolons are read afresh; a text with more is taken as hiding one.
   */
  private static final class Splits {
    private final String sql;
    private final Lexer.Reading reading;
    private final Tokens primary;
    /** The primary reading's line comments, as {@code [start, end)} pairs in order. */
    private final int[] lineComments;
    /**
     * Up to here every reader reads the text alike ({@link AgreedPrefix}), computed when first
     * needed: no splitter takes a {@code ;} in a line comment that starts before it for code.
     */
    private int agreedUntil = -1;
    private int read;

    Splits(String sql, Lexer.Reading reading) {
      this.sql = sql;
      this.reading = reading;
      this.primary = Lexer.tokenize(sql, reading);
      IntList comments = new IntList();
      for (int k = 0; k <= primary.count(); k++) {
        lineCommentsIn(k == 0 ? 0 : primary.end(k - 1), k < primary.count() ? primary.start(k) : sql.length(), comments);
      }
      // a literal continued after a line break ('a' -- c ;\n'b') is one token holding a comment (probe sq3 F3)
      int[] gaps = primary.literalGaps(0, sql.length());
      for (int g = 0; g + 1 < gaps.length; g += 2) {
        lineCommentsIn(gaps[g], gaps[g + 1], comments);
      }
      this.lineComments = comments.sortedPairs();
    }

    /**
     * Whether a {@code ;} in one of the primary reading's line comments hides a statement, or, with
     * {@code cuts}, instead: whether one cuts an auth-carrying statement in two. A driver that split
     * there would send the statement's first part alone, which the guard did not decide (a COPY
     * without the {@code IAM_ROLE} after the comment, an external schema without its
     * {@code CATALOG_ROLE}: probe sq4 F4).
     */
    boolean inLineComments(boolean cuts) {
      for (int k = 0; k <= primary.count(); k++) {
        int from = k == 0 ? 0 : primary.end(k - 1);
        int to = k < primary.count() ? primary.start(k) : sql.length();
        if (cuts ? k > 0 && k < primary.count() && cutsAuthStatement(from, to, k - 1) : hiddenInGap(from, to, true, false)) {
          return true;
        }
      }
      int[] gaps = primary.literalGaps(0, sql.length());
      for (int g = 0; g + 1 < gaps.length; g += 2) {
        int token = primary.firstFrom(gaps[g] + 1) - 1; // the continued literal holding the gap
        if (cuts ? cutsAuthStatement(gaps[g], gaps[g + 1], token) : hiddenInGap(gaps[g], gaps[g + 1], false, false)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether a line comment of the gap {@code [from, to)}, which follows token {@code before} and
     * lies inside its statement, holds a {@code ;}, in a statement of an auth-carrying command.
     */
    private boolean cutsAuthStatement(int from, int to, int before) {
      if (before < 0 || primary.kind(before) == TokenKind.SEMICOLON || before + 1 >= primary.count()
          || primary.kind(before + 1) == TokenKind.SEMICOLON && primary.start(before + 1) >= to) {
        return false; // between statements, or at a statement's end
      }
      IntList comments = new IntList();
      lineCommentsIn(from, to, comments);
      boolean semicolon = false;
      for (int c = 0; c < comments.size && !semicolon; c += 2) {
        if (readAlike(comments.values[c])) {
          continue;
        }
        int semi = sql.indexOf(';', comments.values[c] + 2);
        semicolon = semi >= 0 && semi < comments.values[c + 1];
      }
      if (!semicolon) {
        return false;
      }
      int start = before;
      while (start > 0 && primary.kind(start - 1) != TokenKind.SEMICOLON) {
        start--;
      }
      int end = before + 1;
      while (end < primary.count() && primary.kind(end) != TokenKind.SEMICOLON) {
        end++;
      }
      return CommandParser.classify(primary, start, end) != CommandKind.OTHER;
    }

    /**
     * Whether a {@code ;} anywhere but in code (a comment, a literal, a quoted name) hides a
     * statement, where a reader may read the text before it otherwise.
     */
    boolean outsideCode() {
      int k = 0;
      for (int semi = sql.indexOf(';'); semi >= 0; semi = sql.indexOf(';', semi + 1)) {
        while (k < primary.count() && primary.end(k) <= semi) {
          k++;
        }
        boolean inCode = k < primary.count() && primary.start(k) <= semi && primary.kind(k) == TokenKind.SEMICOLON;
        // a ';' read alike lies in a literal, quoted name or line comment that every reader reads whole
        if (!inCode && !readAlike(semi) && (++read > MOST_DRIVER_SPLITS || hiddenFrom(semi + 1))) {
          return true;
        }
      }
      return false;
    }

    /** Adds the {@code [start, end)} of each {@code --} comment in the gap {@code [from, to)} to {@code out}. */
    private void lineCommentsIn(int from, int to, IntList out) {
      for (int i = from; i < to - 1; ) {
        if (sql.startsWith("--", i)) {
          int eol = i + 2;
          while (eol < to && sql.charAt(eol) != '\n' && sql.charAt(eol) != '\r') {
            eol++;
          }
          out.add(i, eol);
          i = eol;
        } else if (sql.startsWith("/*", i)) {
          int end = Lexer.blockCommentEnd(sql, i, to);
          i = end < 0 ? to : end;
        } else {
          i++;
        }
      }
    }

    /**
     * Whether every reader reads the text up to {@code offset} as the primary reading does: then
     * none finds code in the line comment that starts there, nor in the comment, literal or quoted
     * name holding it, which lies whole before {@link AgreedPrefix}'s end (a comment of a reading
     * afresh is not one).
     */
    private boolean readAlike(int offset) {
      if (agreedUntil < 0) {
        agreedUntil = AgreedPrefix.of(sql, primary);
      }
      return offset < agreedUntil;
    }

    /** True when {@code offset} lies in one of the primary reading's line comments. */
    private boolean inPrimaryLineComment(int offset) {
      return OffsetPairs.contains(lineComments, offset);
    }

    /**
     * The {@code --} comments of the gap {@code [from, to)}: whether one holds a {@code ;} from
     * which a statement the guard must see is read afresh. A {@code ;} that only blanks follow on
     * its line, in a gap that ends at a token ({@code betweenTokens}), is read afresh from that
     * token: the gap's many commented-out statements ({@code -- create table s (a int);} lines) are
     * one reading, and count once (probe sq3 F5). With {@code fresh} (a gap of a reading afresh), a
     * {@code ;} in one of the primary reading's line comments is passed over: it is read afresh from
     * there by {@link #inLineComments} (one in the primary reading's block comment is not: probe sq4 F1).
     */
    private boolean hiddenInGap(int from, int to, boolean betweenTokens, boolean fresh) {
      IntList comments = new IntList();
      lineCommentsIn(from, to, comments);
      boolean lineEndReadAfresh = false;
      for (int c = 0; c < comments.size; c += 2) {
        if (!fresh && readAlike(comments.values[c])) {
          continue;
        }
        int eol = comments.values[c + 1];
        for (int semi = sql.indexOf(';', comments.values[c] + 2); semi >= 0 && semi < eol; semi = sql.indexOf(';', semi + 1)) {
          boolean atLineEnd = betweenTokens && sql.substring(semi + 1, eol).isBlank();
          if (atLineEnd && lineEndReadAfresh || fresh && inPrimaryLineComment(semi)) {
            continue; // read afresh from the same token, or from this ';', already
          }
          lineEndReadAfresh |= atLineEnd;
          if (++read > MOST_DRIVER_SPLITS || hiddenFrom(semi + 1)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Whether the server's reading of the text afresh from {@code from} (inside the primary
     * reading's comment or literal) starts, where the primary reading has no token, an
     * auth-carrying command, a change of identity, a transaction end, a schema rename or other DDL that
     * may change what a later CALL runs ({@link ProcedureChanges#startsRoutineChange}). From the
     * first statement that starts where the primary reading starts one, both read alike. A
     * statement of no known command there (the rest of a comment's sentence) fails on the server,
     * and the pieces after it with it; so does one the server surely refuses
     * ({@link CertainSyntaxError}: {@code do not edit}, {@code end of step 2}). Before that point,
     * the fresh reading's own line comments are searched as the primary's are: the driver's
     * misreading that split the text at {@code from} can split its piece again at one of their
     * {@code ;} (probe sq3 F2).
     */
    private boolean hiddenFrom(int from) {
      Tokens fresh = Lexer.tokenize(sql.substring(from), reading);
      int first = 0;
      int effects = 0;
      int alike = fresh.count();
      for (int i = 0; i <= fresh.count(); i++) {
        if (i < fresh.count() && fresh.kind(i) != TokenKind.SEMICOLON) {
          effects |= SqlScript.identityWord(fresh, i);
          continue;
        }
        if (i > first) {
          if (isStatementStart(primary, from + fresh.start(first))) {
            alike = first;
            break;
          }
          CommandKind kind = CommandParser.classify(fresh, first, i);
          effects |= CommandParser.sessionEffects(kind, fresh, first);
          // the rest of a comment's sentence (-- generated; do not edit) is refused by the server, unrun
          if ((kind != CommandKind.OTHER
              || (effects & (SessionEffects.IDENTITY | SessionEffects.UNDOES | SessionEffects.CATALOG
                  | SessionEffects.MEMBERSHIP)) != 0
              || ProcedureChanges.startsRoutineChange(fresh, first))
              && !CertainSyntaxError.of(fresh, first, i)) {
            return true;
          }
        }
        effects = 0;
        first = i + 1;
      }
      return splitAgain(from, fresh, alike);
    }

    /** Whether a {@code ;} in a line comment of {@code fresh} (read from {@code from}) before its token {@code alike} hides a statement. */
    private boolean splitAgain(int from, Tokens fresh, int alike) {
      for (int k = 0; k <= alike; k++) {
        int gapFrom = from + (k == 0 ? 0 : fresh.end(k - 1));
        int gapTo = k < fresh.count() ? from + fresh.start(k) : sql.length();
        if (hiddenInGap(gapFrom, gapTo, true, true)) {
          return true;
        }
      }
      int end = alike < fresh.count() ? fresh.start(alike) : sql.length() - from;
      int[] gaps = fresh.literalGaps(0, end);
      for (int g = 0; g + 1 < gaps.length; g += 2) {
        if (hiddenInGap(from + gaps[g], from + gaps[g + 1], false, true)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A growable list of ints, for the few comment ranges of a text. */
  private static final class IntList {
    int[] values = new int[8];
    int size;

    void add(int a, int b) {
      if (size + 2 > values.length) {
        values = java.util.Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = a;
      values[size++] = b;
    }

    /** The pairs, ordered by their first value. */
    int[] sortedPairs() {
      long[] keyed = new long[size / 2];
      for (int p = 0; p < keyed.length; p++) {
        keyed[p] = (long) values[2 * p] << 32 | values[2 * p + 1] & 0xffffffffL;
      }
      java.util.Arrays.sort(keyed);
      int[] pairs = new int[size];
      for (int p = 0; p < keyed.length; p++) {
        pairs[2 * p] = (int) (keyed[p] >>> 32);
        pairs[2 * p + 1] = (int) keyed[p];
      }
      return pairs;
    }
  }

  private static void follow(String sql, Tokens primary, Lexer.Reading reading, int from, TreeSet<Integer> hidden) {
    AlternativeReading alternative = new AlternativeReading(reading, from);
    alternative.read(sql, 0, primary, Long.MAX_VALUE, true);
    alternative.takeHidden(Long.MAX_VALUE, 0, hidden);
  }

  /**
   * Where the statement holding the first form that makes the readings differ starts (just after
   * the primary reading's last semicolon before it). Before it the only difference of
   * {@link Lexer.Reading#ESCAPES_EVERYWHERE} is {@code #} inside names ({@code #iam_role} is an
   * operator and an auth word to it), which alone never starts the check: counting it only when a
   * form far after it does made a statement's verdict depend on text a streaming reader has not
   * read yet. Both readings stand between tokens there, with the same semicolons before it.
   */
  static int differencesFrom(Tokens primary) {
    return statementBefore(primary, primary.firstDifference);
  }

  /**
   * Where the PostgreSQL reading starts: at the statement of the first literal with a backslash or
   * of the first form the readings disagree on ({@code #$}: a backslash inside the primary
   * reading's dollar quote may be in a literal of this one), whichever comes first. Before it, the
   * two readings differ only in {@code #} names, which alone never start a check.
   */
  static int postgresFrom(Tokens primary) {
    int backslash = primary.firstBackslash;
    int difference = primary.firstDifference;
    return statementBefore(primary, backslash < 0 ? difference : difference < 0 ? backslash : Math.min(backslash, difference));
  }

  /** Where the statement holding offset {@code at} starts: just after the primary reading's last semicolon before it. */
  private static int statementBefore(Tokens primary, int at) {
    int from = 0;
    for (int i = 0; i < primary.count() && primary.start(i) < at; i++) {
      if (primary.kind(i) == TokenKind.SEMICOLON) {
        from = primary.end(i);
      }
    }
    return from;
  }

  /**
   * Adds a problem to {@code command} for each hidden offset inside {@code [start, end)}. Callers
   * start the range where the statement before ended, not at the statement's first token: another
   * reading's clause in a comment or an empty statement between two statements is the next one's to
   * answer for (reading probe F4: in a comment after a statement's last token it was no one's); what
   * follows the last statement is a statement of its own ({@link #afterLast}).
   */
  static RedshiftCommand attach(RedshiftCommand command, int[] hidden, int start, int end) {
    return hidden.length == 0 ? command : withMore(command, problemsIn(hidden, start, end));
  }

  /**
   * The problems of the hidden offsets at or after {@code end} (where the last statement ends, or 0
   * without one): another reading's clause in a comment after the last statement. They make a
   * statement of their own rather than join the last one: a streaming reader may hand the last
   * statement out before it reads the comment after it, and a script read in pieces must get the same
   * statements and verdicts as one read whole.
   */
  static List<Problem> afterLast(int[] hidden, int end) {
    return problemsIn(hidden, end, Integer.MAX_VALUE);
  }

  /** A problem for each hidden offset inside {@code [start, end)}. */
  private static List<Problem> problemsIn(int[] hidden, int start, int end) {
    List<Problem> problems = new ArrayList<>(0);
    for (int offset : hidden) {
      if (offset >= start && offset < end) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, offset, "a literal with a backslash (or a bit "
            + "string, or '#' before '$') hides an auth clause (or a CALL, DO block or routine DDL, whose code the guard "
            + "cannot judge there) from lexers that read it differently "
            + "(PostgreSQL, H2, client-side splitters, a server or psql after a change of standard_conforming_strings "
            + "or client_encoding); write the literal without backslash escapes ('it''s', not 'it\\'s'), and after a "
            + "change of client_encoding without characters beyond ASCII"));
      }
    }
    return problems;
  }

  /** {@code command} with {@code more} problems after its own, or itself when there are none. */
  static RedshiftCommand withMore(RedshiftCommand command, List<Problem> more) {
    if (more.isEmpty()) {
      return command;
    }
    // joined, not copied: the command keeps the places ListedProblems lists, not every one of them
    List<Problem> problems = CompactProblems.joined(command.problems(), more);
    return new RedshiftCommand(command.kind(), command.auth(), command.catalogRoles(),
        command.resources(), command.targetTable(), command.targetColumns(), command.objectName(), command.query(),
        command.options(), command.grant(), command.sessionUser(), command.body(),
        command.bodyInserts(), command.dynamicAuth(), problems);
  }

  /** True when a word of {@code tokens} starts at {@code offset}. */
  static boolean isWordStart(Tokens tokens, int offset) {
    int i = tokenAt(tokens, offset);
    return i >= 0 && tokens.kind(i) == TokenKind.WORD;
  }

  /** True when a token of {@code tokens} starts at {@code offset}. */
  static boolean isTokenStart(Tokens tokens, int offset) {
    return tokenAt(tokens, offset) >= 0;
  }

  /**
   * True when a statement of {@code tokens} starts at {@code offset}: from there another reading
   * that also starts a statement reads alike. A token in the middle of a statement is not enough
   * ({@code select 1 /}{@code *}{@code / $a\u0001$ *}{@code / -- $a\u0001$ ;\ncopy ...}: this
   * reading continues the SELECT with the COPY, a driver that split at the {@code ;} sends it alone;
   * probe sq2 F1).
   */
  static boolean isStatementStart(Tokens tokens, int offset) {
    int k = tokenAt(tokens, offset);
    return k == 0 || k > 0 && tokens.kind(k - 1) == TokenKind.SEMICOLON;
  }

  /** The token starting at {@code offset}, or -1. */
  private static int tokenAt(Tokens tokens, int offset) {
    int low = 0;
    int high = tokens.count() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int start = tokens.start(mid);
      if (start == offset) {
        return mid;
      }
      if (start < offset) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return -1;
  }
}
