package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Marker comments: where they stand, and where a marker is not a comment at all. */
class DirectivesTest {
  static final String MARKER = "iamguard:allow";

  static List<String> find(String sql) {
    return Directives.find(SqlScript.parse(sql), MARKER).stream()
        .map(d -> d.line() + ":" + d.column() + " " + d.place() + " " + d.statement() + " [" + d.text() + "]").toList();
  }

  @Test
  void placesRelativeToTheStatements() {
    String sql = "-- iamguard:allow A first\nselect 1; -- iamguard:allow B after one\n"
        + "select 2 -- iamguard:allow C inside two\n, 3;\n\n--iamguard:allow   D  spaced  \nselect 4;\n"
        + "-- iamguard:allow E at the end\n";

    assertThat(find(sql)).containsExactly(
        "1:1 BEFORE 1 [A first]",
        "2:11 AFTER 1 [B after one]",
        "3:10 INSIDE 2 [C inside two]",
        "6:1 BEFORE 3 [D  spaced]",
        "8:1 BEFORE 4 [E at the end]");
  }

  /**
   * A marker opening a block comment is no directive, but is reported apart so that its writer
   * learns it accepts nothing; one inside a literal, a quoted identifier, a dollar quote, another
   * comment or a line comment is neither.
   */
  @Test
  void markersOpeningABlockCommentAreReportedApartAndOnlyAtTopLevel() {
    String block = "/* iamguard:allow R why */";
    List<String> reported = List.of(block + "\nselect 1;", "select 1; " + block, "select 1 " + block + " , 2;",
        "/*\n * iamguard:allow R why\n */\nselect 1;", "/*iamguard:allow R why*/select 1;",
        "select 'a'; " + block + " select 2;");
    List<String> hidden = List.of("select '" + block + "';", "select \"" + block + "\";", "select $$" + block + "$$;",
        "select $q$ ' " + block + " $q$;", "/* outer " + block + " */ select 1;", "-- " + block + "\nselect 1;",
        "select 1; -- x " + block, "select e'\\' " + block + " ';", "/* see the iamguard:allow docs */ select 1;",
        "select 1 /* note */; -- iamguard:allow R why");
    for (String sql : reported) {
      List<Directives.Directive> found = Directives.inBlockComments(SqlScript.parse(sql), MARKER);
      assertThat(found).as(sql).hasSize(1);
      assertThat(found.get(0).text()).as(sql).isEqualTo("R why");
      assertThat(sql.startsWith("/*", found.get(0).offset())).as(sql).isTrue();
      assertThat(find(sql)).as("not a directive: %s", sql).isEmpty();
    }
    for (String sql : hidden) {
      assertThat(Directives.inBlockComments(SqlScript.parse(sql), MARKER)).as(sql).isEmpty();
    }
  }

