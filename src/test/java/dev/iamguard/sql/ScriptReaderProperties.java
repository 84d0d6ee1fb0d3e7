package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The streaming statement reader equals the whole-text split: same statements, at the same
 * absolute offsets, lines, columns and indexes, read the same way, whatever the chunk size and
 * however short the reads of the underlying reader.
 */
class ScriptReaderProperties {

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of(
            "'", "''", "\\", "'a\\'b'", "'x\\\\'", "E'\\''", "\"", "\"q\"\"q\"", "$$", "$a$", "$a$ ; $a$", "$b$x$b$", "$1",
            "$", "?", ";", ";;", "--", "-- c; 'x'\n", "/*", "*/", "/* a /* b */ ; */", "\n", "\r\n", " ", "\t", "(", ")",
            ",", "copy", "unload", "iam_role", "credentials", "default", "create", "procedure", "as", "external",
            "schema", "table", "function", "model", "grant", "assumerole", "set", "session", "authorization",
            "access_key_id", "'arn:aws:iam::123456789012:role/R'", "'s3://b/k'", "from", "to", "x", "1", "1.5e3",
            "catalog_role", "begin", "execute", "location", "insert", "into", "\u00a0", "é", "\uFEFF", "😀", "\u2028",
            "select", "'a'\n'b'"),
        Arbitraries.of(FrontEndProperties.AUTH_STATEMENTS).map(s -> s + ";\n"));
    return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
  }

  /**
   * The text the reader's statements equal: the script with a byte order mark at its start read as
   * a space (the reader drops it, as psql does; {@code ScriptReaderByteOrderMarkTest}).
   */
  static String asRead(String sql) {
    return sql.startsWith("\uFEFF") ? " " + sql.substring(1) : sql;
  }

  /**
   * The statements of {@code sql} as the reader gives them: the whole text split ({@link #asRead}),
   * with the columns of line 1 one less after a byte order mark, which counts in the offsets but is
   * no column (probe 22b F6).
   */
  static List<String> asReadWhole(String sql) {
    List<String> whole = describe(List.of(SqlScript.parse(asRead(sql))));
    if (!sql.startsWith("\uFEFF")) {
      return whole;
    }
    return whole.stream().map(line -> {
      java.util.regex.Matcher first = java.util.regex.Pattern.compile("^(\\d+) 1:(\\d+) ").matcher(line);
      return first.find() ? first.group(1) + " 1:" + (Integer.parseInt(first.group(2)) - 1) + " "
          + line.substring(first.end()) : line;
    }).toList();
  }

  @Property(tries = 2000)
  void piecesEqualTheWholeTextSplit(@ForAll("scripts") String sql, @ForAll @IntRange(min = 1, max = 48) int chunk,
      @ForAll long seed) throws IOException {
    List<String> whole = asReadWhole(sql);
    List<SqlScript> pieces = read(new ShortReads(sql, new Random(seed), chunk), chunk);

    assertThat(describe(pieces)).isEqualTo(whole);
    StringBuilder joined = new StringBuilder();
    for (SqlScript piece : pieces) {
      assertThat(piece.offset()).isEqualTo(joined.length());
      joined.append(piece.source());
    }
    assertThat(joined.toString()).isEqualTo(sql);
  }

  /** Large chunks over many statements: pieces hold many statements each. */
  @Property(tries = 200)
  void manyStatementsPerPiece(@ForAll("scripts") String a, @ForAll("scripts") String b,
      @ForAll @IntRange(min = 64, max = 4096) int chunk) throws IOException {
    String sql = (a + ";\n" + b + ";\n").repeat(20);
    assertThat(describe(read(new StringReader(sql), chunk))).isEqualTo(asReadWhole(sql));
  }

  /**
   * The forms issue 10 taught the lexer (Redshift's scan.l): prefixed and bit-string literals,
   * literals continued across newlines and comments, {@code #} before {@code $}, characters above
   * 127 in names and dollar tags, space-like and unpaired surrogate characters, escapes the
   * server reads, constant EXECUTE texts.
   */
  @Provide
  Arbitrary<String> serverReadings() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of(
            "E'\\''", "e'a\\'b'", "N'x'", "n'\\\\'", "B'\\'", "b'01'", "X'1F'", "x'\\'", "U&'d\\0061t'",
            "'a'\n'b'", "'a' \t\n 'b'", "'a' -- c;\n'b'", "'a'\r\n'b'", "'a'\f\n'b'", "'a'\u000b\n'b'",
            "'a'/* c */\n'b'", "E'x'\n'y'", "B'1'\n'0'", "#$$", "#t", "a#$", "$é$", "$é$ ; $é$", "$\u00a0$x;$\u00a0$",
            "é$$", "a\u00a0b", "\u00a0", "\u200b", "\uFEFF", "\u2028", "\u0085", "😀", "\uD83D", "\uDE00", "'\\101'",
            "'\\x41'", "'\\u0041'", "'\\0'", "'\\';'", "execute 'copy t from ''s3://b/k'' iam_role default'",
            "execute 'select 1' || ';'", "||", "'", "''", "\\", ";", ";;", "\n", " ", "--", "/*", "*/", "$$", "$a$",
            "\"", "copy", "iam_role", "select", "1", "x"),
        Arbitraries.of(FrontEndProperties.AUTH_STATEMENTS).map(s -> s + ";\n"));
    return pieces.list().ofMaxSize(40).map(list -> String.join("", list));
  }

  /** The streaming split agrees with the lexer on the server's readings, whatever the chunk size. */
  @Property(tries = 2000)
  void piecesAgreeWithTheLexerOnTheServersReadings(@ForAll("serverReadings") String sql,
      @ForAll @IntRange(min = 1, max = 48) int chunk, @ForAll long seed) throws IOException {
    List<SqlScript> pieces = read(new ShortReads(sql, new Random(seed), chunk), chunk);

    assertThat(describe(pieces)).isEqualTo(asReadWhole(sql));
    assertThat(ranges(pieces)).isEqualTo(lexerRanges(asRead(sql)));
  }

  @Test
  void aContinuedLiteralOrAWideDollarTagHoldingASemicolonIsOneStatementAtEveryCut() throws IOException {
    Map<String, Integer> statements = Map.of(
        "select 'a;'\n'b;c'; copy t from 's3://b/k' iam_role default;", 2,
        "select 'a' -- x;\n';b'; select 2;", 2,
        "select $é$ ; $é$; select 2;", 2,
        "select a\u00a0b; select E'\\';'; select 3;", 3,
        "select B'\\'; select '\\';'; select 4;", 3);
    statements.forEach((sql, count) -> {
      for (int chunk = 1; chunk <= sql.length(); chunk++) {
        try {
          List<SqlScript> pieces = read(new StringReader(sql), chunk);
          assertThat(ranges(pieces)).as("%s at chunk %d", sql, chunk).isEqualTo(lexerRanges(asRead(sql))).hasSize(count);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }
    });
  }

  /**
   * The absolute start and end of every statement of the pieces that the lexer delimits: a clause
   * another reading shows in a comment after the last statement is answered by a statement of its
   * own, not rewritable ({@link HiddenBetweenStatementsTest}), which whole and pieces must agree on
   * ({@link #describe}) but the lexer does not delimit.
   */
  private static List<String> ranges(List<SqlScript> pieces) {
    List<String> out = new ArrayList<>();
    for (SqlScript piece : pieces) {
      for (SqlStatement s : piece.statements()) {
        if (s.rewritable()) {
          out.add((piece.offset() + s.start()) + "-" + (piece.offset() + s.end()));
        }
      }
    }
    return out;
  }

  /** The statements as the lexer's tokens of the whole text delimit them (an unterminated comment alone is none). */
  private static List<String> lexerRanges(String sql) {
    Tokens t = Lexer.tokenize(sql);
    List<String> out = new ArrayList<>();
    int first = 0;
    for (int i = 0; i <= t.count(); i++) {
      if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
        continue;
      }
      if (i > first && !(i == first + 1 && t.kind(first) == TokenKind.UNTERMINATED_COMMENT)) {
        out.add(t.start(first) + "-" + t.end(i - 1));
      }
      first = i + 1;
    }
    return out;
  }

  @Test
  void anEmptyScriptHasNoPieceAndACommentOnlyOneHasOneWithoutStatements() throws IOException {
    assertThat(read(new StringReader(""), 8)).isEmpty();
    List<SqlScript> comment = read(new StringReader("-- only a comment\n"), 4);
    assertThat(comment).singleElement().satisfies(p -> assertThat(p.statementCount()).isZero());
  }

  @Test
  void aStatementLongerThanTheChunkIsReadWhole() throws IOException {
    String big = "copy t from 's3://b/" + "k".repeat(10_000) + "' iam_role default;\nselect 1;\n";
    List<SqlScript> pieces = read(new StringReader(big), 16);
    List<SqlStatement> statements = pieces.stream().flatMap(p -> p.statements().stream()).toList();
    assertThat(statements).extracting(s -> s.command().kind()).containsExactly(CommandKind.COPY, CommandKind.OTHER);
    assertThat(statements.get(1).line()).isEqualTo(2);
    assertThat(statements.get(1).index()).isEqualTo(2);
  }

  /** Short statements, some with literals that hold backslashes every reading cuts alike. */
  @Provide
  Arbitrary<List<String>> shortStatements() {
    return Arbitraries.of("select 1", "select 'a\\b'", "select 'a\\\\b', x", "insert into t values ('\\n', 2)",
            "select \"c\" from t", "-- c\nselect 2", "select $$ ; $$", "copy t from 's3://b/k' iam_role default",
            "select 'p\\q' -- c\n")
        .list().ofMinSize(1).ofMaxSize(60);
  }

  /**
   * The reader streams: each piece but the last hands out at least one statement, and no piece is
   * longer than a chunk and two statements (with their separators), however long the script.
   */
  @Property(tries = 300)
  void piecesStayNearTheChunkSize(@ForAll("shortStatements") List<String> statements,
      @ForAll @IntRange(min = 200, max = 600) int chunk) throws IOException {
    String sql = String.join(";\n", statements);
    int longest = statements.stream().mapToInt(String::length).max().orElse(0) + 2;
    List<ScriptReader.Piece> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(sql), chunk)) {
      for (ScriptReader.Piece piece = reader.nextPiece(); piece != null; piece = reader.nextPiece()) {
        pieces.add(piece);
      }
    }
    assertThat(pieces.stream().mapToInt(ScriptReader.Piece::length).sum()).isEqualTo(sql.length());
    for (int k = 0; k < pieces.size(); k++) {
      assertThat(pieces.get(k).length()).as("piece %d of %d", k, pieces.size()).isLessThanOrEqualTo(chunk + 2 * longest);
      if (k < pieces.size() - 1) {
        assertThat(pieces.get(k).parse().statements()).isNotEmpty();
      }
    }
    if (sql.length() > 3 * (chunk + 2 * longest)) {
      assertThat(pieces).hasSizeGreaterThan(2);
    }
  }

  /**
   * A backslash that no reading of the ambiguity check reads as a cut elsewhere does not change
   * where the reader cuts the script: the same script with {@code /} for every backslash is cut into
   * pieces of the same lengths, at every chunk size.
   */
  @Property(tries = 500)
  void backslashesEveryReadingCutsAlikeDoNotMoveTheCuts(@ForAll("shortStatements") List<String> statements,
      @ForAll @IntRange(min = 1, max = 300) int chunk) throws IOException {
    String sql = String.join(";\n", statements);
    assertThat(pieceLengths(sql, chunk)).as(sql).isEqualTo(pieceLengths(sql.replace('\\', '/'), chunk));
  }

  private static List<Integer> pieceLengths(String sql, int chunk) throws IOException {
    List<Integer> lengths = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(sql), chunk)) {
      for (ScriptReader.Piece piece = reader.nextPiece(); piece != null; piece = reader.nextPiece()) {
        lengths.add(piece.length());
      }
    }
    return lengths;
  }

  static List<SqlScript> read(Reader in, int chunk) throws IOException {
    List<SqlScript> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(in, chunk)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        pieces.add(piece);
      }
    }
    return pieces;
  }

  /** Every statement of the pieces as one comparable line, offsets made absolute. */
  static List<String> describe(List<SqlScript> pieces) {
    List<String> out = new ArrayList<>();
    for (SqlScript piece : pieces) {
      for (SqlStatement s : piece.statements()) {
        out.add(describe(s, piece.offset()));
      }
    }
    return out;
  }

  private static String describe(SqlStatement s, long base) {
    RedshiftCommand c = s.command();
    AuthClause auth = c.auth();
    StringBuilder line = new StringBuilder()
        .append(s.index()).append(' ').append(s.line()).append(':').append(s.column()).append(' ')
        .append(base + s.start()).append('-').append(base + s.end()).append(' ').append(s.text()).append(" | ")
        .append(c.kind()).append(' ').append(auth.form()).append(' ').append(auth.isDefault()).append(' ')
        .append(auth.roles()).append(' ').append(auth.roleText()).append(' ').append(auth.keywords()).append(' ')
        .append(auth.credentialKeys()).append(' ').append(auth.roleLiterals()).append(' ')
        .append(c.resources().s3()).append(' ').append(c.needsInspection()).append(' ').append(c.body().size());
    for (Problem p : c.problems()) {
      line.append(" [").append(p.kind()).append(' ').append(base + p.offset()).append(' ').append(p.reason()).append(']');
    }
    return line.toString();
  }

  /** A reader that hands out at most a random few characters per call. */
  static final class ShortReads extends Reader {
    private final String text;
    private final Random random;
    private final int most;
    private int at;

    ShortReads(String text, Random random, int most) {
      this.text = text;
      this.random = random;
      this.most = most;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
      if (at >= text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(most)), text.length() - at);
      text.getChars(at, at + n, cbuf, off);
      at += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
