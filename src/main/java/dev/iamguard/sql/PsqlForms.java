package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What psql does to a script before the server reads it, where iamguard must read as psql does
 * (the command line reads scripts that pipelines run with {@code psql -f}). A backslash outside
 * literals, quoted names and comments starts a meta-command whose argument is the rest of its
 * line: a quote, comment or dollar quote there opens nothing, so a COPY on the next line is sent,
 * while the server's reading (iamguard's) would find it inside a literal. And {@code :name} is a
 * variable whose value psql puts into the statement as text, so what runs is not in the script.
 *
 * <p>Meta-command lines before a statement's first token are dropped, as psql drops them, when
 * iamguard's reading of the line ends with the line; every other form is a {@link Problem}, so the
 * statement is denied rather than misread (and reported as written, meta-command lines included):
 * a meta-command line whose quote, comment, dollar quote or {@code ;} reaches past the line in
 * iamguard's reading, or that holds another backslash, a meta-command after a statement's
 * first token, a meta-command that runs SQL not written in the script ({@code \gexec}, {@code \i}
 * and its kin), a bare {@code :name}, and {@code \;} or {@code \:} (psql puts the char into the
 * statement: {@code \;COPY ...} is sent). {@code :'name'} and {@code :"name"} are not problems:
 * psql sends their value quoted, as a literal or a name, which cannot change the statement.
 */
final class PsqlForms {
  /** Meta-commands that run SQL the script does not hold: a query's result cells, another file. */
  private static final Set<String> RUN_UNWRITTEN = Set.of("gexec", "i", "ir", "include", "include_relative");

  private PsqlForms() {}

  /**
   * How psql reads a statement: {@code sqlFirst} is its first token once the leading meta-command
   * lines are dropped ({@code to} when nothing is left), and what cannot be read as psql reads it.
   */
  record Reading(int sqlFirst, List<Problem> problems) {}

  /**
   * True when the {@code :} at {@code p} is a bare psql variable: a name's char follows, and it is
   * neither part of {@code ::} nor a form psql keeps ({@code :=}).
   */
  static boolean isVariable(String sql, int p, int from, int length) {
    if (p + 1 >= length || p > from && sql.charAt(p - 1) == ':') {
      return false;
    }
    char next = sql.charAt(p + 1);
    return next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z' || next >= '0' && next <= '9' || next == '_'
        || next >= 0x80;
  }

