package dev.iamguard.local;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Matches a JSON object's keys to the columns COPY loads, as {@code JSON 'auto'} does: exactly
 * against the lower-case Redshift name of a column, or in any case with {@code 'auto ignorecase'};
 * other keys are ignored and missing ones load NULL. Scalars keep their JSON text, nested objects
 * and arrays load as JSON text.
 */
final class JsonColumns {
  private final Map<String, Integer> index = new HashMap<>();
  private final boolean ignoreCase;
  private final int columns;

  JsonColumns(List<TargetColumn> targetColumns, boolean ignoreCase) {
    this.ignoreCase = ignoreCase;
    this.columns = targetColumns.size();
    for (int i = 0; i < columns; i++) {
      String label = targetColumns.get(i).label();
      index.putIfAbsent(ignoreCase ? label.toLowerCase(Locale.ROOT) : label, i);
    }
  }

  /** The object's fields aligned to the columns. */
  String[] row(MappingNode object) {
    String[] fields = new String[columns];
    for (NodeTuple tuple : object.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        Integer at = index.get(ignoreCase ? key.getValue().toLowerCase(Locale.ROOT) : key.getValue());
        if (at != null) {
          fields[at] = value(tuple.getValueNode());
        }
      }
    }
    return fields;
  }

  /** A scalar's text (null for JSON null), or a nested value written back as JSON. */
  private static String value(Node node) {
    if (node instanceof ScalarNode scalar) {
      boolean plain = scalar.getScalarStyle() == ScalarStyle.PLAIN;
      return plain && scalar.getValue().equals("null") ? null : scalar.getValue();
    }
    StringBuilder json = new StringBuilder();
    JsonText.writeNode(json, node);
    return json.toString();
  }
}
