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
    return hidden.stream().mapToInt(Integer::intValue).toArray();
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

  /** See {@link SqlScript#hiddenByDriverSplits}. */
  static boolean hiddenAfterSemicolonsInLineComments(String sql) {
    Tokens primary = Lexer.tokenize(sql);
    int[] read = {0};
    for (int k = 0; k <= primary.count(); k++) {
      int from = k == 0 ? 0 : primary.end(k - 1);
      int to = k < primary.count() ? primary.start(k) : sql.length();
      if (hiddenInGap(sql, primary, from, to, true, false, read)) {
        return true;
      }
    }
    // a literal continued after a line break ('a' -- c ;\n'b') is one token holding a comment (probe sq3 F3)
    int[] gaps = primary.literalGaps(0, sql.length());
    for (int g = 0; g + 1 < gaps.length; g += 2) {
      if (hiddenInGap(sql, primary, gaps[g], gaps[g + 1], false, false, read)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code --} comments of the gap {@code [from, to)}: whether one holds a {@code ;} from which
   * a statement the guard must see is read afresh. A {@code ;} that only blanks follow on its line,
   * in a gap that ends at a token ({@code betweenTokens}), is read afresh from that token: the gap's
   * many commented-out statements ({@code -- create table s (a int);} lines) are one reading, and
   * count once towards {@link #MOST_DRIVER_SPLITS} (probe sq3 F5). With {@code inPrimaryCode}, a
   * {@code ;} that the primary reading has in a comment is passed over: it is read afresh from there
   * already.
   */
  private static boolean hiddenInGap(String sql, Tokens primary, int from, int to, boolean betweenTokens,
      boolean inPrimaryCode, int[] read) {
    boolean lineEndReadAfresh = false;
    for (int i = from; i < to - 1; ) {
      if (sql.startsWith("--", i)) {
        int eol = i + 2;
        while (eol < to && sql.charAt(eol) != '\n' && sql.charAt(eol) != '\r') {
          eol++;
        }
        for (int semi = sql.indexOf(';', i + 2); semi >= 0 && semi < eol; semi = sql.indexOf(';', semi + 1)) {
          boolean atLineEnd = betweenTokens && sql.substring(semi + 1, eol).isBlank();
          if (atLineEnd && lineEndReadAfresh) {
            continue; // read afresh from the same token already
          }
          if (inPrimaryCode && !insideToken(primary, semi)) {
            continue;
          }
          lineEndReadAfresh |= atLineEnd;
          if (++read[0] > MOST_DRIVER_SPLITS || hiddenFrom(sql, primary, semi + 1, read)) {
            return true;
          }
        }
        i = eol;
      } else if (sql.startsWith("/*", i)) {
        int end = Lexer.blockCommentEnd(sql, i, to);
        i = end < 0 ? to : end;
      } else {
        i++;
      }
    }
    return false;
  }

  /** See {@link SqlScript#hiddenBySplitsOutsideCode}. */
  static boolean hiddenAfterSemicolonsOutsideCode(String sql) {
    if (sql.indexOf(';') < 0) {
      return false;
    }
    Tokens primary = Lexer.tokenize(sql);
    int[] read = {0};
    int k = 0;
    for (int semi = sql.indexOf(';'); semi >= 0; semi = sql.indexOf(';', semi + 1)) {
      while (k < primary.count() && primary.end(k) <= semi) {
        k++;
      }
      boolean inCode = k < primary.count() && primary.start(k) <= semi && primary.kind(k) == TokenKind.SEMICOLON;
      if (!inCode && (++read[0] > MOST_DRIVER_SPLITS || hiddenFrom(sql, primary, semi + 1, read))) {
        return true;
      }
    }
    return false;
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
   * Whether Redshift's reading of {@code sql} afresh from {@code from} (inside the primary reading's
   * comment) starts, where the primary reading has no token, an auth-carrying command, a change of
   * identity, a transaction end or a schema rename. From the first statement that starts where the
   * primary reading has a token, both read alike. A statement of no known command there (the rest
   * of a comment's sentence) fails on the server, and the pieces after it with it; so does one the
   * server surely refuses ({@link CertainSyntaxError}: {@code do not edit}, {@code end of step 2}). Before that
   * point, the fresh reading's own line comments are searched as the primary's are: the driver's
   * misreading that split the text at {@code from} can split its piece again at one of their
   * {@code ;} (probe sq3 F2); {@code read} counts towards {@link #MOST_DRIVER_SPLITS} across them.
   */
  private static boolean hiddenFrom(String sql, Tokens primary, int from, int[] read) {
    String piece = sql.substring(from);
    Tokens fresh = Lexer.tokenize(piece);
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
            || (effects & (SessionEffects.IDENTITY | SessionEffects.UNDOES | SessionEffects.CATALOG)) != 0)
            && !CertainSyntaxError.of(fresh, first, i)) {
          return true;
        }
      }
      effects = 0;
      first = i + 1;
    }
    return splitAgain(sql, primary, from, fresh, alike, read);
  }

  /** Whether a {@code ;} in a line comment of {@code fresh} (read from {@code from}) before its token {@code alike} hides a statement. */
  private static boolean splitAgain(String sql, Tokens primary, int from, Tokens fresh, int alike, int[] read) {
    for (int k = 0; k <= alike; k++) {
      int gapFrom = from + (k == 0 ? 0 : fresh.end(k - 1));
      int gapTo = from + (k < fresh.count() ? fresh.start(k) : sql.length() - from);
      if (hiddenInGap(sql, primary, gapFrom, gapTo, true, true, read)) {
        return true;
      }
    }
    int end = alike < fresh.count() ? fresh.start(alike) : sql.length() - from;
    int[] gaps = fresh.literalGaps(0, end);
    for (int g = 0; g + 1 < gaps.length; g += 2) {
      if (hiddenInGap(sql, primary, from + gaps[g], from + gaps[g + 1], false, true, read)) {
        return true;
      }
    }
    return false;
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

  /** Adds a problem to {@code command} for each hidden offset inside {@code [start, end)}. */
  static RedshiftCommand attach(RedshiftCommand command, int[] hidden, int start, int end) {
    if (hidden.length == 0) {
      return command;
    }
    List<Problem> more = new ArrayList<>(0);
    for (int offset : hidden) {
      if (offset >= start && offset < end) {
        more.add(new Problem(Problem.Kind.UNPARSEABLE, offset, "a literal with a backslash (or a bit "
            + "string, or '#' before '$') hides an auth clause from lexers that read it differently "
            + "(PostgreSQL, H2, client-side splitters); write the literal without backslash escapes"));
      }
    }
    return withMore(command, more);
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

  /** True when {@code offset} lies inside a token of {@code tokens}, outside a continued literal's gap. */
  private static boolean insideToken(Tokens tokens, int offset) {
    int low = 0;
    int high = tokens.count() - 1;
    int k = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (tokens.start(mid) <= offset) {
        k = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (k < 0 || tokens.end(k) <= offset) {
      return false;
    }
    int[] gaps = tokens.literalGaps(tokens.start(k), tokens.end(k));
    for (int g = 0; g + 1 < gaps.length; g += 2) {
      if (gaps[g] <= offset && offset < gaps[g + 1]) {
        return false;
      }
    }
    return true;
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