  /**
   * A marker after each of many statements, with each kind of line end: each is placed after its own
   * statement or before the next, and the script is read once for all of them (each marker searched
   * back to the text's start for a CR, so 160,000 such lines took 147 s; the timeout is a hang guard).
   */
  @Test
  void markersAfterManyStatementsArePlacedByOnePassOverTheLines() {
    for (String lineEnd : List.of("\n", "\r\n", "\r")) {
      int lines = 300_000;
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        sql.append(i % 3 == 2 ? "-- iamguard:allow B" + i : "select " + i + "; -- iamguard:allow A" + i).append(lineEnd);
      }
      SqlScript script = SqlScript.parse(sql.toString());
      List<Directives.Directive> found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          java.time.Duration.ofSeconds(60), () -> Directives.find(script, MARKER));
      assertThat(found).hasSize(lines);
      int statements = 0;
      for (int i = 0; i < lines; i++) {
        Directives.Directive d = found.get(i);
        statements += i % 3 == 2 ? 0 : 1;
        assertThat(d.line()).isEqualTo(i + 1);
        assertThat(d.place()).as("line %d", i + 1)
            .isEqualTo(i % 3 == 2 ? Directives.Place.BEFORE : Directives.Place.AFTER);
        assertThat(d.statement()).isEqualTo(i % 3 == 2 ? statements + 1 : statements);
        assertThat(d.text()).isEqualTo((i % 3 == 2 ? "B" : "A") + i);
      }
    }
  }

  /**
   * Many marker lines inside one block comment (nested or not), literal, quoted identifier or dollar
   * quote, then one real marker right after it: none inside is a directive, the one after is, and the
   * text is read once. Each marker in a block comment was read from the comment's start: 1.6 MB of
   * such lines took 47 s to check (the timeout is a hang guard). The comment's end is the lexer's,
   * nesting counted: the first reading-on of comments took the region's end for it and lost a marker
   * right after a comment ({@code DirectivesReadOnProperties} found it).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "/* | */", "/* /* a */ | */", "' | '", "\"a | \"", "$q$ | $q$", "E' | '"})
  void manyMarkersInsideOneCommentOrLiteralAreReadOnce(String open, String close) {
    int lines = 100_000;
    String inside = "-- iamguard:allow X inside\n";
    String sql = "select " + open + "\n" + inside.repeat(lines) + close + "--iamguard:allow N after\n;";

    List<Directives.Directive> found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(30), () -> Directives.find(SqlScript.parse(sql), MARKER));

    assertThat(found).extracting(Directives.Directive::text).containsExactly("N after");
    assertThat(found.get(0).line()).isEqualTo(lines + 2);
  }

  /**
   * Forms that left the reading of the next marker where it was, so that each marker read the
   * statement again from there: an operator right before the marker's dashes, a literal (which a
   * quote after the comment would continue) followed by marker lines, and a literal or quoted name
   * holding a marker alternating with real markers (each lexed the rest of the statement to find
   * its end). Each reads the statement once now; each takes minutes without that (the timeout is a
   * hang guard). The statement goes on after the markers, so all of them stand inside it.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("formsBeforeMarkers")
  void markersAfterOperatorsAndLiteralsAreReadOnce(String head, String line, int lines) {
    String real = "-- iamguard:allow N after\n";
    String sql = "select " + head + "\n" + line.replace("{m}", real).repeat(lines) + ", 1;";

    List<Directives.Directive> found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(30), () -> Directives.find(SqlScript.parse(sql), MARKER));

    assertThat(found).hasSize(lines).allSatisfy(d -> {
      assertThat(d.text()).isEqualTo("N after");
      assertThat(d.place()).isEqualTo(Directives.Place.INSIDE);
    });
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> formsBeforeMarkers() {
    String manyTokens = "1, ".repeat(500_000) + "1";
    String quotes = "'" + "a''".repeat(500_000) + "'";
    String inside = "-- iamguard:allow X inside\n";
    return java.util.stream.Stream.of(
            new Object[] {manyTokens, "+{m}", 20_000}, new Object[] {manyTokens, "::{m}", 20_000},
            new Object[] {manyTokens, "@{m}", 20_000}, new Object[] {manyTokens, "\\{m}", 20_000},
            new Object[] {manyTokens, "={m}", 20_000}, new Object[] {manyTokens, "*/{m}", 20_000},
            new Object[] {manyTokens, "-{m}", 20_000}, new Object[] {manyTokens, "+ -{m}", 20_000},
            new Object[] {quotes, "{m}", 20_000}, new Object[] {"E" + quotes, "{m}", 20_000},
            new Object[] {"B'" + "01".repeat(1_000_000) + "'", "{m}", 20_000}, new Object[] {quotes + " -", "{m}", 20_000},
            new Object[] {quotes, "'a'\n{m}", 20_000}, new Object[] {quotes, "-{m}'a'\n", 20_000},
            new Object[] {"1", "E'" + inside + "'{m}", 100_000}, new Object[] {"1", "\"" + inside + "\"{m}", 100_000},
            new Object[] {"1", "$$" + inside + "$${m}", 100_000}, new Object[] {"1", "$q$" + inside + "$q${m}", 100_000},
            new Object[] {"1", "U&'" + inside + "'{m}", 100_000}, new Object[] {"1", "'" + inside + "'{m}", 100_000})
        .map(org.junit.jupiter.params.provider.Arguments::of);
  }

  @Test
  void aMarkerInALiteralAnIdentifierABlockCommentOrMidCommentIsNoDirective() {
    String sql = "select '-- iamguard:allow A x', \"-- iamguard:allow B x\", $$ -- iamguard:allow C x $$;\n"
        + "/* -- iamguard:allow D x */ select 1; /* a /* nested */ -- iamguard:allow E x */\n"
        + "select 2; -- note: iamguard:allow F x\nselect 'it''s' -- iamguard:allow G real\n";

    assertThat(find(sql)).containsExactly("4:16 AFTER 4 [G real]"); // after its last token, on its line
  }

  @Test
  void aStatementWithoutASemicolonBeforeTheNextLine() {
    // the end of the script ends the statement: the marker stands before it, in the statement
    assertThat(find("select 1\n-- iamguard:allow A x\n")).containsExactly("2:1 INSIDE 1 [A x]");
    assertThat(find("select 1;\n-- iamguard:allow A x\n")).containsExactly("2:1 BEFORE 2 [A x]");
  }

  /** Read piece by piece, directives keep their line, column and statement. */
  @Property(tries = 300)
  void piecesFindTheSameDirectives(@ForAll @IntRange(min = 1, max = 60) int chunk) throws IOException {
    String sql = "-- iamguard:allow A first\nselect 1; -- iamguard:allow B after one\n"
        + "select 2 -- iamguard:allow C inside two\n, 3;\n\n--iamguard:allow   D  spaced  \nselect 4;\n"
        + "select '-- iamguard:allow X no'; -- iamguard:allow E same line\n-- iamguard:allow F at the end";
    List<String> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(sql), chunk)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        for (Directives.Directive d : Directives.find(piece, MARKER)) {
          pieces.add(d.line() + ":" + d.column() + " " + d.place() + " " + d.statement() + " [" + d.text() + "]");
        }
      }
    }

    assertThat(pieces).isEqualTo(find(sql)).hasSize(6);
  }

  /** Edge places: a marker that opens the text, spaces before it, a comment glued to a statement's end. */
  @Test
  void markersAtTheEdgesOfTheTextAndOfAStatement() {
    assertThat(find("iamguard:allow X not a comment\n-- iamguard:allow Y\nselect 1")).containsExactly("2:1 INSIDE 1 [Y]");
    assertThat(find("   iamguard:allow X\nselect 1")).isEmpty();
    assertThat(find("--    iamguard:allow Z\nselect 1")).containsExactly("1:1 BEFORE 1 [Z]");
    assertThat(find("--\t iamguard:allow T\nselect 1")).containsExactly("1:1 BEFORE 1 [T]");
    assertThat(find("select 1-- iamguard:allow G glued\n")).containsExactly("1:9 AFTER 1 [G glued]");
    assertThat(find("select 1 -- iamguard:allow H\n, 2")).containsExactly("1:10 INSIDE 1 [H]");
    assertThat(find("- iamguard:allow M\nselect 1")).isEmpty();
    assertThat(find("x- iamguard:allow M\nselect 1")).isEmpty();
  }

  /**
   * A marker after the script's last statement: in it when no ';' ends it (the end of the script
   * does), before a statement that does not come when one does; the same read whole or piece by piece.
   */
  @Property(tries = 300)
  void aMarkerAfterTheLastStatementStandsInItUnlessASemicolonEndsIt(
      @ForAll @IntRange(min = 1, max = 40) int chunk, @ForAll @IntRange(min = 0, max = 5) int gap,
      @ForAll boolean semicolon, @ForAll @IntRange(min = 0, max = 2) int head) throws IOException {
    String[] heads = {"", "select 0;\n", "select 0; -- note\n/* c */\n"};
    String[] gaps = {"\n", "\n\n", "\n/* c */\n", "\n-- note\n", "\r\n", "\n  \t"};
    String sql = heads[head] + "copy t from 's3://b/k' iam_role default" + (semicolon ? ";" : "") + gaps[gap]
        + "-- iamguard:allow R why\n";
    int last = head == 0 ? 1 : 2;
    String expected = (semicolon ? "BEFORE " + (last + 1) : "INSIDE " + last) + " [R why]";
    List<String> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(sql), chunk)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        for (Directives.Directive d : Directives.find(piece, MARKER)) {
          pieces.add(d.line() + ":" + d.column() + " " + d.place() + " " + d.statement() + " [" + d.text() + "]");
        }
      }
    }
    assertThat(find(sql)).as(sql).singleElement().asString().endsWith(expected);
    assertThat(pieces).as(sql).isEqualTo(find(sql));
  }
}
