package dev.iamguard.policy;

import java.util.Comparator;
import java.util.List;

/**
 * A rewrite: the bytes {@code [start, end)} of a source text replaced by {@code text}. Rewrites
 * only ever replace an auth clause's value; every other byte stays as written.
 */
record Replacement(int start, int end, String text) {

  /** {@code source[from, to)} with the replacements that fall inside it applied. */
  static String apply(String source, int from, int to, List<Replacement> replacements) {
    if (replacements.isEmpty()) {
      return source.substring(from, to);
    }
    List<Replacement> sorted = replacements.stream()
        .filter(r -> r.start >= from && r.end <= to)
        .sorted(Comparator.comparingInt(Replacement::start))
        .toList();
    StringBuilder out = new StringBuilder(to - from + 64);
    int at = from;
    for (Replacement r : sorted) {
      out.append(source, at, r.start).append(r.text);
      at = r.end;
    }
    return out.append(source, at, to).toString();
  }
}
