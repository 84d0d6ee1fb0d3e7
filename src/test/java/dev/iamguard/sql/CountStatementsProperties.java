package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link SqlScript#countStatements} counts what {@link SqlScript#parse} splits, on every path a text
 * takes there: the scan's (no auth word, or auth-carrying statements whose tokens the scan keeps)
 * and the whole-text path (a backslash in a literal, a form the readings disagree on). The rewrite's
 * read-back relies on it: a rewritten text must split into as many statements as the original, and
 * a count that differed from the parse would let a rewrite that splits otherwise through.
 */
class CountStatementsProperties {
  private static final List<String> STATEMENTS = List.of(
      "copy t from 's3://b/p' iam_role 'arn:aws:iam::123456789012:role/R'",
      "copy t from 's3://b/p' iam_role 'arn:aws:iam::123456789012:role/A,arn:aws:iam::210987654321:role/B' csv",
      "unload ('select 1') to 's3://b/u_' iam_role default",
      "unload ('select '';'' ') to 's3://b/u_' iam_role 'copy-unload' parallel off",
      "create external schema s from data catalog database 'd' iam_role 'arn:aws:iam::123456789012:role/R'",
      "copy t from 's3://b/p' credentials 'aws_iam_role=arn:aws:iam::123456789012:role/R'",
      "set session authorization 'u'", "reset session authorization", "select 1", "commit", "begin",
      "insert into t values (1, 'a;b')", "create table t (a int)", "analyze t", "");

  private static final List<String> PIECES = List.of(
      " ", "\n", "\r\n", "\t", ";", ";;", "; ", "'", "''", "'x;y'", "'a\\'", "'a\\';'", "E'\\';'", "e'a\\'b'", "N'x'",
      "\\", "\\g", "\\\\", "--", "-- c;\n", "-- c\n", "/*", "*/", "/* ; */", "/* a /* ; */ b */", "$$", "$$ ; $$",
      "$t$;$t$", "$t$", "\"", "\"q;\"", "\"a\"\"b\"", "U&'d\\0061t'", "U&\"x;\"", "B'01'", "X'1F'", "#", "é", "\u00a0",
      "\u200b", "\uFEFF", "😀", "\uD83D", "?", "$1", "{call p()}", ":x", ":'v'");

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(STATEMENTS)),
        Tuple.of(6, Arbitraries.of(PIECES)),
        Tuple.of(1, Arbitraries.strings().withChars(";'\"\\$-/*\n EeU&#").ofMaxLength(5)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(3)));
    return piece.list().ofMaxSize(16).map(list -> String.join("", list));
  }

  @Property(tries = 3000)
  void countsWhatParseSplits(@ForAll("texts") String text) {
    Lexer.Statements scan = Lexer.statements(text);
    Statistics.label("path").collect(scan.backslashInLiteral || scan.readingsMayDiffer ? "whole text" : "scan");
    assertThat(SqlScript.countStatements(text)).as(text).isEqualTo(SqlScript.parse(text).statements().size());
  }

  /** What the read-back counts: each statement of a script, taken alone. */
  @Property(tries = 1000)
  void countsEachStatementAloneAsParseDoes(@ForAll("texts") String script) {
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      String alone = statement.text();
      assertThat(SqlScript.countStatements(alone)).as(alone).isEqualTo(SqlScript.parse(alone).statements().size());
    }
  }
}
