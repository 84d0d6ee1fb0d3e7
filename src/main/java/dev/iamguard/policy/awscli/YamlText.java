package dev.iamguard.policy.awscli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes maps, lists and scalars as block YAML, one value a line, in the order given, so that the
 * same input always gives the same bytes and a change shows as the lines it changes. A string is
 * written plain when YAML reads it back as the same string, else double-quoted.
 */
final class YamlText {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/$]([A-Za-z0-9_./:@+=,$*?{}() -]*[A-Za-z0-9_./@+=,$*?{}()-])?");
  /** YAML 1.2 (what the loader reads) gives these another type; YAML 1.1 words (yes, on) are quoted too, for older tools. */
  private static final List<String> RESERVED = List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n");
  /** Keys the registry itself uses are never YAML 1.1 booleans to the loader. */
  private static final List<String> REGISTRY_KEYS = List.of("on");

  private YamlText() {}

  /** The YAML of {@code value} (a map at the top). */
  static String write(Map<String, ?> value) {
    StringBuilder out = new StringBuilder();
    mappingAfterIndent(value, 0, out);
    return out.toString();
  }

  private static void value(Object value, int indent, StringBuilder out) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      out.append('\n');
      out.append(" ".repeat(indent + 2));
      mappingAfterIndent(map, indent + 2, out);
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      out.append('\n');
      for (Object item : list) {
        out.append(" ".repeat(indent + 2)).append("- ");
        if (item instanceof Map<?, ?> map && !map.isEmpty()) {
          mappingAfterIndent(map, indent + 4, out);
        } else if (item instanceof List<?> inner && !inner.isEmpty()) {
          throw new IllegalArgumentException("a list directly inside a list is not written");
        } else {
          out.append(inline(item)).append('\n');
        }
      }
    } else {
      out.append(' ').append(inline(value)).append('\n');
    }
  }

  /** A mapping whose first key goes where the cursor is (after "- " or an indent already written). */
  private static void mappingAfterIndent(Map<?, ?> map, int indent, StringBuilder out) {
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!first) {
        out.append(" ".repeat(indent));
      }
      first = false;
      String key = String.valueOf(entry.getKey());
      out.append(REGISTRY_KEYS.contains(key) ? key : scalar(key)).append(':');
      value(entry.getValue(), indent, out);
    }
  }

  private static String inline(Object value) {
    if (value instanceof Map<?, ?> map && map.isEmpty()) {
      return "{}";
    }
    if (value instanceof List<?> list && list.isEmpty()) {
      return "[]";
    }
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean || value instanceof Number) {
      return value.toString();
    }
    return scalar(value.toString());
  }

  /** A string as a plain scalar when that reads back as the same string, else double-quoted. */
  static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(Locale.ROOT))
        && !text.contains(": ") && !text.contains(" #") && !text.contains("  ")) {
      return text;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        case '\r' -> quoted.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
            quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
