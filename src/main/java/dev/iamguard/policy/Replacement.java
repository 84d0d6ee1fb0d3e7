package dev.iamguard.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A rewrite: the bytes {@code [start, end)} of a source text replaced by {@code text}. Rewrites
 * only ever replace an auth clause's value; every other byte stays as written.
 */
public record Replacement(int start, int end, String text) {

  /** {@code source[from, to)} with the replacements that fall inside it applied. */
  public static String apply(String source, int from, int to, List<Replacement> replacements) {
    if (replacements.isEmpty()) {
      return source.substring(from, to);
    }
    List<Replacement> inside = new ArrayList<>(replacements.size());
    for (Replacement r : replacements) {
      if (r.start >= from && r.end <= to) {
        inside.add(r);
      }
    }
    if (inside.size() > 1) {
      inside.sort(Comparator.comparingInt(Replacement::start));
    }
    int capacity = to - from;
    for (Replacement r : inside) {
      capacity += r.text.length() - (r.end - r.start);
    }
    StringBuilder out = new StringBuilder(Math.max(capacity, 16));
    int at = from;
    for (Replacement r : inside) {
      out.append(source, at, r.start).append(r.text);
      at = r.end;
    }
    return out.append(source, at, to).toString();
  }
}
