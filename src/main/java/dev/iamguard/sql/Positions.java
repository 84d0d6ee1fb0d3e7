package dev.iamguard.sql;

/**
 * Line and column of offsets in a text, asked in increasing order: each call counts line ends only
 * from where the previous one stopped, so positions over a whole script cost one pass. A line ends
 * at LF, CRLF or a lone CR: Redshift's scanner (PostgreSQL's {@code newline [\n\r]}) ends a
 * {@code --} comment and continues a literal at either, and editors show a lone CR as a line break,
 * so a file saved with old Mac line ends is reported on the lines a reader sees.
 */
final class Positions {
  private final String source;
  private int line;
  private int lineStart;
  private int scanned;
  /**
   * The next LF and CR at or after {@link #scanned}: -1 when there is none, -2 before it was looked
   * for. Kept between calls, so many offsets on one long line (a one-line script, a procedure body
   * of thousands of EXECUTEs) do not search the rest of that line again each time.
   */
  private int nextLf = -2;
  private int nextCr = -2;

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
      if (nextLf == -2 || nextLf >= 0 && nextLf < scanned) {
        nextLf = source.indexOf('\n', scanned); // intrinsic: far faster than a charAt loop
      }
      int end = nextLf;
      if (nextCr == -2 || nextCr >= 0 && nextCr < scanned) {
        nextCr = source.indexOf('\r', scanned);
      }
      if (nextCr >= 0 && (end < 0 || nextCr + 1 < end)) {
        end = nextCr; // a lone CR (a CR before the LF is one line end with it: then end is that LF)
      }
      if (end < 0 || end >= offset) {
        scanned = offset;
        break;
      }
      line++;
      lineStart = end + 1;
      scanned = end + 1;
    }
    return new int[] {line, offset - lineStart + 1};
  }
}
