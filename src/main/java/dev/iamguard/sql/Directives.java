package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Line comments that start with a marker ({@code -- iamguard:allow ...}), found in a script or a
 * {@link ScriptReader} piece, with the statement each one stands in, follows on the same line, or
 * precedes. A marker inside a literal, a quoted identifier or a block comment is not a directive:
 * the lexer decides, from the statement (or the space between statements) the marker lies in.
 */
public final class Directives {
  private Directives() {}

  /** Where a directive stands relative to the statements. */
  public enum Place {
    /**
     * Inside a statement: between its first token and the {@code ;} that ends it (a procedure body
     * included), or, in psql's reading, the meta-command that sends it ({@code \g}).
     */
    INSIDE,
    /** After a statement's end, on the line where that statement ends: {@code copy ...; -- marker}. */
    AFTER,
    /** On a line of its own (or several) before a statement, or at the end of the script (no statement follows). */
    BEFORE
  }

  /**
   * One directive.
   *
   * @param offset where its {@code --} stands in the piece's source
   * @param line 1-based line in the whole script
   * @param column 1-based column
   * @param text what follows the marker up to the end of the line, stripped
   * @param place where it stands
   * @param statement the absolute 1-based index of the statement it stands in ({@link Place#INSIDE}),
   *     follows ({@link Place#AFTER}) or precedes ({@link Place#BEFORE}: one past the script's last
   *     statement when none follows)
   */
  public record Directive(int offset, int line, int column, String text, Place place, int statement) {}

  /** The directives of {@code piece} that start with {@code marker}, in order. */
  public static List<Directive> find(SqlScript piece, String marker) {
    return find(piece, marker, true);
  }

  /**
   * As {@link #find(SqlScript, String)}; without {@code readOn}, each marker's text is read from
   * the start of its statement or gap (the reading tests compare with).
   */
  static List<Directive> find(SqlScript piece, String marker, boolean readOn) {
    return find(piece, marker, readOn, false);
  }

  /**
   * The markers of {@code piece} that open a block comment ({@code /* marker ...}, the marker its
   * first word, the comment outside literals and other comments), in order: they are not
   * directives, and a reader that ignored them silently would leave their writer believing they
   * apply. Their {@code offset} is the {@code /*}'s, their text runs to the line's or the comment's
   * end, whichever comes first.
   */
  public static List<Directive> inBlockComments(SqlScript piece, String marker) {
    return find(piece, marker, true, true);
  }

