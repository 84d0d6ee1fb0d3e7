package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SqlScript;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The split check lets a text go when the piece a driver could split off at a comment's {@code ;}
 * is the rest of a sentence the server refuses as a syntax error ({@code -- generated; do not edit}
 * read afresh is {@code do not edit ...}). The server is the oracle: for generated sentences
 * starting with a command word the check would otherwise refuse on (transaction ends, DO, CALL,
 * TRUNCATE), each piece the guard lets go is sent to the throwaway PostgreSQL through the raw
 * driver, and must fail there as a syntax error (SQLSTATE 42601), not run nor fail later.
 */
class CertainSyntaxErrorServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String[] FIRST = {"end", "commit", "abort", "rollback", "do", "call", "truncate", "END", "Commit",
      "TrUnCaTe"};
  private static final String[] WORDS = {"work", "transaction", "and", "no", "chain", "to", "savepoint", "prepared",
      "language", "plpgsql", "table", "only", "restart", "identity", "continue", "cascade", "restrict", "t", "s", "the",
      "of", "not", "edit", "it", "done", "step", "now", "a", "day", "first", "public", "'x'", "$$x$$", "$$begin end$$", "'begin end'", "U&'begin end'", "u&'begin end'", "!", "-", "(", ")", ".", "*",
      ",", "1", "\"t\""};
  private static final String[] BETWEEN = {" ", " ", " ", "\t", "\n", "  ", "\r\n", "\f", "/* c */", "-- c\n", ""};

  private static String piece(Random random) {
    StringBuilder piece = new StringBuilder(FIRST[random.nextInt(FIRST.length)]);
    int words = 1 + random.nextInt(4);
    for (int w = 0; w < words; w++) {
      piece.append(BETWEEN[random.nextInt(BETWEEN.length)]).append(WORDS[random.nextInt(WORDS.length)]);
    }
    return piece.toString();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void everyPieceLetGoIsASyntaxErrorOnTheServer(boolean conforming) throws SQLException {
    try (Connection raw = POSTGRES.redshiftConnection(false, null); Statement statement = raw.createStatement()) {
      statement.execute("create table if not exists t (a text)");
      statement.execute("create or replace procedure s() language sql as $$ select 1 $$");
      // with backslashes as ordinary chars, U&'...' is a string (probe sq4 F2): the oracle reads both ways
      statement.execute(conforming ? "set standard_conforming_strings = on" : "set standard_conforming_strings = off");
      Random random = new Random(20261204);
      List<String> wrong = new ArrayList<>();
      int letGo = 0;
      int refused = 0;
      List<String> sentences = new ArrayList<>(List.of("do language plpgsql 'begin end'", "do 'begin end'",
          "call s()", "call public.s()", "call s ()", "truncate t", "truncate table t", "truncate only t",
          "truncate t restart identity", "truncate t cascade", "truncate table only t continue identity",
          "truncate t, t", "truncate t *", "rollback to savepoint x", "rollback work", "commit and chain",
          "commit prepared 'x'", "end transaction", "abort work", "end", "commit", "do U&'begin end'",
          "do u&'begin end'", "DO U&'begin end' LANGUAGE plpgsql", "end.", "abort!", "call me", "commit (", "call s",
          "call public.s()"));
      for (int n = 0; n < 5_000; n++) {
        sentences.add(piece(random));
      }
      for (String sentence : sentences) {
        // the piece as the rest of the text ends it: at once, or continued by a statement
        for (String piece : new String[] {sentence, sentence + "\nselect 2"}) {
          // before the comment, a text every reader reads alike: no driver splits there (AgreedPrefixTest),
          // unless the comment holds a char such as a form feed, where some reader might end its line
          if (piece.split("[\n\r]", 2)[0].chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7F)) {
            assertThat(SqlScript.hiddenByDriverSplits("select 1 -- note; " + piece)).as(piece).isFalse();
          }
          // after a tagged dollar quote, which a reader may read otherwise (H2 knows no tags): the piece is judged
          if (SqlScript.hiddenByDriverSplits("select $q$1$q$ -- note; " + piece)) {
            refused++;
            continue;
          }
          letGo++;
          try {
            statement.execute(piece);
            wrong.add("ran: " + piece);
          } catch (SQLException refusedByServer) {
            // the parser's refusals: a syntax error, or U&'...' where backslashes escape (its lexer refuses it)
            if (!"42601".equals(refusedByServer.getSQLState())
                && !("0A000".equals(refusedByServer.getSQLState()) && refusedByServer.getMessage().contains("Unicode escapes"))) {
              wrong.add(refusedByServer.getSQLState() + ": " + piece);
            }
          }
        }
      }
      assertThat(wrong).as("pieces the guard let go that the server did not refuse as a syntax error").isEmpty();
      assertThat(letGo).as("sentences let go").isGreaterThan(1_000);
      assertThat(refused).as("pieces the server could run, refused").isGreaterThan(1_000);
    }
  }

  /** The comments of probe sq3 F4, in a text the guard inspects, run through the guard. */
  @Test
  void commentSentencesWithACommandWordAfterTheirSemicolonRun() throws SQLException {
    try (Connection guarded = POSTGRES.redshiftConnection(true, null); Statement statement = guarded.createStatement()) {
      for (String comment : List.of("-- generated; do not edit", "-- sanity check; end of step 2",
          "-- step 3; commit the load", "-- then; call it a day", "-- truncate; truncate the staging table first",
          "-- rollback; rollback everything on failure")) {
        // the comment after a form every reader reads alike, and after a tagged dollar quote, which one may read otherwise
        for (String select : List.of("select 1 as iam_role ", "select $q$1$q$ as iam_role ")) {
          assertThat(statement.execute(select + comment + "\n, 2")).as(comment).isTrue();
        }
      }
    }
  }
}
