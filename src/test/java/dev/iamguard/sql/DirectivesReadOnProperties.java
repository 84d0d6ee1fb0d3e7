package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Finding suppression markers reads the text before each marker from the last marker found at top
 * level in the same statement or gap, not from its start (one statement of 80,000 lines, each
 * ending in a marker, was read 80,000 times: over 100 s). Whatever the text, the directives found
 * are those reading every marker's text from the start finds: markers in real comments, in
 * literals continued across lines and comments, escaped and doubled quotes, bit strings, quoted
 * identifiers, dollar quotes, nested block comments, operators and a lone {@code -} right before a
 * marker's dashes, and texts left unterminated.
 */
class DirectivesReadOnProperties {
  private static final String MARKER = "iamguard:allow";
  private static final String COMMENT = "-- " + MARKER;

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> plain = Arbitraries.of("select", " ", "\n", "\r\n", ";", "1", "x", "+", "-", "->", "||", "(",
        ")", ",", ".", "1.", "1e", "-- note\n", "/* c */", "/* a /* b */ c */", "'a' -", "1e-", "-", "@");
    Arbitrary<String> quoted = Arbitraries.of("'a'", "'it''s'", "E'a\\'b'", "B'01'", "X'0F'", "U&'x'", "\"q\"",
        "\"a\"\"b\"", "$$ a $$", "$t$ b $t$", "'a'\n'b'", "'a'\n-- c\n'b'", "'a' -- c\n'b'",
        "'" + COMMENT + " Q\n'", "/* " + COMMENT + " C\n */", "$$\n" + COMMENT + " D\n$$", "--" + MARKER + " N\n", "E'x'", "\n'c'", "\n'c\\''", "U&'d'",
        "\"" + COMMENT + " I\n\"", "$t$\n" + COMMENT + " D\n" + COMMENT + " E\n$t$", "\"a" + COMMENT + "\n",
        "'a'\n" + COMMENT + " G\n'b'", "'" + COMMENT + " Q\n'\n" + COMMENT + " G\n'" + COMMENT + " Q\n'",
        "E'\\'" + COMMENT + " Q\n'" + COMMENT + " G\n'b'");
    Arbitrary<String> opener = Arbitraries.of("'", "\"", "$$", "$t$", "/*", "*/", "'a\\'", "--", "$$\n" + COMMENT + " U\n", "/*\n" + COMMENT + " B\n");
    Arbitrary<String> marker = Arbitraries.of(COMMENT + " R x\n", COMMENT + " S y\n", " " + COMMENT + " R\n",
        "\t" + COMMENT + " T\n", COMMENT, "-- note " + COMMENT + " M\n", "-" + COMMENT + " O\n",
        "B'1'-" + COMMENT + " P\n'c'", "+" + COMMENT + " V\n", "'a' -" + COMMENT + " L\n'c'",
        "'a'\n-" + COMMENT + " L\n'c'", "E'a\\'' -" + COMMENT + " L\n'c'", "1e-" + COMMENT + " W\n",
        "::" + COMMENT + " V\n", "*/" + COMMENT + " V\n");
    Arbitrary<String> fragment = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, plain),
        net.jqwik.api.Tuple.of(5, quoted), net.jqwik.api.Tuple.of(1, opener), net.jqwik.api.Tuple.of(6, marker));
    return fragment.list().ofMinSize(1).ofMaxSize(40).map(parts -> String.join("", parts))
        .filter(text -> text.contains(MARKER));
  }

  @Property(tries = 10000)
  void readingOnFindsWhatReadingFromTheStartFinds(@ForAll("texts") String text) {
    SqlScript script = SqlScript.parse(text);

    List<Directives.Directive> readOn = Directives.find(script, MARKER);
    List<Directives.Directive> fromStart = Directives.find(script, MARKER, false);

    assertThat(readOn).as(text).isEqualTo(fromStart);
    Statistics.label("directives found").collect(fromStart.isEmpty() ? "none" : fromStart.size() == 1 ? "one" : "more");
    Statistics.label("directives found").coverage(c -> c.check("more").percentage(p -> p > 10));
  }

  /**
   * A statement of 80,000 lines each ending in a marker comment, a procedure body and a quoted
   * literal of 80,000 marker lines: every marker's text was read from the statement's start (13 s,
   * 7 s and 6 s for 20,000; minutes for 80,000). And a literal continued 80,000 times, each part
   * holding a marker and each gap a marker comment (read from the literal's start for each marker
   * until the sixteenth session: 17 s for 20,000). The timeout is a hang guard; each takes well
   * under a second.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void markersOnEveryLineOfALongStatementAreReadOnce() {
    int lines = 80_000;
    StringBuilder statement = new StringBuilder("select 1\n");
    StringBuilder procedure = new StringBuilder("create procedure p() as $$\nbegin\n");
    StringBuilder literal = new StringBuilder("select '");
    for (int i = 0; i < lines; i++) {
      statement.append(", ").append(i).append(' ').append(COMMENT).append(" R ").append(i).append('\n');
      procedure.append("  perform ").append(i).append("; ").append(COMMENT).append(" R ").append(i).append('\n');
      literal.append(COMMENT).append(" R ").append(i).append('\n');
    }
    literal.append("';\n");
    StringBuilder continued = new StringBuilder("select '");
    for (int i = 0; i < lines; i++) {
      continued.append(COMMENT).append(" Q ").append(i).append("\n'\n").append(COMMENT).append(" G ").append(i).append("\n'");
    }
    continued.append("';\n");
    statement.append(";\n");
    procedure.append("end;\n$$ language plpgsql;\n");

    List<Directives.Directive> inStatement = Directives.find(SqlScript.parse(statement.toString()), MARKER);
    List<Directives.Directive> inBody = Directives.find(SqlScript.parse(procedure.toString()), MARKER);

    assertThat(inStatement).hasSize(lines).allSatisfy(d -> assertThat(d.statement()).isEqualTo(1));
    assertThat(inStatement.subList(0, lines - 1)).allSatisfy(d -> assertThat(d.place()).isEqualTo(Directives.Place.INSIDE));
    // the last follows the statement's last token ("79999") on its line: after it
    assertThat(inStatement.get(lines - 1)).satisfies(d -> {
      assertThat(d.place()).isEqualTo(Directives.Place.AFTER);
      assertThat(d.line()).isEqualTo(lines + 1);
      assertThat(d.text()).isEqualTo("R " + (lines - 1));
    });
    assertThat(inBody).as("a marker inside a dollar-quoted body is part of the literal").isEmpty();
    assertThat(Directives.find(SqlScript.parse(literal.toString()), MARKER)).as("nor inside a quoted literal").isEmpty();
    List<Directives.Directive> inGaps = Directives.find(SqlScript.parse(continued.toString()), MARKER);
    assertThat(inGaps).as("the comments between a continued literal's parts, not its parts").hasSize(lines)
        .allSatisfy(d -> assertThat(d.text()).startsWith("G ").endsWith(" " + (d.line() / 3 - 1))); // G i stands on line 3i + 3
  }
}