  private static List<Directive> find(SqlScript piece, String marker, boolean readOn, boolean blocks) {
    String source = piece.source();
    int hit = source.indexOf(marker);
    if (hit < 0) {
      return List.of();
    }
    List<SqlStatement> statements = piece.statements();
    SqlScript.Origin origin = piece.origin();
    Positions positions = origin.positions(source);
    List<Directive> found = new ArrayList<>(2);
    TopLevel topLevel = new TopLevel(source, readOn);
    LastLineEnd lines = new LastLineEnd(source);
    Terminators terminators = new Terminators(source, origin.psql());
    MetaCommandLines metaLines = origin.psql() ? new MetaCommandLines(source) : null;
    for (; hit >= 0; hit = source.indexOf(marker, hit + marker.length())) {
      int dashes = blocks ? blockCommentStart(source, hit) : commentStart(source, hit);
      if (dashes < 0) {
        continue;
      }
      int owner = lastStartingAtOrBefore(statements, dashes);
      SqlStatement before = owner < 0 ? null : statements.get(owner);
      boolean inside = before != null && dashes < before.end();
      int from = before == null ? 0 : inside ? before.start() : before.end();
      int end = inside ? before.end() : owner + 1 < statements.size() ? statements.get(owner + 1).start() : source.length();
      if (!topLevel.at(from, end, dashes)) {
        continue;
      }
      if (metaLines != null && metaLines.holds(dashes)) {
        continue; // psql reads the text as the meta-command's argument (\echo -- iamguard:allow ...): no comment
      }
      if (blocks && inLineComment(source, lines.before(dashes) + 1, dashes)) {
        continue;
      }
      int[] at = positions.at(dashes);
      int lineEnd = lineEnd(source, hit);
      if (blocks) {
        int closed = source.indexOf("*/", hit + marker.length());
        lineEnd = closed >= 0 && closed < lineEnd ? closed : lineEnd;
      }
      String text = source.substring(hit + marker.length(), lineEnd).strip();
      Place place;
      int statement;
      int previous = before != null ? before.index() : origin.index();
      if (inside) {
        place = Place.INSIDE;
        statement = before.index();
      } else if (previous > 0 && lines.before(dashes) < from) {
        place = Place.AFTER;
        statement = previous;
      } else if (previous > 0 && dashes < terminators.in(from, end)) {
        // on a line of its own after the statement's last token, but before the ';' that ends it:
        // still in that statement, not before the next one (it suppressed the next one's findings)
        place = Place.INSIDE;
        statement = previous;
      } else if (before != null && owner + 1 == statements.size() && terminators.in(from, end) < 0) {
        // after the script's last statement, which no ';' ends: the end of the script ends it (psql
        // sends it there, a driver sends the whole text), so the marker stands before that end, in
        // the statement, as one before a ';' does. A piece's text stops at its last statement's end
        // unless the piece is the script's last, so pieces and the whole text agree.
        place = Place.INSIDE;
        statement = previous;
      } else {
        place = Place.BEFORE;
        statement = previous + 1;
      }
      found.add(new Directive(dashes, at[0], at[1], text, place, statement));
    }
    return found;
  }

  /**
   * The last line end before an offset, for offsets asked in increasing order: the text is read once
   * for all markers. Searched back from each marker, a script without a CR was read to its start once
   * per marker: 160,000 lines of {@code select 1; -- iamguard:allow ...} took 147 s.
   */
  private static final class LastLineEnd {
    private final String source;
    private int scanned;
    private int last = -1;

    LastLineEnd(String source) {
      this.source = source;
    }

    /** The offset of the last {@code \n} or {@code \r} before {@code offset} (no smaller than the last asked), or -1. */
    int before(int offset) {
      for (; scanned < offset; scanned++) {
        char c = source.charAt(scanned);
        if (c == '\n' || c == '\r') {
          last = scanned;
        }
      }
      return last;
    }
  }

  /**
   * Where the statement before a gap between statements ends: the gap's first {@code ;} outside
   * comments, or in psql's reading the first meta-command that sends the statement ({@code \g}; a
   * {@code ;} in another meta-command's argument ends nothing); -1 when neither (the script's last
   * statement without a {@code ;}). A gap holds only comments, white space, {@code ;} and meta-command
   * lines psql drops, so it is lexed from its start, once for all its markers.
   */
  private static final class Terminators {
    private final String source;
    private final boolean psql;
    private int gap = -1;
    private int terminator;

    Terminators(String source, boolean psql) {
      this.source = source;
      this.psql = psql;
    }

    /** The terminator of the statement that the gap {@code [from, end)} follows. */
    int in(int from, int end) {
      if (from != gap) {
        gap = from;
        terminator = -1; // nothing ends the statement (the script's last one): the marker stands before the next
        Tokens t = Lexer.tokenize(source, from, end);
        for (int k = 0; k < t.count(); k++) {
          if (t.kind(k) == TokenKind.SEMICOLON || psql && PsqlForms.isBackslash(t, k) && PsqlForms.sends(source, t.start(k))) {
            terminator = t.start(k);
            break;
          }
          if (psql && PsqlForms.isBackslash(t, k)) { // another meta-command: a ';' in its argument ends nothing
            int lineEnd = PsqlForms.lineEnd(source, t.start(k));
            while (k + 1 < t.count() && t.start(k + 1) < lineEnd) {
              k++;
            }
          }
        }
      }
      return terminator;
    }
  }

