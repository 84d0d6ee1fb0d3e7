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
    /** Inside a statement (between its first and last token, a procedure body included). */
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
    for (; hit >= 0; hit = source.indexOf(marker, hit + marker.length())) {
      int dashes = commentStart(source, hit);
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
      int[] at = positions.at(dashes);
      int lineEnd = lineEnd(source, hit);
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
   * markers is read to its end once (a single-quoted literal continued after a closing quote with
   * the gaps between its parts, where a marker stands in a comment).
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
        Tokens whole = Lexer.tokenize(source, restart, end);
        quotedUntil = whole.count() > 0 && whole.start(0) == restart && !whole.kind(0).isUnterminated()
            ? whole.end(0) : end;
        // a single-quoted literal that continues after a closing quote has gaps where a marker
        // stands outside it, in a comment
        gaps = whole.continuedLiteral ? whole.literalGaps(restart, quotedUntil) : NO_GAPS;
        return false;
      }
      if (kind == TokenKind.STRING || kind == TokenKind.BIT_STRING) {
        // a quote after the marker's comment would continue it: read from where it starts (read from
        // the marker, the continuation would be read as a literal of its own, whose escapes may differ)
        restart = t.start(last);
      } else if (kind != TokenKind.OPERATOR) {
        // after an operator the restart stays: its last '-' may open the comment with the marker's
        restart = dashes;
      }
      return true;
    }

    /** Whether {@code dashes}, within the literal read before, stands in one of its gaps. */
    private boolean inGap(int dashes) {
      int low = 0;
      int high = gaps.length / 2 - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        if (gaps[2 * mid + 1] <= dashes) {
          low = mid + 1;
        } else if (gaps[2 * mid] > dashes) {
          high = mid - 1;
        } else {
          return true;
        }
      }
      return false;
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
