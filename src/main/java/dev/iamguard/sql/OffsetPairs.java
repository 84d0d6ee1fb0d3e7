package dev.iamguard.sql;

/** Offsets kept as flat {@code [start, end)} pairs, sorted and apart: comments, literal gaps. */
final class OffsetPairs {
  private OffsetPairs() {}

  /** Whether {@code offset} lies in one of the {@code [start, end)} pairs of {@code pairs}, in order and apart. */
  static boolean contains(int[] pairs, int offset) {
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (pairs[2 * mid + 1] <= offset) {
        low = mid + 1;
      } else if (pairs[2 * mid] > offset) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
