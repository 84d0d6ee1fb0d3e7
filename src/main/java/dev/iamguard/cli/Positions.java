package dev.iamguard.cli;

import dev.iamguard.sql.SqlStatement;

/** Line and column of offsets inside a statement, counted from the statement's own position. */
final class Positions {
  private Positions() {}

  /** 1-based line and column of {@code offset}, an offset into the statement's source. */
  static int[] lineAndColumn(SqlStatement statement, int offset) {
    String source = statement.source();
    int line = statement.line();
    int column = statement.column();
    int end = Math.min(offset, source.length());
    for (int p = statement.start(); p < end; p++) {
      if (source.charAt(p) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
