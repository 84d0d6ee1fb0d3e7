package dev.iamguard.sql;

/**
 * A range of source offsets, {@code start} inclusive, {@code end} exclusive.
 *
 * @param start first offset
 * @param end offset after the last character
 */
public record Span(int start, int end) {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span " + start + ".." + end);
    }
  }

  /** Number of characters covered. */
  public int length() {
    return end - start;
  }

  /** True when {@code offset} lies inside this span. */
  public boolean contains(int offset) {
    return offset >= start && offset < end;
  }

  /** {@code text} with each of {@code spans} (in order, not overlapping) replaced by {@code mask}. */
  static String masked(String text, java.util.List<Span> spans, String mask) {
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (Span span : spans) {
      out.append(text, copied, span.start()).append(mask);
      copied = span.end();
    }
    return out.append(text, copied, text.length()).toString();
  }
}