  /**
   * The psql meta-command lines of a piece read as psql reads it, from each backslash outside
   * literals and comments to its line's end ({@link PsqlForms#metaCommandLines}): a {@code --} there
   * is part of the command's argument ({@code \echo}, {@code \set x 1 -- ...}), which psql
   * neither sends nor reads as a comment. Lexed once, on the first marker asked about.
   */
  private static final class MetaCommandLines {
    private final String source;
    private int[] spans;

    MetaCommandLines(String source) {
      this.source = source;
    }

    boolean holds(int offset) {
      if (spans == null) {
        spans = source.indexOf('\\') < 0 ? new int[0] : PsqlForms.metaCommandLines(source, Lexer.tokenize(source));
      }
      return OffsetPairs.contains(spans, offset);
    }
  }

  /**
   * The offset of the {@code /*} whose comment the marker at {@code hit} opens (white space and
   * {@code *} may stand between them: {@code /*\n * marker}), or -1.
   */
  private static int blockCommentStart(String source, int hit) {
    int d = hit;
    while (d > 0 && " \t\r\n*".indexOf(source.charAt(d - 1)) >= 0) {
      d--;
    }
    return d >= 1 && d < hit && source.charAt(d - 1) == '/' && source.charAt(d) == '*' ? d - 1 : -1;
  }

  /**
   * Whether a {@code --} stands on the line before {@code at}: the {@code /*} is then taken to be in
   * a line comment (a {@code --} inside a literal before it on the same line hides the marker too,
   * which leaves it unreported, as it was before such markers were reported at all).
   */
  private static boolean inLineComment(String source, int lineStart, int at) {
    int dashes = source.indexOf("--", lineStart);
    return dashes >= 0 && dashes < at;
  }

  /** The offset of the {@code --} that begins the comment the marker at {@code hit} opens, or -1. */
  private static int commentStart(String source, int hit) {
    int d = hit;
    while (d > 0 && (source.charAt(d - 1) == ' ' || source.charAt(d - 1) == '\t')) {
      d--;
    }
    return d >= 2 && source.charAt(d - 1) == '-' && source.charAt(d - 2) == '-' ? d - 2 : -1;
  }

  /**
   * Whether markers stand outside literals and comments, for the markers of a piece in order. Each
   * marker's text is read on from where the markers before it in the same statement or gap left the
   * lexer between tokens, not from the start again (a statement of 80,000 lines, each ending in a
   * marker, was read 80,000 times: over 100 s), and a literal or quoted identifier that holds
   * markers, or that a marker follows, is read to its end once (a single-quoted literal continued
   * after a closing quote with the gaps between its parts, where a marker stands in a comment). The
   * statement or gap is lexed to its end at most once for all of them: lexed again for each, 20,000
   * lines of {@code E'-- marker\n'-- marker} took 8.5 s, and a 2 MB literal followed by 4,000 marker
   * lines 2 s.
   */
  private static final class TopLevel {
    private final String source;
    private final boolean readOn;
    /** The start of the statement or gap read. */
    private int region = -1;
    /** Where the next marker's text is read from: a point between tokens. */
    private int restart;
    /** The end of a literal or quoted identifier that starts at {@link #restart}; -1: none known. */
    private int quotedUntil = -1;
    /**
     * The gaps of that literal when it continued after a closing quote ({@link Tokens#literalGaps}
     * pairs): a marker in one stands in a comment outside the literal.
     */
    private int[] gaps = NO_GAPS;
    private static final int[] NO_GAPS = {};
    /** The tokens of the region from {@link #wholeFrom} to its end, once a literal needed them; null before. */
    private Tokens whole;
    private int wholeFrom;

    TopLevel(String source, boolean readOn) {
      this.source = source;
      this.readOn = readOn;
    }

