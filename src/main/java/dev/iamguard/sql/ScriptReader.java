package dev.iamguard.sql;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
 * window sizes, the statements equal those of {@link SqlScript#parse} on the whole text. The lexer
 * is the server's (characters above 127, continued literals, prefixed and bit-string literals), so
 * a statement ends where Redshift ends it. A byte order mark (U+FEFF) at the script's start is no
 * SQL: psql drops it (checked against psql 15), as editors hide it; it is a piece of its own,
 * without statements, so the pieces still concatenate to the script.
 *
 * <p>From the first literal with a backslash (or bit string with one, or {@code #} before
 * {@code $}) on, the other readings of the ambiguity check ({@code AmbiguityCheck}) are followed
 * across the cuts by an {@link AlternativeReading} each, which carries its lexer's state (between
 * tokens, or inside a literal, quoted name, dollar quote or comment) rather than the text: after
 * such a literal those readings may never again stand between tokens where Redshift ends a
 * statement, and re-lexing them from a common point made the reader hold the rest of the script.
 * Each piece gets the offsets the check finds in the whole text; a cut waits only for verdicts not
 * yet known (a statement that only another reading starts, inside a literal, waits for its end).
 */
public final class ScriptReader implements Closeable {
  /**
   * A reader that hands out its next chars as a String of their own: a source of bytes copies a run
   * of ASCII into a String at once, where reading chars into an array and making a String of them
   * widens each byte to a char and narrows it back (a fifth of the reading thread's time on a script).
   */
  public interface StringSource {
    /**
     * The next chars, at least one and at most {@code max} ({@code max >= 1}), as a String; null at
     * the end of the text. What {@link Reader#read(char[], int, int)} would have handed out, in order.
     */
    String readString(int max) throws IOException;
  }

  /** Characters read at a time: a piece holds about this much text. */
  public static final int DEFAULT_CHUNK = 1 << 18;

  private final Reader in;
  private final int chunk;
  /** The shortest run of empty statements or blank lines handed out as a piece of its own. */
  private static final int LONG_RUN = 4096;
  /** Where a plain reader's chars are read (null when {@link #in} hands out Strings itself). */
  private final char[] buffer;
  /** What hands out the text: {@link #in} itself, or {@link #readChars} over it. */
  private final StringSource source;
  private static final String BYTE_ORDER_MARK = "\uFEFF";
  /** The text read but not yet handed out, from the end of the last piece. */
  private String carry = "";
  private boolean eof;
  private long offset;
  private int line = 1;
  private int column = 1;
  private int index;
  private boolean done;
  /** Whether the script's first character was looked at for a byte order mark. */
  private boolean started;
  private final boolean psql;
  /** The readings without backslash escapes and with escapes everywhere, from their first use; else null. */
  private AlternativeReading noEscapes;
  private AlternativeReading postgres;
  private AlternativeReading escapesEverywhere;
  /** Where {@link #postgres} started. */
  private long postgresFrom = -1;
  /** The PostgreSQL reading followed afresh from statements that may change how the server lexes ({@link LexingChange}). */
  private final List<AlternativeReading> afterChanges = new ArrayList<>(0);
  /** Statements that start before this offset were looked at for such changes; literals before {@link #literalsSeen}. */
  private long changesSeen;
  private long literalsSeen;
  /** Where the first change of the client encoding starts, and where every literal with a backslash counts; -1: none. */
  private long encodingFrom = -1;
  private long everyBackslashFrom = -1;
  /** The readings {@link #afterChanges} counts against {@link LexingChange#MAX_READINGS} (two for each change). */
  private int changeReadings;
  /** Characters before this offset were looked at by {@link #wideChars}. */
  private long wideSeen;
  /** Where the statement of the first form the readings may disagree on ends ({@link AmbiguityCheck#desyncs}); -1 before it. */
  private long desyncEnd = -1;
  /** Offsets of literals such a change may make the server read otherwise, not yet handed out. */
  private final TreeSet<Long> changedLiterals = new TreeSet<>();

  /** Reads {@code in} in chunks of {@link #DEFAULT_CHUNK} characters. */
  public ScriptReader(Reader in) {
    this(in, DEFAULT_CHUNK);
  }

  /** Reads {@code in} in chunks of {@code chunk} characters (at least 1). */
  public ScriptReader(Reader in, int chunk) {
    this(in, chunk, false);
  }

  /**
   * Reads {@code in} in chunks of {@code chunk} characters; with {@code psql}, statements are read
   * as psql reads a script before sending it ({@link PsqlForms}): what the command line checks.
   * Without it they are read as the server reads them: what a client that sends them as they are
   * (the command line's {@code run}) needs.
   */
  public ScriptReader(Reader in, int chunk, boolean psql) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1: " + chunk);
    }
    this.in = in;
    this.chunk = chunk;
    this.psql = psql;
    this.buffer = in instanceof StringSource ? null : new char[Math.min(chunk, DEFAULT_CHUNK)];
    this.source = in instanceof StringSource ? (StringSource) in : this::readChars;
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
    /** The offsets in the piece that other readings hide auth in, when they are followed; else null. */
    private final int[] hidden;

    private Piece(String text, Lexer.Statements found, SqlScript.Origin origin, int[] hidden) {
      this.text = text;
      this.found = found;
      this.origin = origin;
      this.hidden = hidden;
    }

    /** The piece's statements, parsed (the auth-carrying ones through the grammar). */
    public SqlScript parse() {
      return hidden == null ? SqlScript.fromScan(text, found, origin) : SqlScript.fromScan(text, found, origin, hidden);
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
    if (!started) {
      started = true;
      String first = fill(1);
      carry = first;
      if (first.startsWith(BYTE_ORDER_MARK)) {
        carry = "";
        Piece mark = piece(BYTE_ORDER_MARK, Lexer.statements(""), 0);
        column = 1; // no editor, psql or code scanning tool counts it as a column (probe 22b F6)
        return mark;
      }
    }
    int want = chunk;
    while (true) {
      String window = fill(want);
      Lexer.Statements found = Lexer.statements(window);
      follow(window, found);
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
      // a long run of empty statements or blank lines is handed out as it is read (probe 24a F1: 30 MB
      // of ';' grew the window to the whole script); a short one waits, as before, for what follows
      int run = Math.max(chunk, LONG_RUN);
      int quiet = separatorsOnly(window, found);
      if (quiet >= run) {
        carry = window.substring(quiet);
        return piece(window.substring(0, quiet), found, 0);
      }
      // (not where psql's meta-commands are read: a piece never ends inside a line that goes on)
      if (found.count() == 1 && window.length() >= 2 * run && !(psql && found.psqlForms)
          && semicolonAfter(window, found.end(0)) && settled(found.end(0))) {
        // one statement, then such a run: the semicolon shows the window's end did not cut it
        int cut = found.end(0);
        carry = window.substring(cut);
        return piece(window.substring(0, cut), found, 1);
      }
      carry = window;
      want = Math.max(chunk, window.length()); // one statement longer than the window: read as much again
    }
  }

  /** The carried text and up to {@code want} more characters; sets {@link #eof} at the end of the input. */
  private String fill(int want) throws IOException {
    // the parts are joined once at the end: String.join copies each into an array of the exact size,
    // where a builder presized to the window zeroed it first and toString copied it all again
    List<String> parts = null;
    String text = carry;
    int read = 0;
    while (read < want && !eof) {
      String chunk = source.readString(want - read);
      if (chunk == null) {
        eof = true;
        break;
      }
      read += chunk.length();
      if (parts == null && text.isEmpty()) {
        text = chunk;
      } else if (parts == null && read >= want) {
        text = text.concat(chunk);
      } else {
        if (parts == null) {
          parts = new ArrayList<>(4);
          parts.add(text);
        }
        parts.add(chunk);
      }
    }
    return parts == null ? text : String.join("", parts);
  }

  /** The {@link StringSource} of a plain reader: its chars read into {@link #buffer}, up to {@code max}. */
  private String readChars(int max) throws IOException {
    int room = Math.min(buffer.length, max);
    int filled = 0;
    while (filled < room) {
      int n = in.read(buffer, filled, room - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    // new String compresses Latin-1 text in bulk; String.concat copies bytes: far cheaper than
    // appending chars to a builder one by one
    return filled == 0 ? null : new String(buffer, 0, filled);
  }

  /**
   * Starts following another reading at the window that first holds a form it reads differently
   * (before it, that reading lexes the text as the primary one does), and reads every reading
   * followed on through the window.
   */
  private void follow(String window, Lexer.Statements found) {
    Tokens primary = null;
    if (noEscapes != null || escapesEverywhere != null || found.readingsMayDiffer || found.backslashInLiteral) {
      primary = Lexer.tokenize(window);
      if (noEscapes == null && found.backslashInLiteral) {
        noEscapes = new AlternativeReading(Lexer.Reading.NO_ESCAPES, offset);
      }
      if (postgres == null && (found.backslashInLiteral || found.readingsMayDiffer)) {
        // from the statement of the first literal with a backslash or form the readings disagree on,
        // as the check of the whole text does
        postgresFrom = offset + AmbiguityCheck.postgresFrom(primary);
        postgres = new AlternativeReading(Lexer.Reading.POSTGRES_STANDARD, postgresFrom);
      }
      if (escapesEverywhere == null && found.readingsMayDiffer) {
        // from the statement of the first form it reads differently, as the check of the whole text does
        escapesEverywhere = new AlternativeReading(Lexer.Reading.ESCAPES_EVERYWHERE,
            offset + AmbiguityCheck.differencesFrom(primary));
      }
    }
    // a last statement a semicolon follows may be handed out whole: its words and tokens are final too
    boolean lastWhole = !eof && found.count() > 0 && semicolonAfter(window, found.end(found.count() - 1));
    lexingChanges(window, found, primary, eof || lastWhole ? found.count() : found.count() - 1);
    // the primary tokens are final up to the window's last statement, which the window's end may cut
    long limit = eof ? Long.MAX_VALUE
        : offset + (found.count() > 0 ? found.start(found.count() - 1) : separatorRun(window, found));
    long examined = lastWhole ? offset + found.end(found.count() - 1) : limit;
    if (psql) {
      wideChars(window, examined);
    }
    if (primary == null) {
      return;
    }
    changedLiterals(primary, examined);
    for (AlternativeReading reading : followed()) {
      reading.read(window, offset, primary, limit, eof);
    }
  }

  /**
   * Looks at the window's whole statements not looked at yet for changes of how the server lexes
   * what follows ({@link LexingChange}), as {@code AmbiguityCheck} does in a whole text: the first
   * change of the client encoding, and, from where the PostgreSQL reading starts, the PostgreSQL
   * reading followed afresh from each change of {@code standard_conforming_strings} (from its start
   * and from after its semicolon), up to {@link LexingChange#MAX_READINGS}. Only the first
   * {@code whole} statements are looked at: the window's end may cut the last one, words too.
   */
  private void lexingChanges(String window, Lexer.Statements found, Tokens primary, int whole) {
    int backslash = window.indexOf('\\'); // one search runs on through the window, not one per statement
    if (encodingFrom < 0 && backslash >= 0) { // a window without a backslash holds no \encoding: one char's search is the faster
      int meta = LexingChange.psqlEncodingLine(window, backslash);
      if (meta >= 0) {
        encodingFrom = offset + meta;
      }
    }
    for (int k = 0; k < whole; k++) {
      long statementAt = offset + found.start(k);
      if (backslash >= 0 && backslash < found.start(k)) {
        backslash = window.indexOf('\\', found.start(k));
      }
      if (statementAt < changesSeen) {
        continue;
      }
      changesSeen = statementAt + 1;
      if (!mayChangeLexing(window, found, k, backslash >= 0 && backslash < found.end(k))) {
        continue;
      }
      Tokens statement = Lexer.tokenize(window.substring(found.start(k), found.end(k)));
      int semicolon = primary == null ? -1 : semicolonEnd(primary, found.end(k));
      LexingChange.find(statement, 0, statement.count(), semicolon < 0 ? -1 : semicolon - found.start(k),
          (changes, start, after) -> change(changes, statementAt + start, after < 0 ? -1 : statementAt + after));
    }
  }

  /** A statement at {@code start} (in the script) that may make {@code changes}, ending at {@code after} (-1: nothing follows). */
  private void change(int changes, long start, long after) {
    if ((changes & LexingChange.ENCODING) != 0 && (encodingFrom < 0 || start < encodingFrom)) {
      encodingFrom = start;
    }
    if ((changes & LexingChange.STRINGS) != 0 && postgres != null && start >= postgresFrom && everyBackslashFrom < 0) {
      if (changeReadings + 2 > LexingChange.MAX_READINGS) {
        everyBackslashFrom = start;
      } else {
        afterChanges.add(new AlternativeReading(Lexer.Reading.POSTGRES_STANDARD, start));
        if (after >= 0) {
          afterChanges.add(new AlternativeReading(Lexer.Reading.POSTGRES_STANDARD, after));
        }
        changeReadings += 2;
      }
    }
  }

  /**
   * Whether statement {@code k} may change how the server lexes, by what the scan noted (a
   * {@code set_config}: {@link SessionEffects#IDENTITY}), its first word, or a backslash in it
   * (psql's {@code \g} may end a part of it): only these are lexed again to be sure.
   */
  private static boolean mayChangeLexing(String window, Lexer.Statements found, int k, boolean backslash) {
    int start = found.start(k);
    return backslash || SessionEffects.has(found.effects(k), SessionEffects.IDENTITY) || word(window, start, "set")
        || word(window, start, "reset") || word(window, start, "discard") || word(window, start, "do");
  }

  /**
   * Whether the lower-case {@code word} is written at {@code start}, in ASCII folding as the tokens
   * are read after this look ({@code String.regionMatches} ignoring case folds every character
   * through the Unicode tables, a tenth of the reading thread's time).
   */
  private static boolean word(String window, int start, String word) {
    int end = start + word.length();
    if (end > window.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if ((window.charAt(start + i) | 0x20) != word.charAt(i)) {
        return false;
      }
    }
    return end == window.length() || !Lexer.continuesWord(window.charAt(end));
  }


  /** The end of the first semicolon token at or after {@code from} in {@code primary}, or -1. */
  private static int semicolonEnd(Tokens primary, int from) {
    for (int i = 0; i < primary.count(); i++) {
      if (primary.start(i) >= from && primary.kind(i) == TokenKind.SEMICOLON) {
        return primary.end(i);
      }
    }
    return -1;
  }

  /**
   * After a change of the client encoding, in psql's reading: notes every run of characters beyond
   * ASCII in the window up to {@code examined}, wherever it stands. psql lexes a script in the client
   * encoding, where a lead byte takes the next byte whatever it is (in SJIS the last UTF-8 byte of
   * {@code Á} takes a {@code /}, a quote or a line end), so a comment or literal may end elsewhere
   * for psql than in every reading of the guard (red-team review, 2026-12-05).
   */
  private void wideChars(String window, long examined) {
    if (encodingFrom < 0) {
      return;
    }
    int from = (int) Math.max(0, Math.max(encodingFrom, wideSeen) - offset);
    int to = (int) Math.min(window.length(), examined - offset);
    for (int i = from; i < to; i++) {
      if (window.charAt(i) > 0x7F && (i == 0 || window.charAt(i - 1) <= 0x7F)) {
        changedLiterals.add(offset + i);
      }
    }
    wideSeen = Math.max(wideSeen, offset + Math.max(to, from));
  }

  /** Notes the final literals of the window not seen yet that a change before them may make the server read otherwise. */
  private void changedLiterals(Tokens primary, long limit) {
    for (int k = 0; k < primary.count(); k++) {
      long start = offset + primary.start(k);
      if (start < literalsSeen || start >= limit) {
        continue;
      }
      if (AmbiguityCheck.changedLiteral(primary, k, offset, encodingFrom, everyBackslashFrom)
          || desyncEnd >= 0 && start >= desyncEnd && LexingChange.settingDependent(primary, k)) {
        changedLiterals.add(start);
      } else if (desyncEnd < 0 && AmbiguityCheck.desyncs(primary, k)) {
        long end = AmbiguityCheck.statementEnd(primary, k); // in the window: a statement before its last one
        desyncEnd = end == Long.MAX_VALUE ? end : offset + end;
      }
    }
    literalsSeen = Math.max(literalsSeen, limit);
  }

  private List<AlternativeReading> followed() {
    List<AlternativeReading> readings = new ArrayList<>(3);
    if (noEscapes != null) {
      readings.add(noEscapes);
    }
    if (postgres != null) {
      readings.add(postgres);
    }
    if (escapesEverywhere != null) {
      readings.add(escapesEverywhere);
    }
    readings.addAll(afterChanges);
    return readings;
  }

  /**
   * How many of the window's statements may be handed out: all but the last, which the window's
   * end may have cut; while other readings are followed, only those that end before every offset
   * whose verdict a reading has not settled.
   */
  private int completeStatements(String window, Lexer.Statements found) {
    int complete = Math.max(found.count() - 1, 0);
    long settled = settledBefore();
    while (complete > 0 && offset + found.end(complete - 1) > settled) {
      complete--;
    }
    if (psql && found.psqlForms) {
      // psql reads a meta-command's line whole: a piece never ends inside a line that goes on
      while (complete > 0 && !lineEndsAt(window, found.end(complete - 1))) {
        complete--;
      }
    }
    return complete;
  }

  /**
   * The length of the window's start that holds only blanks and semicolons (empty statements), cut
   * after its last semicolon or line end (never between the CR and LF of one line end); 0 when there
   * is none, or when the cut is not settled for every reading followed. In psql's reading it ends at
   * a line end: a meta-command's line is read whole.
   */
  private int separatorsOnly(String window, Lexer.Statements found) {
    int cut = separatorRun(window, found);
    return settled(cut) ? cut : 0;
  }

  /** As {@link #separatorsOnly}, whether or not the readings followed have settled it. */
  private int separatorRun(String window, Lexer.Statements found) {
    int limit = found.count() > 0 ? found.start(0) : window.length();
    int cut = 0;
    boolean psqlLines = psql && found.psqlForms;
    for (int p = 0; p < limit; p++) {
      char c = window.charAt(p);
      if (c == '\n' || c == ';' && !psqlLines) {
        cut = p + 1;
      } else if (c != ';' && !Lexer.isWhitespace(c)) {
        break;
      }
    }
    return cut;
  }

  /** Whether every reading followed has settled its verdicts before {@code cut} (an offset in the window). */
  private boolean settled(int cut) {
    return offset + cut <= settledBefore();
  }

  /** The offset before which every reading followed has settled its verdicts. */
  private long settledBefore() {
    long settled = Long.MAX_VALUE;
    for (AlternativeReading reading : followed()) {
      settled = Math.min(settled, reading.settledBefore());
    }
    return settled;
  }

  /** True when a semicolon follows {@code p} in {@code window} with only blanks between. */
  private static boolean semicolonAfter(String window, int p) {
    for (int q = p; q < window.length(); q++) {
      char c = window.charAt(q);
      if (c == ';') {
        return true;
      }
      if (!Lexer.isWhitespace(c)) {
        return false;
      }
    }
    return false;
  }

  /** True when only blanks stand between {@code p} and a line end in {@code window}. */
  private static boolean lineEndsAt(String window, int p) {
    for (int q = p; q < window.length(); q++) {
      char c = window.charAt(q);
      if (c == '\n') { // psql's line end; a lone \r is inside the line
        return true;
      }
      if (!Lexer.isWhitespace(c)) {
        return false;
      }
    }
    return false;
  }

  /** The piece {@code text} holding the first {@code count} statements of the scan, numbered on from the last piece. */
  private Piece piece(String text, Lexer.Statements scan, int count) {
    Lexer.Statements found = count < scan.count() ? scan.prefix(count) : scan;
    int[] hidden = null;
    if (noEscapes != null || escapesEverywhere != null || postgres != null || !changedLiterals.isEmpty()) {
      TreeSet<Integer> offsets = new TreeSet<>();
      for (AlternativeReading reading : followed()) {
        reading.takeHidden(offset + text.length(), offset, offsets);
      }
      for (Long at = changedLiterals.pollFirst(); at != null; at = changedLiterals.pollFirst()) {
        if (at >= offset + text.length()) {
          changedLiterals.add(at);
          break;
        }
        offsets.add((int) (at - offset));
      }
      hidden = offsets.stream().mapToInt(Integer::intValue).toArray();
    }
    Piece piece = new Piece(text, found, new SqlScript.Origin(offset, line, column, index, psql), hidden);
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

  /** How many characters the reader holds, read but not handed out (for tests of its memory bound). */
  int carried() {
    return carry.length();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