  /** Reads tokens {@code [first, to)} of {@code t}, one statement, as psql reads them. */
  static Reading read(String sql, Tokens t, int first, int to) {
    List<Problem> problems = new ArrayList<>(0);
    int k = first;
    while (k < to && isBackslash(t, k)) { // leading meta-command lines
      int b = t.start(k);
      if (forcesChar(sql, b)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql reads '" + sql.substring(b, b + 2) + "' as a '"
            + sql.charAt(b + 1) + "' in the statement, not as a meta-command: the statement psql sends holds "
            + "what follows on the line; write the character without the backslash"));
        return new Reading(first, problems);
      }
      int lineEnd = lineEnd(sql, b);
      runsUnwritten(sql, b, problems);
      int lastEnd = b + 1;
      while (k < to && t.start(k) < lineEnd) {
        lastEnd = t.end(k);
        if (t.end(k) > lineEnd) {
          problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
              + ") takes the rest of its line as its argument, but a quote, dollar quote or comment on that "
              + "line runs on past it in the server's reading: psql and the server read what follows "
              + "differently; close it on the meta-command's line"));
        }
        k++;
      }
      int other = sql.indexOf('\\', b + 1);
      if (other >= 0 && other < lineEnd) { // in a token or a comment of the server's reading alike
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
            + ") with another backslash on its line: psql may end the command there ('\\\\' separates it "
            + "from SQL that follows on the line); put each meta-command on a line of its own"));
      }
      crossesLine(sql, b, Math.min(lastEnd, lineEnd), lineEnd, problems);
    }
    if (!problems.isEmpty()) {
      return new Reading(first, problems); // the reading after a misread line is no guide: reported as written
    }
    int sqlFirst = k;
    for (; k < to; k++) {
      if (isBackslash(t, k)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, t.start(k), "a psql meta-command (" + name(sql, t.start(k))
            + ") inside a statement: psql runs it, or sends the statement, where the server's reading "
            + "goes on; end the statement with ';' before it"));
        runsUnwritten(sql, t.start(k), problems);
      } else if (t.kind(k) == TokenKind.OPERATOR && sql.charAt(t.start(k)) == ':'
          && isVariable(sql, t.start(k), 0, sql.length())) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, t.start(k), "a psql variable (:"
            + variableName(sql, t.start(k) + 1) + "): psql puts its value into the statement as text, so what "
            + "runs is not in the script; write :'name' for a value, which psql sends as a literal"));
      }
    }
    return new Reading(sqlFirst, problems);
  }

  /**
   * Adds a problem when the meta-command's line holds {@code /*} (a comment the server's reading
   * opens and psql does not), or, after its last token, a {@code ;} followed by more than blanks
   * (the rest of the line starts the next statement in the server's reading, but is the argument
   * to psql).
   */
  private static void crossesLine(String sql, int b, int lastEnd, int lineEnd, List<Problem> problems) {
    if (sql.substring(b, lineEnd).contains("/*")) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
          + ") holds '/*' in its argument: the server's reading opens a comment there that psql does not"));
      return;
    }
    int p = blanks(sql, lastEnd, lineEnd);
    if (p < lineEnd && sql.charAt(p) == ';' && blanks(sql, p + 1, lineEnd) < lineEnd) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
          + ") holds ';' in its argument: psql reads the rest of the line as the argument, the server's reading "
          + "as the next statement; end the line after the meta-command"));
    }
  }

  private static int blanks(String sql, int p, int end) {
    while (p < end && Lexer.isWhitespace(sql.charAt(p))) {
      p++;
    }
    return p;
  }

  private static void runsUnwritten(String sql, int b, List<Problem> problems) {
    String name = name(sql, b);
    if (RUN_UNWRITTEN.contains(name.substring(1))) { // \include_relative, the longest, is printed whole
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql's " + name + " runs SQL that the script does "
          + "not hold (the cells of a query's result, or another file): iamguard cannot check it; write the "
          + "statements out, or check the included file itself"));
    }
  }

  /** True for psql's {@code \;} and {@code \:}, which put the char into the statement instead of starting a meta-command. */
  private static boolean forcesChar(String sql, int b) {
    return b + 1 < sql.length() && (sql.charAt(b + 1) == ';' || sql.charAt(b + 1) == ':');
  }

  private static boolean isBackslash(Tokens t, int k) {
    return t.kind(k) == TokenKind.OPERATOR && t.source().charAt(t.start(k)) == '\\';
  }

  /** The meta-command's name with its backslash, as {@link #printable} prints it. */
  private static String name(String sql, int b) {
    return "\\" + printable(sql, b + 1);
  }

  private static String variableName(String sql, int p) {
    return printable(sql, p);
  }

  /** Names as long as psql's own (16 chars at most): a longer run may be a key, which no message prints. */
  private static final int PRINTED = 16;

  /** The run of letters, digits and {@code _} at {@code p}; {@code ...} for one longer than {@value #PRINTED}. */
  private static String printable(String sql, int p) {
    int q = p;
    while (q < sql.length() && q <= p + PRINTED && (Character.isLetterOrDigit(sql.charAt(q)) || sql.charAt(q) == '_')) {
      q++;
    }
    return q - p > PRINTED ? "..." : sql.substring(p, q);
  }

  /**
   * {@code sql} with the line of every meta-command {@code t} shows (from its backslash to the line
   * end) replaced by spaces: the text as psql sends it, at the same offsets. {@code sql} itself when
   * there is none.
   */
  static String blankMetaCommandLines(String sql, Tokens t) {
    char[] text = null;
    int blankedTo = -1;
    for (int k = 0; k < t.count(); k++) {
      if (t.start(k) >= blankedTo && isBackslash(t, k) && !forcesChar(sql, t.start(k))) {
        text = text == null ? sql.toCharArray() : text;
        blankedTo = lineEnd(sql, t.start(k));
        java.util.Arrays.fill(text, t.start(k), blankedTo, ' ');
      }
    }
    return text == null ? sql : new String(text);
  }

  /** The offset of the line end after {@code p} (a {@code \n} or {@code \r}), or the text's end. */
  static int lineEnd(String sql, int p) {
    for (int q = p; q < sql.length(); q++) {
      char c = sql.charAt(q);
      if (c == '\n' || c == '\r') {
        return q;
      }
    }
    return sql.length();
  }
}
