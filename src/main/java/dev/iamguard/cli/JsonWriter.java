package dev.iamguard.cli;

import dev.iamguard.sql.SecretText;
import java.util.Locale;

/**
 * A minimal streaming JSON writer for the CLI's reports. The project has no JSON library on its
 * classpath (the driver stays lean on other people's classpaths), and writing JSON takes only
 * correct string escaping and comma placement, which live here once.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(256);
  /** Whether every string value goes through {@link SecretText#masked} (names never do). */
  private final boolean masking;

  JsonWriter() {
    this(false);
  }

  private JsonWriter(boolean masking) {
    this.masking = masking;
  }

  /**
   * A writer whose every string value is masked as reports mask what users wrote: for documents
   * that quote the parsed model field by field (explain), where any field may hold what a user
   * pasted in the wrong place (probe 23d F4: a key pair as a role, a region, a session user).
   */
  static JsonWriter masking() {
    return new JsonWriter(true);
  }
  /** One flag per open container: true once it holds a value, so the next one needs a comma. */
  private boolean[] filled = new boolean[16];
  private int depth;
  private boolean afterName;

  JsonWriter beginObject() {
    value();
    out.append('{');
    push();
    return this;
  }

  JsonWriter endObject() {
    depth--;
    out.append('}');
    return this;
  }

  JsonWriter beginArray() {
    value();
    out.append('[');
    push();
    return this;
  }

  JsonWriter endArray() {
    depth--;
    out.append(']');
    return this;
  }

  JsonWriter name(String name) {
    value();
    string(name);
    out.append(':');
    afterName = true;
    return this;
  }

  JsonWriter value(String value) {
    value();
    if (value == null) {
      out.append("null");
    } else {
      string(masking ? SecretText.masked(value) : value);
    }
    return this;
  }

  JsonWriter value(long value) {
    value();
    out.append(value);
    return this;
  }

  JsonWriter value(boolean value) {
    value();
    out.append(value);
    return this;
  }

  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  JsonWriter stringArray(String name, Iterable<String> values) {
    name(name).beginArray();
    for (String value : values) {
      value(value);
    }
    return endArray();
  }

  /** Writes a tree of maps (string keys, in their order), collections, strings, numbers and booleans. */
  JsonWriter tree(Object value) {
    if (value instanceof java.util.Map<?, ?> map) {
      beginObject();
      map.forEach((key, item) -> name(String.valueOf(key)).tree(item));
      return endObject();
    }
    if (value instanceof Iterable<?> items) {
      beginArray();
      items.forEach(this::tree);
      return endArray();
    }
    if (value instanceof Boolean flag) {
      return value(flag.booleanValue());
    }
    if (value instanceof Number number) {
      return value(number.longValue());
    }
    return value(value == null ? null : String.valueOf(value));
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * Appends what was written so far to {@code target} and forgets it; the writer goes on where it
   * stood (open containers, commas), so a report is written as it is built.
   */
  void drainTo(Appendable target) {
    try {
      target.append(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.setLength(0);
  }

  /** Writes the comma that separates a value from the one before it in the open container. */
  JsonWriter separator() {
    value();
    return this;
  }

  private void push() {
    if (depth == filled.length) {
      filled = java.util.Arrays.copyOf(filled, depth * 2);
    }
    filled[depth++] = false;
  }

  /** Writes the comma a new value or name needs, unless it follows its name. */
  private void value() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (filled[depth - 1]) {
        out.append(',');
      }
      filled[depth - 1] = true;
    }
  }

  /** Characters of a drained string escaped at a time (see {@link #fieldDrained}). */
  private static final int SLICE = 1 << 16;

  /**
   * Writes field {@code name} with string {@code value} to {@code target}, after what was written
   * before it, escaping and appending a slice of the value at a time: a statement's text may be as
   * large as the script, and the report holds no escaped copy of it (probe 24a F2: check --format
   * json of a 40 MB statement ran out of memory in 256 MB, text and SARIF did not).
   */
  JsonWriter fieldDrained(String name, String value, Appendable target) {
    name(name);
    value();
    String s = masking ? SecretText.masked(value) : value;
    out.append('"');
    for (int from = 0, to; from < s.length(); from = to) {
      to = Math.min(s.length(), from + SLICE);
      if (to < s.length() && Character.isHighSurrogate(s.charAt(to - 1))) {
        to++; // a surrogate pair stays in one slice
      }
      escape(s, from, to);
      drainTo(target);
    }
    out.append('"');
    return this;
  }

  private void string(String s) {
    out.append('"');
    escape(s, 0, s.length());
    out.append('"');
  }

  /** Appends {@code s[from, to)} escaped as the inside of a JSON string. */
  private void escape(String s, int from, int to) {
    int plain = from;
    while (plain < to && s.charAt(plain) >= 0x20 && s.charAt(plain) != '"' && s.charAt(plain) != '\\'
        && s.charAt(plain) != 0x2028 && s.charAt(plain) != 0x2029) {
      plain++;
    }
    if (plain == to) { // the usual case: nothing to escape, appended in one copy
      out.append(s, from, to);
      return;
    }
    out.append(s, from, plain);
    for (int i = plain; i < to; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
