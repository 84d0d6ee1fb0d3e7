package dev.iamguard.policy.yaml;

import java.util.Iterator;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads YAML 1.2 (and so JSON) into SnakeYAML Engine nodes, which keep their source marks so
 * that every later problem can name its line.
 */
public final class YamlTree {

  /** A text that is not well-formed YAML/JSON; {@code line} is 1-based, 0 when unknown. */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /** Nesting allowed in a registry or policy document: far more than either needs, far less than a stack holds. */
  public static final int MAX_DEPTH = 64;

  /**
   * The largest document read, in code points. The YAML engine's default (3 MB) refuses a registry
   * of about 10,000 roles, which a large organisation has; the limit stays so that a wrong file (a
   * log, a dump) is refused at once rather than read into memory.
   */
  public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

  private YamlTree() {}

  /**
   * JSON text as the YAML engine reads it the way JSON does: YAML refuses a tab where JSON takes it
   * as white space (pretty-printers indent with tabs), and raw DEL and C1 characters, which JSON
   * allows in strings. A tab between tokens becomes a space, such a character in a string its
   * backslash-u escape (the same string); the text itself when it holds none. Lines are kept.
   */
  public static String jsonForYaml(String json) {
    int first = -1;
    for (int i = 0; i < json.length() && first < 0; i++) {
      char c = json.charAt(i);
      first = c == '\t' || c >= 0x7f && c <= 0x9f ? i : -1;
    }
    if (first < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length() + 16);
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString && c == '\\' && i + 1 < json.length()) {
        out.append(c).append(json.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
      }
      if (inString && (c == '\t' || c >= 0x7f && c <= 0x9f)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c == '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /**
   * The reader's buffer for {@code text}: the library copies what remains of its buffer each time it
   * reads on, so a token longer than the buffer costs time quadratic in its length (probe 24c F3: a
   * 20 MB comment line took 153 s with the default 1,024); the text is in memory already, so the
   * buffer holds it whole, up to a million characters.
   */
  public static int bufferSize(String text) {
    return Math.max(1024, Math.min(text.length() + 1, 1 << 20));
  }

  /**
   * Composes one document.
   *
   * @return the root node, empty for a text without any content (blank or comments only)
   */
  public static Optional<Node> compose(String text, String label) throws SyntaxError {
    LoadSettings settings = LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CODE_POINTS)
        .setBufferSize(bufferSize(text)).build();
    try {
      refuseDeepNesting(text, settings);
      return new Compose(settings).composeReader(new dev.iamguard.sql.ShortReadStringReader(text));
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      throw new SyntaxError(mark.map(m -> m.getLine() + 1).orElse(0), YamlSyntax.explain(e));
    } catch (YamlEngineException e) {
      if (String.valueOf(e.getMessage()).contains("exceeds the limit")) {
        throw new SyntaxError(0, "the document is larger than " + MAX_CODE_POINTS / (1024 * 1024)
            + " M characters, more than any registry or IAM policy needs: is it the right file?");
      }
      throw new SyntaxError(0, e.getMessage());
    }
  }

  /**
   * The composer builds nodes recursively and the readers walk them recursively, so thousands of
   * nested lists or mappings would overflow the stack (a StackOverflowError at connect, or in the
   * application after a reload). The event parser is not recursive: it measures the depth first.
   */
  private static void refuseDeepNesting(String text, LoadSettings settings) throws SyntaxError {
    int depth = 0;
    for (Iterator<Event> events = new Parse(settings).parseReader(new dev.iamguard.sql.ShortReadStringReader(text)).iterator(); events.hasNext(); ) {
      Event event = events.next();
      if (event instanceof CollectionStartEvent) {
        if (++depth > MAX_DEPTH) {
          throw new SyntaxError(event.getStartMark().map(m -> m.getLine() + 1).orElse(0), "lists and mappings nest"
              + " more than " + MAX_DEPTH + " levels deep; a registry or an IAM policy needs fewer than 10");
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
    }
  }

  /** The 1-based line where the node starts, 0 when the node carries no mark. */
  public static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  public static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  /** What a node is, in the words of a "expected a list, got a string" message. */
  public static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return "no value";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "a number";
    }
    if (Tag.BOOL.equals(tag)) {
      return "a boolean";
    }
    return "a string";
  }
}
