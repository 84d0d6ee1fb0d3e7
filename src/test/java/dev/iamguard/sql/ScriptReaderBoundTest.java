package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a form that the readings of the ambiguity check lex differently (a literal holding a
 * backslash, a bit string with one, {@code #} before {@code $}) early in a script must not make the
 * reader hold the rest of the script: pieces and the carry stay near the chunk size, and the
 * statements still equal those of the whole text.
 */
class ScriptReaderBoundTest {
  private static final int CHUNK = 256;
  /** The longest statement of the scripts below, with its separator. */
  private static final int LONGEST = 80;

  /** What the reader held at most between two pieces, and the longest piece it handed out. */
  record Peak(int carry, int piece, List<SqlScript> pieces) {}

  static Peak read(String sql, int chunk) throws IOException {
    int carry = 0;
    int longest = 0;
    List<SqlScript> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(sql), chunk)) {
      for (ScriptReader.Piece piece = reader.nextPiece(); piece != null; piece = reader.nextPiece()) {
        carry = Math.max(carry, reader.carried());
        longest = Math.max(longest, piece.length());
        pieces.add(piece.parse());
      }
    }
    return new Peak(carry, longest, pieces);
  }

  private static void assertBoundedAndEqual(String head, String body) throws IOException {
    String sql = head + body.repeat(5_000);
    Peak peak = read(sql, CHUNK);
    assertThat(peak.piece()).as("longest piece").isLessThanOrEqualTo(CHUNK + 2 * LONGEST);
    assertThat(peak.carry()).as("longest carry").isLessThanOrEqualTo(CHUNK + 2 * LONGEST);
    assertThat(ScriptReaderProperties.describe(peak.pieces()))
        .isEqualTo(ScriptReaderProperties.describe(List.of(SqlScript.parse(sql))));
  }

  /**
   * A long run of empty statements or blank lines, alone or between statements: handed out as it is read (probe 24a F1: 30 MB of {@code ;} grew the
   * window to the whole script and ran out of memory).
   */
  @Test
  void runsOfEmptyStatementsAndBlankLinesAreHandedOutAsRead() throws IOException {
    for (String run : List.of(";", ";\n", "; \r\n", " ;", "\n", "\r\n", "\t\n;", ";;\f")) {
      // (after a form the readings lex differently, such as a literal with a backslash, a run still
      // waits until every reading has settled it: a limit, left as it is)
      for (String head : List.of("", "select 1;\n", "copy t from 's3://b/k' iam_role default;\n")) {
        String sql = head + run.repeat(100_000) + "copy t from 's3://b/k' iam_role default;\n" + run.repeat(50_000);
        Peak peak = read(sql, CHUNK);
        String what = "run " + run.replace("\n", "\\n").replace("\r", "\\r") + " after " + head;
        // a run is handed out once it is as long as the chunk, or 4,096 characters (a shorter one waits
        // for what follows, which keeps the cuts where the readings of a backslash put them)
        int bound = 4 * Math.max(CHUNK, 4096);
        assertThat(peak.carry()).as("longest carry, %s", what).isLessThanOrEqualTo(bound);
        assertThat(peak.piece()).as("longest piece, %s", what).isLessThanOrEqualTo(bound);
        assertThat(ScriptReaderProperties.describe(peak.pieces())).as(what)
            .isEqualTo(ScriptReaderProperties.describe(List.of(SqlScript.parse(sql))));
      }
    }
  }

  @Test
  void aLiteralWithABackslashThenStatementsWithoutQuotes() throws IOException {
    assertBoundedAndEqual("select 'a\\'';\n", "select 1 from t;\n");
  }

  @Test
  void aLiteralWithABackslashThenStatementsWithLiterals() throws IOException {
    // a reading without escapes is inside a literal at every statement end from here on
    assertBoundedAndEqual("select 'a\\'';\n", "insert into t values ('x', 2);\n");
  }

  @Test
  void aLiteralWithABackslashThenAuthCarryingStatements() throws IOException {
    assertBoundedAndEqual("select 'a\\'';\n", "copy t from 's3://b/k' iam_role default;\n");
  }

  @Test
  void aBitStringWithABackslashThenStatementsWithLiterals() throws IOException {
    assertBoundedAndEqual("select b'\\';\n", "select 'x' as y;\n");
  }

  @Test
  void aHashBeforeADollarThenStatements() throws IOException {
    // a reading where '#' is an operator opens a dollar quote that never closes
    assertBoundedAndEqual("select a#$$;\n", "select 'x', 1;\n");
  }

  @Test
  void aQuotedNameADollarQuoteAndACommentThatOnlyTheOtherReadingOpens() throws IOException {
    assertBoundedAndEqual("select 'a\\'';\n", "select '\"', 1;\n");
    assertBoundedAndEqual("select 'a\\'';\n", "select '$$', 1;\n");
    assertBoundedAndEqual("select 'a\\'';\n", "select '/*', 1;\n");
    assertBoundedAndEqual("select 'a\\'';\n", "select '--', 1;\n");
  }

  @Test
  void aStatementThatOnlyTheOtherReadingStartsAndNeverEnds() throws IOException {
    // NO_ESCAPES starts 'select (' inside Redshift's literal, then alternates literal and word for ever:
    // its verdict waited for the statement's end and the reader held the whole script
    assertBoundedAndEqual("select '\\'; select ('\n", "insert into t values ('x', 2);\n");
  }

  @Test
  void aLiteralThatOnlyTheOtherReadingOpensAndNeverCloses() throws IOException {
    // NO_ESCAPES: 'x' starts a statement inside Redshift's literal, and the quote after it is never closed
    assertBoundedAndEqual("select '\\'; x'\n", "select 1 from t;\n");
    assertBoundedAndEqual("select '\\'; copy '\n", "select 1 from t;\n");
  }

  /** The auth clause a reading without escapes sees is still found, however far into the script. */
  @Test
  void aHiddenClauseFarIntoTheScriptIsStillFound() throws IOException {
    String hiding = "select '; copy t from ''s3://b/k'' iam_role default; --';\n";
    String sql = "select 'a\\'';\n" + "select 1;\n".repeat(3_000) + hiding + "select 2;\n".repeat(3_000);
    Peak peak = read(sql, CHUNK);
    assertThat(ScriptReaderProperties.describe(peak.pieces()))
        .isEqualTo(ScriptReaderProperties.describe(List.of(SqlScript.parse(sql))));
    List<SqlStatement> refused = peak.pieces().stream().flatMap(p -> p.statements().stream())
        .filter(s -> !s.command().problems().isEmpty()).toList();
    assertThat(refused).extracting(SqlStatement::text).containsExactly(hiding.substring(0, hiding.length() - 2));
    assertThat(peak.carry()).isLessThanOrEqualTo(CHUNK + 2 * LONGEST);
  }
}
