package dev.iamguard.sql;

import java.util.Arrays;

/**
 * One statement of a script: where it is and what it is.
 *
 * <p>Offsets are into {@link #source()}, the text it was read from: the whole script for top-level
 * statements and for statements in a dollar-quoted procedure body; the unescaped body for a
 * single-quoted procedure body, whose statements are therefore not {@link #rewritable()}.
 */
public final class SqlStatement {
  private final String source;
  private final int index;
  private final int line;
  private final int column;
  private final int start;
  private final int end;
  private final boolean rewritable;
  private final RedshiftCommand command;
  /**
   * For a statement read from a decoded text (the constant text of a procedure's {@code EXECUTE}):
   * where each offset of {@link #source} was written in {@link #writtenIn}, so that findings are
   * placed on the script's lines and columns, {@code ''} and all; null for every other statement.
   */
  private final int[] writtenAt;
  private final String writtenIn;
  private final int[] writtenOrigin;

  SqlStatement(String source, int index, int line, int column, int start, int end,
      boolean rewritable, RedshiftCommand command) {
    this(source, index, line, column, start, end, rewritable, command, null, null, null);
  }

  /**
   * A statement of decoded text {@code source} whose offset {@code i} was written at offset
   * {@code writtenAt[i]} of {@code writtenIn}, whose offset {@code writtenOrigin[2]} stands at line
   * {@code writtenOrigin[0]}, column {@code writtenOrigin[1]} of the script.
   */
  SqlStatement(String source, int index, int line, int column, int start, int end,
      boolean rewritable, RedshiftCommand command, int[] writtenAt, String writtenIn, int[] writtenOrigin) {
    this.writtenAt = writtenAt;
    this.writtenIn = writtenIn;
    this.writtenOrigin = writtenOrigin;
    this.source = source;
    this.index = index;
    this.line = line;
    this.column = column;
    this.start = start;
    this.end = end;
    this.rewritable = rewritable;
    this.command = command;
  }

  /** 1-based position of the statement in its script (in its procedure body for nested ones). */
  public int index() {
    return index;
  }

  /** 1-based line of the statement's first token. */
  public int line() {
    return line;
  }

  /** 1-based column of the statement's first token. */
  public int column() {
    return column;
  }

  /** Offset of the first token. */
  public int start() {
    return start;
  }

  /** Offset after the last token (the terminating semicolon is not part of the statement). */
  public int end() {
    return end;
  }

  /** The text the offsets point into. */
  public String source() {
    return source;
  }

  /**
   * 1-based {line, column} of {@code offset}, an offset into {@link #source()} inside this
   * statement (offsets outside it are held to its bounds).
   */
  public int[] lineAndColumn(int offset) {
    return lineAndColumns(new int[] {offset})[0];
  }

  /**
   * {@link #lineAndColumn} of each of {@code offsets}, in their order, counting line ends once:
   * a statement with thousands of findings (a GRANT of as many roles) is not searched again from
   * its start for each of them.
   */
  public int[][] lineAndColumns(int[] offsets) {
    long[] sorted = new long[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      int at = held(offsets[i]);
      sorted[i] = (long) (writtenAt == null ? at : writtenAt[Math.min(at, writtenAt.length - 1)]) << 32 | i;
    }
    Arrays.sort(sorted);
    Positions positions = writtenAt == null ? new Positions(source, new int[] {line, column, start})
        : new Positions(writtenIn, writtenOrigin);
    int[][] result = new int[offsets.length][];
    for (long entry : sorted) {
      result[(int) entry] = positions.at((int) (entry >>> 32));
    }
    return result;
  }

  private int held(int offset) {
    return Math.max(start, Math.min(offset, source.length()));
  }

  /** The statement's text as written, without its terminating semicolon. */
  public String text() {
    return source.substring(start, end);
  }

  /** True when spans of this statement can be replaced in the script's source. */
  public boolean rewritable() {
    return rewritable;
  }

  /** What the statement asks of AWS. */
  public RedshiftCommand command() {
    return command;
  }

  /** The same statement (text, place) read as {@code other}: for what only the caller can tell. */
  public SqlStatement withCommand(RedshiftCommand other) {
    return new SqlStatement(source, index, line, column, start, end, rewritable, other, writtenAt, writtenIn,
        writtenOrigin);
  }

  /**
   * The table of {@code INSERT INTO table ...} (also prepared: {@code PREPARE name [(types)] AS
   * INSERT INTO table ...}, which EXECUTE runs) as written, or null for any other statement. Reads
   * only the statement's first tokens.
   */
  public String insertTarget() {
    if (!source.regionMatches(true, start, "INSERT", 0, 6) && !source.regionMatches(true, start, "PREPARE", 0, 7)) {
      return null; // no other first word leads to an INSERT: not lexed at all
    }
    return readHead(SqlStatement::insertTarget);
  }

  /**
   * True when the statement starts with the word {@code DO}: a PostgreSQL block whose code runs
   * at once (or a statement the server refuses), whatever {@link #command()} says of its code.
   */
  public boolean startsDoBlock() {
    return source.regionMatches(true, start, "DO", 0, 2)
        && (start + 2 >= end || !Character.isLetterOrDigit(source.charAt(start + 2))
            && source.charAt(start + 2) != '_' && source.charAt(start + 2) != '$');
  }