    /** Whether the marker comment at {@code dashes}, in the statement or gap {@code [from, end)}, is at top level. */
    boolean at(int from, int end, int dashes) {
      if (from != region || !readOn) {
        region = from;
        restart = from;
        quotedUntil = -1;
        gaps = NO_GAPS;
        whole = null;
      }
      if (quotedUntil >= 0) {
        if (dashes < quotedUntil) {
          return inGap(dashes); // else inside the literal or identifier read before
        }
        restart = quotedUntil; // no literal continues after these: the lexer is between tokens there
        quotedUntil = -1;
        gaps = NO_GAPS;
      }
      Tokens t = Lexer.tokenize(source, restart, dashes);
      if (t.count() == 0) {
        restart = dashes;
        return true;
      }
      int last = t.count() - 1;
      TokenKind kind = t.kind(last);
      if (t.end(last) >= dashes && kind.isUnterminated()) {
        // a literal, quoted identifier or block comment holds the marker: it is read to its end once,
        // and the markers before that end are inside it (a block comment of many marker lines was
        // read from its start for each of them: 1.6 MB of them took 47 s)
        restart = t.start(last);
        if (kind == TokenKind.UNTERMINATED_COMMENT) { // a comment is no token: its end is found as the lexer finds it
          int closed = Lexer.blockCommentEnd(source, restart, end);
          quotedUntil = closed < 0 ? end : closed;
          gaps = NO_GAPS;
          return false;
        }
        readQuoted(end);
        return false;
      }
      int literal = continuable(t, last, dashes);
      if (literal >= 0) {
        // a quote after the marker's comment would continue the literal: it is read to its real end
        // once (read from the marker, the continuation would be read as a literal of its own, whose
        // escapes may differ), and this marker stands in one of its gaps or after it
        restart = t.start(literal);
        readQuoted(end);
      } else {
        restart = dashes;
      }
      return true;
    }

    /**
     * The single-quoted literal among the last tokens before the marker's comment that the comment
     * may continue, or -1: the last token, or the one before a lone {@code -} just before the
     * comment's dashes (with them, that {@code -} opens the comment: {@code 'a' --- marker}).
     */
    private static int continuable(Tokens t, int last, int dashes) {
      if (isLiteral(t.kind(last))) {
        return last;
      }
      boolean loneMinus = t.kind(last) == TokenKind.OPERATOR && t.end(last) == dashes && t.start(last) == dashes - 1;
      return loneMinus && last > 0 && isLiteral(t.kind(last - 1)) ? last - 1 : -1;
    }

    private static boolean isLiteral(TokenKind kind) {
      return kind == TokenKind.STRING || kind == TokenKind.BIT_STRING;
    }

    /**
     * Sets {@link #quotedUntil} and {@link #gaps} for the literal or quoted identifier at
     * {@link #restart}, from the region's tokens: lexed to the region's end once, from the first
     * such token (lexing starts between tokens, so the tokens after it are those a lexing from
     * {@link #restart} finds), and again only should that ever not hold.
     */
    private void readQuoted(int end) {
      int index = whole == null || restart < wholeFrom ? -1 : whole.firstFrom(restart);
      if (index < 0 || index >= whole.count() || whole.start(index) != restart) {
        whole = Lexer.tokenize(source, restart, end);
        wholeFrom = restart;
        index = 0;
      }
      boolean found = index < whole.count() && whole.start(index) == restart;
      quotedUntil = found && !whole.kind(index).isUnterminated() ? whole.end(index) : end;
      gaps = whole.continuedLiteral ? whole.literalGaps(restart, quotedUntil) : NO_GAPS;
    }

    /** Whether {@code dashes}, within the literal read before, stands in one of its gaps. */
    private boolean inGap(int dashes) {
      return OffsetPairs.contains(gaps, dashes);
    }
  }

  private static int lastStartingAtOrBefore(List<SqlStatement> statements, int offset) {
    int low = 0;
    int high = statements.size() - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (statements.get(mid).start() <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  private static int lineEnd(String source, int from) {
    int i = from;
    while (i < source.length() && source.charAt(i) != '\n' && source.charAt(i) != '\r') {
      i++;
    }
    return i;
  }
}
