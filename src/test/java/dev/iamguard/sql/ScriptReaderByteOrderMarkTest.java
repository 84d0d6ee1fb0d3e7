package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A byte order mark at a script's start is dropped as psql drops it (psql 15 runs
 * {@code \uFEFFselect 1;} and rejects a second one later in the script), in both readings: it is
 * a piece without statements, so the pieces still concatenate to the script, and every chunk size
 * reads the statements after it as the script without it.
 */
class ScriptReaderByteOrderMarkTest {
  private static final String BOM = "\uFEFF";
  private static final String SCRIPT = "\\echo loading\ncopy t from 's3://b/k' iam_role default;\nselect 2;\n";

  private static List<SqlScript> pieces(String script, int chunk, boolean psql) throws IOException {
    List<SqlScript> pieces = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(script), chunk, psql)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        pieces.add(piece);
      }
    }
    return pieces;
  }

  private static List<String> describe(List<SqlScript> pieces) {
    return pieces.stream().flatMap(p -> p.statements().stream()).map(s -> s.index() + " " + s.line() + ":"
        + s.text() + " " + s.command().kind() + " " + s.command().problems()).toList();
  }

  @Test
  void aByteOrderMarkAtTheStartIsAPieceWithoutStatements() throws IOException {
    for (boolean psql : new boolean[] {true, false}) {
      List<String> without = describe(pieces(SCRIPT, ScriptReader.DEFAULT_CHUNK, psql));
      for (int chunk = 1; chunk <= SCRIPT.length() + 2; chunk++) {
        List<SqlScript> pieces = pieces(BOM + SCRIPT, chunk, psql);

        assertThat(pieces.get(0).source()).isEqualTo(BOM);
        assertThat(pieces.get(0).statementCount()).isZero();
        assertThat(pieces.stream().map(SqlScript::source).reduce("", String::concat)).isEqualTo(BOM + SCRIPT);
        assertThat(describe(pieces)).as("chunk %d, psql %s", chunk, psql).isEqualTo(without);
        assertThat(pieces.get(1).offset()).isEqualTo(1);
      }
    }
    assertThat(describe(pieces(BOM + SCRIPT, 7, true))).anySatisfy(s -> assertThat(s).contains("COPY []"));
  }

  @Test
  void aByteOrderMarkAloneOrLaterIsKept() throws IOException {
    assertThat(pieces(BOM, 5, true)).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo(BOM);
      assertThat(p.statements()).isEmpty();
    });
    assertThat(pieces("", 5, true)).isEmpty();
    String later = "select 1;\n" + BOM + "copy t from 's3://b/k' iam_role default;\n";
    assertThat(describe(pieces(later, 5, true))).anySatisfy(s -> assertThat(s).contains(BOM + "copy"));
    assertThat(describe(pieces(BOM + BOM + "select 1;", 5, true))).singleElement()
        .satisfies(s -> assertThat(s).contains(BOM + "select 1"));
  }
}
