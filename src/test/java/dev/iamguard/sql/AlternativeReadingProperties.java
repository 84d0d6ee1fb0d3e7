package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The streaming reader on scripts whose readings disagree (issue 17): literals with backslashes,
 * {@code E''} strings, bit strings, {@code #} before {@code $}, dollar quotes, comments, quoted
 * names, auth-carrying statements and clauses that only another reading shows, at every chunk size
 * from 1 up. The pieces concatenate to the script, their statements and findings equal those of
 * the whole text, and the reader holds no more than the chunk and what the longest statement (of
 * any reading, where a verdict waits for it) needs.
 */
class AlternativeReadingProperties {

  /** Statements, most of them read differently by some reading. */
  static final List<String> STATEMENTS = List.of(
      "select 1", "select 'a\\''", "select 'x;y'", "select '\\'", "select E'\\''", "select e'\\\\'", "select b'\\'",
      "select x'1f'", "select B'1''0'", "select a#$$", "select #t", "select $$;$$", "select $a$ ' $a$", "select '--'",
      "select '/*'", "select '*/'", "select '\"'", "select '$$'", "-- c; 'x'\nselect 2", "/* ; ' */ select 3",
      "select '; copy t from ''s3://b/k'' iam_role default; --'", "select 'iam_role'", "select ' iam_role ''x'' '",
      "select 'a'\n'b'", "select 'a' -- c\n'b;'", "insert into t values ('\\n', 2)", "select ' iam_role U&''x'' '",
      "select '; unload (''select 1'') to ''s3://b/u/'' iam_role default'", "select ';select 1'",
      "select 'iam_role /*'", "select '*/ ''x'''", "select ' credentials as '", "select '; grant assumerole'",
      "select '\\'' iam_role 'x'", "select \"a;b\"", "select $t$ \\' $t$", "select 'é\\''", "select '; -- '",
      "select #iam_role 'x'", "select a#credentials as 'x'", "select #x'a'';copy t from ''s3://b/k'' iam_role default;--'",
      "select #b'\\'';'", "select #e'\\'';'", "select #u&'\\';'", "select #n'\\'';'", "select a#'\\';'",
      "select #-- c\n1", "select #/* ; */ 1", "select #\"a;\"", "set session authorization 'u2'",
      "select set_config('role', 'x', false)", "rollback", "commit", "set role r1", "reset session authorization",
      "select '\\'; set session authorization ''u3''; --'");

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> statement = Arbitraries.oneOf(
        Arbitraries.of(STATEMENTS),
        Arbitraries.of(FrontEndProperties.AUTH_STATEMENTS),
        Arbitraries.of("'", "\\", "\"", "$$", "--", "/*", "*/", "#", "$", "-", "e'", "b'", "iam_role", "'x'", "U&'y'",
            "default"));
    Arbitrary<String> separator = Arbitraries.of(";\n", ";", "; ", ";\r\n", "\n", " ", ";\n-- c\n", "; /* c */ ");
    return Arbitraries.entries(statement, separator).list().ofMaxSize(30)
        .map(list -> {
          StringBuilder sql = new StringBuilder();
          list.forEach(e -> sql.append(e.getKey()).append(e.getValue()));
          return sql.toString();
        });
  }

  @Property(tries = 20000)
  void piecesEqualTheWholeTextAndStayBounded(@ForAll("scripts") String sql, @ForAll @IntRange(min = 1, max = 64) int chunk,
      @ForAll long seed) throws IOException {
    check(sql, chunk, seed);
  }

  /**
   * Found by the property above: {@code e'..'} escapes in the PostgreSQL reading only, and a piece
   * that ends inside it must go on reading it so (it read the rest as a plain literal).
   */
  @Example
  void anEscapeStringCutBetweenPiecesStaysOneToTheReadingThatEscapesInIt() throws IOException {
    String sql = "select '\\';\ne';\nselect $t$ \\' $t$;\nselect '; copy t from ''s3://b/k'' iam_role default; --';\n";
    for (int chunk = 1; chunk <= 64; chunk++) {
      check(sql, chunk, chunk);
    }
  }

  @Property(tries = 300)
  void longScriptsStreamInPiecesNearTheChunk(@ForAll("scripts") String a, @ForAll("scripts") String b,
      @ForAll @IntRange(min = 32, max = 1024) int chunk, @ForAll long seed) throws IOException {
    check((a + ";\n" + b + ";\n").repeat(30), chunk, seed);
  }

  private static void check(String sql, int chunk, long seed) throws IOException {
    List<SqlScript> pieces = new ArrayList<>();
    int carried = 0;
    try (ScriptReader reader = new ScriptReader(new ScriptReaderProperties.ShortReads(sql, new Random(seed), chunk), chunk)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        pieces.add(piece);
        carried = Math.max(carried, reader.carried());
      }
    }
    StringBuilder joined = new StringBuilder();
    for (SqlScript piece : pieces) {
      assertThat(piece.offset()).isEqualTo(joined.length());
      joined.append(piece.source());
    }
    assertThat(joined.toString()).isEqualTo(sql);
    SqlScript whole = SqlScript.parse(sql);
    assertThat(ScriptReaderProperties.describe(pieces)).isEqualTo(ScriptReaderProperties.describe(List.of(whole)));
    assertThat(facts(pieces)).as("script facts of %s", sql).isEqualTo(facts(List.of(whole)));
    assertThat(carried).as("carry of %s", sql).isLessThanOrEqualTo(2 * (chunk + 2 * longestStatement(sql) + waiting(sql)) + 8);
  }

  /**
   * What a script tells its callers besides its statements, over all pieces: the session effects,
   * the first identity changes, the statements that undo them and where the inspected statements
   * start (a piece that skips the grammar for statements a whole-text parse reads must not differ).
   */
  static String facts(List<SqlScript> pieces) {
    int effects = 0;
    int firstIdentityChange = 0;
    int firstUnfollowable = 0;
    List<Long> inspectable = new ArrayList<>();
    List<Integer> undoing = new ArrayList<>();
    int before = 0;
    for (SqlScript piece : pieces) {
      effects |= piece.effects();
      firstIdentityChange = firstIdentityChange == 0 ? piece.firstIdentityChange() : firstIdentityChange;
      firstUnfollowable = firstUnfollowable == 0 ? piece.firstUnfollowableIdentityChange() : firstUnfollowable;
      for (SqlStatement s : piece.inspectable()) {
        inspectable.add(piece.offset() + s.start());
      }
      for (int n = before; n < before + piece.statementCount(); n++) {
        int after = piece.undoingStatementAfter(n);
        if (after != 0) {
          undoing.add(after);
        }
      }
      before += piece.statementCount();
    }
    return effects + " " + firstIdentityChange + " " + firstUnfollowable + " " + inspectable + " "
        + undoing.stream().distinct().sorted().toList() + " " + before;
  }

  /** The longest statement of the primary reading, with what separates it from the one before. */
  static int longestStatement(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    int longest = 0;
    int from = 0;
    for (int i = 0; i < found.count(); i++) {
      longest = Math.max(longest, found.end(i) - from);
      from = found.end(i);
    }
    return Math.max(longest, sql.length() - from);
  }

  /**
   * The longest stretch a verdict of another reading waits for: a statement that starts where the
   * primary reading has no token, to the end of its first words (at most {@value
   * AlternativeReading#HEAD}, up to the first token that is not a word), an auth word to the third
   * token after it, a token.
   */
  static int waiting(String sql) {
    Tokens primary = Lexer.tokenize(sql);
    int longest = 0;
    for (Lexer.Reading reading : List.of(Lexer.Reading.NO_ESCAPES, Lexer.Reading.ESCAPES_EVERYWHERE)) {
      Tokens t = Lexer.tokenize(sql, reading);
      int first = 0;
      for (int i = 0; i <= t.count(); i++) {
        if (i < t.count()) {
          longest = Math.max(longest, t.kind(i).isUnterminated() || t.kind(i) == TokenKind.STRING
              || t.kind(i) == TokenKind.DOLLAR_STRING || t.kind(i) == TokenKind.QUOTED_IDENTIFIER
              ? 0 : t.end(i) - t.start(i));
          if (t.isAuthWord(i)) {
            int until = Math.min(i + 3, t.count() - 1);
            longest = Math.max(longest, t.end(until) - t.start(i));
          }
        }
        if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
          continue;
        }
        if (i > first && !AmbiguityCheck.isTokenStart(primary, t.start(first))) {
          int until = t.start(first);
          for (int j = first; j < Math.min(i, first + AlternativeReading.HEAD); j++) {
            if (t.kind(j) != TokenKind.WORD) {
              until = t.start(j) + 1; // decided where a token that is not a word starts
              break;
            }
            until = t.end(j);
          }
          longest = Math.max(longest, until - t.start(first));
        }
        first = i + 1;
      }
    }
    return longest;
  }
}
