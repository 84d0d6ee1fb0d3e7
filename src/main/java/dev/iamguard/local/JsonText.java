package dev.iamguard.local;

import java.util.Locale;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** The one JSON writing helper of the package: string escaping, and composed nodes back to JSON. */
final class JsonText {
  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, quotes included. */
  static StringBuilder string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** Writes a node composed from JSON back as compact JSON (plain scalars as written). */
  static void writeNode(StringBuilder out, Node node) {
    if (node instanceof ScalarNode scalar) {
      if (scalar.getScalarStyle() == ScalarStyle.PLAIN) {
        out.append(scalar.getValue());
      } else {
        string(out, scalar.getValue());
      }
    } else if (node instanceof SequenceNode sequence) {
      out.append('[');
      for (int i = 0; i < sequence.getValue().size(); i++) {
        out.append(i == 0 ? "" : ",");
        writeNode(out, sequence.getValue().get(i));
      }
      out.append(']');
    } else if (node instanceof MappingNode mapping) {
      out.append('{');
      boolean first = true;
      for (NodeTuple tuple : mapping.getValue()) {
        out.append(first ? "" : ",");
        first = false;
        writeNode(out, tuple.getKeyNode());
        out.append(':');
        writeNode(out, tuple.getValueNode());
      }
      out.append('}');
    }
  }
}
