package dev.iamguard.sql;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads a script from a {@link Reader} one piece at a time, so that a script of any length is
 * split, parsed and decided in memory bounded by its largest statement: each {@link #next()} is a
 * {@link SqlScript} of whole statements whose statements carry their absolute index, line and
 * column in the script, and whose {@link SqlScript#offset()} is where the piece starts. The pieces'
 * sources, concatenated, are the script byte for byte; a piece ends right after its last
 * statement's last token (the semicolon and what follows begin the next piece).
 *
 * <p>Statements are found by the project's lexer ({@link Lexer#statements}) on a window of the
 * input: every statement but the window's last one is complete (a later one can only follow a
 * semicolon), so the window is cut after the last but one and the rest is carried into the next
 * window, where it is lexed again from a point where the lexer stands between tokens. Whatever the
 * window sizes, the statements equal those of {@link SqlScript#parse} on the whole text. A window
 * holding a literal with a backslash is cut only where a lexer that does not treat backslashes as
 * escapes also stands between tokens, so the ambiguity check ({@code AmbiguityCheck}) sees the
 * same text on both sides of every cut; the same holds for the forms the other readings of the
 * ambiguity check disagree on (bit strings with a backslash, {@code #} before {@code $}). The lexer
 * is the server's (characters above 127, continued literals, prefixed and bit-string literals), so
 * a statement ends where Redshift ends it.
 */
public final class ScriptReader implements Closeable {
  /** Characters read at a time: a piece holds about this much text. */
  public static final int DEFAULT_CHUNK = 1 << 18;

  private final Reader in;
  private final int chunk;
  private final char[] buffer;
  /** The text read but not yet handed out, from the end of the last piece. */
  private String carry = "";
  private boolean eof;
  private long offset;
  private int line = 1;
  private int column = 1;
  private int index;
  private boolean done;

  /** Reads {@code in} in chunks of {@link #DEFAULT_CHUNK} characters. */
  public ScriptReader(Reader in) {
    this(in, DEFAULT_CHUNK);
  }

  /** Reads {@code in} in chunks of {@code chunk} characters (at least 1). */
  public ScriptReader(Reader in, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1: " + chunk);
    }
    this.in = in;
    this.chunk = chunk;
    this.buffer = new char[Math.min(chunk, DEFAULT_CHUNK)];
  }

  /**
   * The next piece of the script, or null after the last one. The last piece holds what follows
   * the last statement (a trailing comment, white space); it may hold no statement at all, and a
   * script without any text has no piece.
   *
   * @throws IOException when the reader fails, or its input is not valid in its charset
   */
  public SqlScript next() throws IOException {
    Piece piece = nextPiece();
    return piece == null ? null : piece.parse();
  }

  /**
   * A piece split but not yet parsed: {@link Piece#parse()} makes it the {@link SqlScript}
   * {@link #next()} returns, on any thread. Splitting must be sequential, parsing need not: a
   * reader thread can split while other threads parse.
   */
  public static final class Piece {
    private final String text;
    private final Lexer.Statements found;
    private final SqlScript.Origin origin;

    private Piece(String text, Lexer.Statements found, SqlScript.Origin origin) {
      this.text = text;
      this.found = found;
      this.origin = origin;
    }

    /** The piece's statements, parsed (the auth-carrying ones through the grammar). */
    public SqlScript parse() {
      return SqlScript.fromScan(text, found, origin);
    }

    /** The piece's length in characters. */
    public int length() {
      return text.length();
    }
  }

  /** The next piece, split but not parsed, or null after the last one. */
  public Piece nextPiece() throws IOException {
    if (done) {
      return null;
    }
    int want = chunk;
    while (true) {
      String window = fill(want);
      Lexer.Statements found = Lexer.statements(window);
      if (eof) {
        done = true;
        carry = "";
        return window.isEmpty() ? null : piece(window, found, found.count());
      }
      int keep = completeStatements(window, found);
      if (keep > 0) {
        int cut = found.end(keep - 1);
        carry = window.substring(cut);
        return piece(window.substring(0, cut), found, keep);
      }
      carry = window;
      want = Math.max(chunk, window.length()); // one statement longer than the window: read as much again
    }
  }

  /** The carried text and up to {@code want} more characters; sets {@link #eof} at the end of the input. */
  private String fill(int want) throws IOException {
    StringBuilder more = null;
    String text = carry;
    int read = 0;
    while (read < want && !eof) {
      int filled = 0;
      int room = Math.min(buffer.length, want - read);
      while (filled < room) {
        int n = in.read(buffer, filled, room - filled);
        if (n < 0) {
          eof = true;
          break;
        }
        filled += n;
      }
      // new String compresses Latin-1 text in bulk; String.concat copies bytes: far cheaper than
      // appending chars to a builder one by one
      String chunk = new String(buffer, 0, filled);
      read += filled;
      if (more == null && read >= want || eof && more == null) {
        text = text.isEmpty() ? chunk : text.concat(chunk);
      } else {
        if (more == null) {
          more = new StringBuilder(text.length() + want).append(text);
        }
        more.append(chunk);
      }
    }
    return more == null ? text : more.toString();
  }

  /**
   * How many of the window's statements may be handed out: all but the last, which the window's
   * end may have cut; with a form that other readings lex differently (a backslash in a literal,
   * a bit string's backslash, {@code #} before {@code $}), only up to a statement after which every
   * reading the ambiguity check uses also stands between tokens.
   */
  private static int completeStatements(String window, Lexer.Statements found) {
    int complete = found.count() - 1;
    if (complete <= 0 || !found.backslashInLiteral && !found.readingsMayDiffer) {
      return Math.max(complete, 0);
    }
    Tokens noEscapes = found.backslashInLiteral ? Lexer.tokenize(window, Lexer.Reading.NO_ESCAPES) : null;
    Tokens escapesEverywhere = found.readingsMayDiffer ? Lexer.tokenize(window, Lexer.Reading.ESCAPES_EVERYWHERE) : null;
    for (int k = complete; k > 0; k--) {
      int cut = found.end(k - 1);
      if ((noEscapes == null || endsAToken(noEscapes, cut))
          && (escapesEverywhere == null || endsAToken(escapesEverywhere, cut))) {
        return k;
      }
    }
    return 0;
  }

  /** True when a token of {@code tokens} ends exactly at {@code offset}. */
  private static boolean endsAToken(Tokens tokens, int offset) {
    int low = 0;
    int high = tokens.count() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int end = tokens.end(mid);
      if (end == offset) {
        return true;
      }
      if (end < offset) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return false;
  }

  /** The piece {@code text} holding the first {@code count} statements of the scan, numbered on from the last piece. */
  private Piece piece(String text, Lexer.Statements scan, int count) {
    Lexer.Statements found = count < scan.count() ? scan.prefix(count) : scan;
    Piece piece = new Piece(text, found, new SqlScript.Origin(offset, line, column, index));
    advance(text);
    index += count;
    return piece;
  }

  /**
   * Moves the position past {@code text}, counting line ends as {@link Positions} does (a piece ends
   * after a token, never between the CR and LF of one line end).
   */
  private void advance(String text) {
    offset += text.length();
    int[] end = new Positions(text, new int[] {line, column, 0}).at(text.length());
    line = end[0];
    column = end[1];
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
