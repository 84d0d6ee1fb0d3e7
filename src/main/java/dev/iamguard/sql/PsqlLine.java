package dev.iamguard.sql;

/**
 * What {@link PsqlForms} asks about the line a meta-command stands on (where it ends, whether it
 * holds {@code /*}, {@code |}, {@code :} or a backquote after an offset), found with one pass over
 * the line and kept for later questions about the same line: a line holding thousands of
 * {@code \g} (each ending a statement whose leading line it is) was read once per statement, which
 * made such a script quadratic.
 */
final class PsqlLine {
  private final String sql;
  /** The first offset of the line asked about, and the line's end; the facts cover {@code [from, end)}. */
  private int from = Integer.MAX_VALUE;
  private int end = -1;
  private int lastComment = -1;
  private int lastPipe = -1;
  private int lastColon = -1;
  private int lastBackquote = -1;

  PsqlLine(String sql) {
    this.sql = sql;
  }

  /** The line end after {@code p} ({@link PsqlForms#lineEnd}). */
  int end(int p) {
    at(p);
    return end;
  }

  /** True when {@code /*} starts at or after {@code p} on its line. */
  boolean holdsComment(int p) {
    at(p);
    return lastComment >= p;
  }

  /** True when {@code |} or {@code :} stands at or after {@code p} on its line. */
  boolean holdsPipeOrColon(int p) {
    at(p);
    return lastPipe >= p || lastColon >= p;
  }

  /** True when a backquote stands at or after {@code p} on its line. */
  boolean holdsBackquote(int p) {
    at(p);
    return lastBackquote >= p;
  }

  private void at(int p) {
    if (p >= from && p < end) {
      return;
    }
    from = p;
    end = PsqlForms.lineEnd(sql, p);
    lastComment = lastPipe = lastColon = lastBackquote = -1;
    for (int i = p; i < end; i++) {
      char c = sql.charAt(i);
      if (c == '/' && i + 1 < end && sql.charAt(i + 1) == '*') {
        lastComment = i;
      } else if (c == '|') {
        lastPipe = i;
      } else if (c == ':') {
        lastColon = i;
      } else if (c == '`') {
        lastBackquote = i;
      }
    }
  }
}
