package dev.iamguard.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A unified diff ({@code diff -u}, three lines of context) of one file and its rewrite, written as
 * the file streams by: the text comes as segments, unchanged ones and rewritten ones (old and new
 * text), and a hunk is written as soon as three unchanged lines follow its last change. Memory
 * holds the open hunk and three lines of context, never the file.
 */
final class UnifiedDiff {
  private static final int CONTEXT = 3;

  /** One line and whether a newline ends it (the file's last line may have none). */
  private record Line(String text, boolean newline) {}

  private final String name;
  private final Appendable out;
  private final StringBuilder oldLine = new StringBuilder();
  private final StringBuilder newLine = new StringBuilder();
  /** True when the current line holds a change. */
  private boolean dirty;
  /** The lines of the current change: old and new. */
  private final List<Line> removed = new ArrayList<>();
  private final List<Line> added = new ArrayList<>();
  /** Unchanged lines since the last change (or the last few, when no hunk is open). */
  private final Deque<Line> clean = new ArrayDeque<>();
  /** The open hunk's lines, each with its prefix; null when none is open. */
  private StringBuilder hunk;
  private int hunkOldStart;
  private int hunkNewStart;
  private int hunkOldCount;
  private int hunkNewCount;
  /** Lines of the old and new text completed so far. */
  private int oldLines;
  private int newLines;
  private boolean headerWritten;

  UnifiedDiff(String name, Appendable out) {
    this.name = name;
    this.out = out;
  }

  /** True once the file differed somewhere. */
  boolean changed() {
    return headerWritten;
  }

  /** Text that is the same in the file and its rewrite. */
  void same(CharSequence text) {
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        oldLine.append(text, from, i);
        newLine.append(text, from, i);
        endLine(true);
        from = i + 1;
      }
    }
    oldLine.append(text, from, text.length());
    newLine.append(text, from, text.length());
  }

  /** Text of the file ({@code before}) that the rewrite replaces with {@code after}. */
  void changed(CharSequence before, CharSequence after) {
    if (before.toString().contentEquals(after)) {
      same(before);
      return;
    }
    dirty = true;
    split(before, oldLine, removed);
    split(after, newLine, added);
  }

  private static void split(CharSequence text, StringBuilder line, List<Line> done) {
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line.append(text, from, i);
        done.add(new Line(line.toString(), true));
        line.setLength(0);
        from = i + 1;
      }
    }
    line.append(text, from, text.length());
  }

  private void endLine(boolean newline) {
    if (dirty) {
      removed.add(new Line(oldLine.toString(), newline));
      added.add(new Line(newLine.toString(), newline));
      dirty = false;
    } else {
      Line line = new Line(oldLine.toString(), newline);
      if (!removed.isEmpty() || !added.isEmpty()) {
        change();
      }
      clean.addLast(line);
      oldLines++;
      newLines++;
      if (hunk == null && clean.size() > CONTEXT) {
        clean.removeFirst();
      } else if (hunk != null && clean.size() > 2 * CONTEXT) {
        closeHunk();
      }
    }
    oldLine.setLength(0);
    newLine.setLength(0);
  }

  /** A change has ended: it joins the open hunk (or opens one after the context before it). */
  private void change() {
    if (hunk == null) {
      hunk = new StringBuilder();
      hunkOldStart = oldLines - clean.size() + 1;
      hunkNewStart = newLines - clean.size() + 1;
      hunkOldCount = 0;
      hunkNewCount = 0;
    }
    while (!clean.isEmpty()) {
      context(clean.removeFirst());
    }
    for (Line line : removed) {
      line('-', line);
      hunkOldCount++;
    }
    for (Line line : added) {
      line('+', line);
      hunkNewCount++;
    }
    oldLines += removed.size();
    newLines += added.size();
    removed.clear();
    added.clear();
  }

  private void context(Line line) {
    line(' ', line);
    hunkOldCount++;
    hunkNewCount++;
  }

  private void line(char prefix, Line line) {
    hunk.append(prefix).append(line.text()).append('\n');
    if (!line.newline()) {
      hunk.append("\\ No newline at end of file\n");
    }
  }

  /** Writes the open hunk with up to three lines of context after its last change; the rest stay as context before. */
  private void closeHunk() {
    for (int i = 0; i < CONTEXT && !clean.isEmpty(); i++) {
      context(clean.removeFirst());
    }
    if (!headerWritten) {
      String path = name.startsWith("/") ? name.substring(1) : name; // a/tmp/x.sql: patch -p1 from /
      Output.append(out, "--- " + headerName("a/" + path) + "\n+++ " + headerName("b/" + path) + "\n");
      headerWritten = true;
    }
    Output.append(out, "@@ -" + range(hunkOldStart, hunkOldCount) + " +" + range(hunkNewStart, hunkNewCount) + " @@\n");
    Output.append(out, hunk);
    hunk = null;
    while (clean.size() > CONTEXT) {
      clean.removeFirst();
    }
  }

  /**
   * A file name as a header line holds it for {@code patch}: as written; ended by a tab when it
   * holds a space (patch reads a name up to white space otherwise, as after GNU diff's name and
   * time); quoted as git quotes it ({@code "a/tab\tx.sql"}) when it holds a quote, a backslash or a
   * control character such as a tab or a line break, which would end the name or the line (probe
   * 22b F4: a name with a space or a tab was not applied, one with a line break split the header).
   */
  static String headerName(String name) {
    boolean quote = false;
    for (int i = 0; i < name.length() && !quote; i++) {
      char c = name.charAt(i);
      quote = c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
    }
    if (!quote) {
      return name.indexOf(' ') >= 0 ? name + "\t" : name;
    }
    StringBuilder quoted = new StringBuilder(name.length() + 8).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\t' -> quoted.append("\\t");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            quoted.append(String.format(Locale.ROOT, "\\%03o", (int) c)); // octal, as git and patch read it
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  private static String range(int start, int count) {
    return count == 1 ? String.valueOf(start) : start + "," + count;
  }

  /** The end of the file: completes its last line and writes the last hunk. */
  void finish() {
    if (oldLine.length() > 0 || newLine.length() > 0 || dirty) {
      endLine(false);
    }
    if (!removed.isEmpty() || !added.isEmpty()) {
      change();
    }
    if (hunk != null) {
      closeHunk();
    }
  }
}
