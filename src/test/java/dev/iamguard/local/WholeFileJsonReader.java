package dev.iamguard.local;

import dev.iamguard.sql.ShortReadReader;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The JSON reader as it was before it streamed (issue 17): it read the whole data file into one
 * String. Kept as the oracle of {@code JsonReaderProperties}: the streaming reader must give the
 * same records, problems and texts on any input within Redshift's 4 MB object limit. Its reading and
 * cutting of objects are as they were; matching keys to columns, which did not change, is the
 * readers' shared {@link JsonColumns}.
 */
final class WholeFileJsonReader implements RecordReader {
  private final String text;
  private final JsonColumns columns;
  /** Nesting a record may have; deeper records are load errors, never a stack overflow. */
  private static final int MAX_DEPTH = 64;

  private final Compose compose = new Compose(LoadSettings.builder().build());
  /** The deepest nesting of the record {@link #skipObject} last moved past. */
  private int deepest;
  private int pos;
  private long line = 1;

  WholeFileJsonReader(Reader in, List<TargetColumn> targetColumns, boolean ignoreCase) throws IOException {
    StringBuilder all = new StringBuilder();
    char[] buffer = new char[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      all.append(buffer, 0, n);
    }
    in.close();
    this.text = all.toString();
    this.columns = new JsonColumns(targetColumns, ignoreCase);
  }

  @Override
  public Record next() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      advance();
    }
    if (pos == text.length()) {
      return null;
    }
    long start = line;
    int from = pos;
    if (text.charAt(pos) != '{') {
      skipPast('\n');
      return problem(start, from, text.charAt(from) == '[' ? "a JSON array needs a JSONPaths file, which is not emulated"
          : "expected a JSON object");
    }
    if (!skipObject()) {
      return problem(start, from, "unterminated JSON object");
    }
    if (deepest > MAX_DEPTH) {
      // the composer below is recursive: such a record would overflow the stack
      return problem(start, from, "JSON nests more than " + MAX_DEPTH + " levels of objects or arrays");
    }
    String malformed = JsonSyntax.problem(text.substring(from, pos)); // as the streaming reader: JSON, not YAML
    if (malformed != null) {
      return problem(start, from, "malformed JSON: " + malformed);
    }
    try {
      Optional<Node> node = compose.composeReader(ShortReadReader.of(text.substring(from, pos)));
      if (node.isEmpty() || !(node.get() instanceof MappingNode mapping)) {
        return problem(start, from, "expected a JSON object");
      }
      return new Record(start, columns.row(mapping), null, null);
    } catch (YamlEngineException e) {
      return problem(start, from, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Moves past the object starting at {@code pos}; false when the text ends first. */
  private boolean skipObject() {
    int depth = 0;
    deepest = 0;
    boolean inString = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      advance();
      if (inString) {
        if (c == '\\' && pos < text.length()) {
          advance();
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        deepest = Math.max(deepest, ++depth);
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return true;
      }
    }
    return false;
  }

  private void skipPast(char end) {
    while (pos < text.length() && text.charAt(pos) != end) {
      advance();
    }
  }

  private void advance() {
    if (text.charAt(pos++) == '\n') {
      line++;
    }
  }

  private Record problem(long start, int from, String reason) {
    return new Record(start, null, new LoadProblem(1216, reason), text.substring(from, Math.min(pos, from + 80)));
  }

  @Override
  public void close() {
    // the whole file was read in the constructor
  }
}
