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
}