  /**
   * The code of a {@code DO} block ({@link #startsDoBlock}) as the server reads it (a dollar quote's
   * text, a quoted literal's value), or null when it is written so the guard cannot read it (the
   * block's decision then names the problem).
   */
  public String doBlockCode() {
    return startsDoBlock() ? DoBlockParser.code(Lexer.tokenizeStatement(source, start, end)) : null;
  }

  /**
   * The procedure a {@code CALL name(args)} runs (also the JDBC escape {@code {call name(args)}} and
   * {@code {? = call name(args)}}): its name parts as the server reads them, an unquoted part folded
   * to lower case, a quoted one as written between its quotes; an empty list for a CALL whose name
   * cannot be read so (a Unicode-escaped name); null for any other statement. Reads only its first
   * tokens.
   */
  public java.util.List<String> calledProcedure() {
    char first = source.charAt(start);
    if (first != '{' && !source.regionMatches(true, start, "CALL", 0, 4)) {
      return null; // a statement starts at its first token: no comment stands before CALL
    }
    return readHead(SqlStatement::calledProcedure);
  }

  private static java.util.List<String> calledProcedure(Cursor c) {
    if (c.is(TokenKind.OPERATOR) && c.tokens.source().charAt(c.tokens.start(c.pos)) == '{') {
      c.pos++;
      if (c.accept(TokenKind.PARAMETER) && !(c.is(TokenKind.OPERATOR) && c.tokens.text(c.pos).equals("="))) {
        return null;
      }
      if (c.is(TokenKind.OPERATOR)) {
        c.pos++;
      }
    }
    if (!c.acceptWord("CALL")) {
      return null;
    }
    java.util.List<String> parts = ProcedureChanges.nameParts(c);
    if (parts == null) {
      return java.util.List.of();
    }
    // only an argument list (or the end) may follow a name read whole: U&"p\0061" is a word U first
    boolean whole = c.is(TokenKind.LEFT_PAREN) || c.pos >= c.limit
        || c.is(TokenKind.OPERATOR) && c.tokens.source().charAt(c.tokens.start(c.pos)) == '}';
    return whole && parts.size() <= 3 ? parts : java.util.List.of();
  }

  /**
   * A table given a new name: {@code ALTER TABLE [IF EXISTS] [ONLY] name RENAME TO new_name}.
   *
   * @param table the table as written
   * @param newName the new name as written (Redshift keeps the table in its schema)
   */
  public record TableRename(String table, String newName) {}

  /** The rename this statement makes, or null for any other statement. Reads only its first tokens. */
  public TableRename tableRename() {
    if (!source.regionMatches(true, start, "ALTER", 0, 5)) {
      return null; // a statement starts at its first token: no comment stands before ALTER
    }
    return readHead(SqlStatement::tableRename);
  }

  private static TableRename tableRename(Cursor c) {
    if (!c.acceptWords("ALTER", "TABLE")) {
      return null;
    }
    c.acceptWords("IF", "EXISTS");
    c.acceptWord("ONLY");
    String table = c.readName();
    if (table == null || !c.acceptWords("RENAME", "TO")) {
      return null;
    }
    String newName = c.readName();
    return newName == null ? null : new TableRename(table, newName);
  }

  /**
   * A schema given a new name: {@code ALTER SCHEMA name RENAME TO new_name}.
   *
   * @param schema the schema as written
   * @param newName the new name as written
   */
  public record SchemaRename(String schema, String newName) {}

  /** The schema rename this statement makes, or null for any other statement. Reads only its first tokens. */
  public SchemaRename schemaRename() {
    if (!source.regionMatches(true, start, "ALTER", 0, 5)) {
      return null;
    }
    return readHead(SqlStatement::schemaRename);
  }

  private static SchemaRename schemaRename(Cursor c) {
    if (!c.acceptWords("ALTER", "SCHEMA")) {
      return null;
    }
    String schema = c.readName();
    if (schema == null || !c.acceptWords("RENAME", "TO")) {
      return null;
    }
    String newName = c.readName();
    return newName == null ? null : new SchemaRename(schema, newName);
  }

  /**
   * What {@code reader} reads from the statement's head. Comments may stand between any of its
   * tokens, so the head grows until the tokens the reading looked at (up to two past where it
   * stopped) are whole: a token follows them, and neither is a cut comment or quoted name (an
   * unterminated token).
   */
  <T> T readHead(java.util.function.Function<Cursor, T> reader) {
    for (long head = 1024; ; head *= 2) {
      boolean whole = end - start <= head;
      Tokens t = Lexer.tokenizeStatement(source, start, whole ? end : start + (int) head);
      Cursor c = new Cursor(t, 0, t.count());
      T read = reader.apply(c);
      int after = c.pos;
      if (whole || after + 2 < t.count() && !t.kind(after).isUnterminated() && !t.kind(after + 1).isUnterminated()) {
        return read;
      }
    }
  }

  private static String insertTarget(Cursor c) {
    if (c.acceptWord("PREPARE")) {
      if (c.readName() == null) {
        return null;
      }
      c.skipGroup();
      if (!c.acceptWord("AS")) {
        return null;
      }
    }
    return c.acceptWords("INSERT", "INTO") ? c.readName() : null;
  }

  @Override
  public String toString() {
    return "statement " + index + " (line " + line + ", " + command.kind() + ")";
  }
}
