package dev.iamguard.sql;

/**
 * Line and column of offsets in a text, asked in increasing order: each call counts newlines only
 * from where the previous one stopped, so positions over a whole script cost one pass.
 */
final class Positions {
  private final String source;
  private int line;
  private int lineStart;
  private int scanned;

  /** Counting starts at offset {@code origin[2]}, which stands at line {@code origin[0]}, column {@code origin[1]}. */
  Positions(String source, int[] origin) {
    this.source = source;
    this.line = origin[0];
    this.lineStart = origin[2] - origin[1] + 1;
    this.scanned = origin[2];
  }

  /** {line, column} of {@code offset}, which must not lie before the previous one asked. */
  int[] at(int offset) {
    while (scanned < offset) {
      int newline = source.indexOf('\n', scanned); // intrinsic: far faster than a charAt loop
      if (newline < 0 || newline >= offset) {
        scanned = offset;
        break;
      }
      line++;
      lineStart = newline + 1;
      scanned = newline + 1;
    }
    return new int[] {line, offset - lineStart + 1};
  }
}
