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
  private static final Set<String> RUN_UNWRITTEN = Set.of("gexec", "i", "ir", "include", "include_relative",
      "copy", "!", "e", "edit", "ef", "ev", "setenv");
  /**
   * Meta-commands whose argument may be a shell command ({@code |cmd}), which may run anything: also
   * after options ({@code \g (format=csv) |cmd}), quoted ({@code '|cmd'}) or from a variable
   * ({@code :out}), so any {@code |} or {@code :} in their argument is a problem.
   */
  private static final Set<String> PIPES = Set.of("o", "out", "g", "gx", "w", "write", "gset");
  /**
   * Meta-commands that send the query buffer (or, {@code \gdesc}, describe it) and empty it: they
   * end a statement as {@code ;} does. A described statement is checked as if it ran.
   */
  private static final Set<String> SENDS = Set.of("g", "gx", "gset", "gdesc", "crosstabview", "watch", "gexec");
  /** psql's own meta-commands, printed by name in problems; any other name is printed as {@code \...}. */
  private static final Set<String> KNOWN = Set.of("a", "bind", "c", "connect", "C", "cd", "conninfo", "copy",
      "copyright", "crosstabview", "d", "dt", "echo", "edit", "e", "ef", "encoding", "errverbose", "ev", "f", "g",
      "gdesc", "getenv", "gexec", "gset", "gx", "h", "help", "H", "html", "i", "include", "if", "elif", "else",
      "endif", "ir", "include_relative", "l", "list", "lo_export", "lo_import", "o", "out", "p", "print",
      "password", "prompt", "pset", "q", "quit", "qecho", "r", "reset", "s", "set", "setenv", "sf", "sv", "t",
      "T", "timing", "unset", "w", "write", "warn", "watch", "x", "z", "!", "?");

  private PsqlForms() {}

  /**
   * How psql reads a statement: {@code sqlFirst} is its first token once the leading meta-command
   * lines are dropped ({@code to} when nothing is left), and what cannot be read as psql reads it.
   * With problems, the statement is reported from its first line; its command is still read from
   * {@code sqlFirst}.
   */
  record Reading(int sqlFirst, List<Problem> problems, int interpolation, int leading, Problem after,
      boolean switchesUser, int afterStart, int leadingEnd) {
    Reading(int sqlFirst, List<Problem> problems) {
      this(sqlFirst, problems, -1, 0, null, false, -1, sqlFirst);
    }

    /**
     * The problems of the leading meta-command lines when they stand apart from the SQL after them
     * (each line read as psql and the server both read it, only its command is one the guard
     * cannot vouch for): the lines are then a statement of their own, so that a suppression of
     * their problem cannot accept the statement after them. Empty otherwise.
     */
    List<Problem> leadingProblems() {
      return problems.subList(0, leading);
    }

    /**
     * This reading without the leading lines' problems ({@link #leadingProblems}), with {@code
     * after} when a leading line ran on into the SQL in the server's reading (its statement is then
     * read as written from there, and denied: the line's suppression must not accept it).
     */
    Reading withoutLeading() {
      if (leading == 0) {
        return this;
      }
      List<Problem> rest = CompactProblems.joined(after == null ? List.of() : List.of(after),
          problems.subList(leading, problems.size()));
      return new Reading(sqlFirst, rest, interpolation, 0, null, false, -1, sqlFirst);
    }

    /**
     * The problems of the statement read, with one more when it is auth-carrying ({@code command})
     * and holds a quoted psql variable: its value, a literal or a name, may be the role, key or S3
     * location, which the script does not hold.
     */
    List<Problem> problemsOf(RedshiftCommand command) {
      if (interpolation < 0 || !command.needsInspection()) {
        return problems;
      }
      return CompactProblems.joined(problems, List.of(new Problem(Problem.Kind.UNPARSEABLE, interpolation,
          "a psql variable (:'name' or :\"name\") in an auth-carrying statement: psql puts its value there, which may"
          + " be the role, key or S3 location, so what runs is not in the script; write the value out")));
    }
  }

  /**
   * True when the {@code :} at {@code p} is a bare psql variable: a name's char follows, and it is
   * neither part of {@code ::} nor a form psql keeps ({@code :=}).
   */
  static boolean isVariable(String sql, int p, int from, int length) {
    if (p + 1 >= length) {
      return false;
    }
    char next = sql.charAt(p + 1);
    // the name char first: the colons before are counted only for a ':' a name follows, so a run of
    // colons is read once, not once per colon (the lexer asks this of every ':')
    return (variableChar(next) || next == '{' && isVariableTest(sql, p, length)) && !afterCast(sql, p, from);
  }

  /** A char of a psql variable's name (psqlscan.l's {@code variable_char}). */
  private static boolean variableChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80;
  }

  /**
   * True when {@code :{?name}} starts at the {@code :} at {@code p}: psql (10 and later) puts TRUE or
   * FALSE there, whether the variable is set, as text ({@code $:{?v}$} is sent as the dollar quote's
   * tag {@code $TRUE$}).
   */
  private static boolean isVariableTest(String sql, int p, int length) {
    if (p + 3 >= length || sql.charAt(p + 2) != '?' || !variableChar(sql.charAt(p + 3))) {
      return false;
    }
    int q = p + 4;
    while (q < length && variableChar(sql.charAt(q))) {
      q++;
    }
    return q < length && sql.charAt(q) == '}';
  }

  /** True when the {@code :} at {@code p} starts a psql interpolation: a bare variable, or {@code :'name'} or {@code :"name"}. */
  static boolean isInterpolation(String sql, int p, int from, int length) {
    if (p + 1 < length && (sql.charAt(p + 1) == '\'' || sql.charAt(p + 1) == '"')) {
      return !afterCast(sql, p, from);
    }
    return isVariable(sql, p, from, length);
  }

  /**
   * True when the {@code :} at {@code p} is the second of a {@code ::}: psql takes the pairs first,
   * left to right, so ":::v" is "::" and then the variable ":v" (an odd count of colons before it).
   */
  private static boolean afterCast(String sql, int p, int from) {
    int colons = 0;
    while (p - colons > from && sql.charAt(p - colons - 1) == ':') {
      colons++;
    }
    return colons % 2 == 1;
  }

  /**
   * True when a piece of a script scanned as {@code found} may hold a psql form: a backslash outside
   * literals or an interpolation, a literal with a backslash before a meta-command that runs what the
   * script does not hold ({@link #hiddenMetaCommand}), or a NUL character. The others are read as the
   * scan read them, without parsing every statement (a piece of escapes is not parsed whole).
   */
  static boolean mayHold(String sql, Lexer.Statements found) {
    if (found.psqlForms || sql.indexOf('\0') >= 0) {
      return true;
    }
    if (!found.backslashInLiteral) {
      return false;
    }
    for (int b = sql.indexOf('\\'); b >= 0; b = sql.indexOf('\\', b + 1)) {
      if (acts(command(sql, b))) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when token {@code k} of {@code t} is a meta-command that sends the statement before it
   * ({@link #SENDS}, as {@code select 1 \gset}): psql's statement ends there, while the server's
   * reading runs on to the next {@code ;}. Its line is read as a leading meta-command line of the
   * statement after it, with every check of such a line ({@code \g |cmd} runs a shell command).
   */
  static boolean endsStatement(Tokens t, int k) {
    if (!isBackslash(t, k)) {
      return false;
    }
    String sql = t.source();
    return !forcesChar(sql, t.start(k)) && SENDS.contains(psqlName(sql, t.start(k)));
  }

  /**
   * The meta-command's name as psql reads it (psqlscanslash.l): every char after the backslash up
   * to the server's whitespace (space, tab, newline, carriage return, form feed; not the vertical
   * tab) or the next backslash, so {@code \g-} and {@code \g¢} are unknown commands that send
   * nothing (the statement runs on), not {@code \g} (MetaCommandNameServerTest). At most 32 chars:
   * no name psql knows is longer. {@link #command}'s shorter run stays for the commands that act,
   * where reading a name psql does not know as the one it starts with only reports more.
   */
  private static String psqlName(String sql, int b) {
    int q = b + 1;
    while (q < sql.length() && q <= b + 32 && !Lexer.isWhitespace(sql.charAt(q)) && sql.charAt(q) != '\\') {
      q++;
    }
    return sql.substring(b + 1, q);
  }

  /** True for meta-commands that run what the script does not hold, or switch the user. */
  private static boolean acts(String command) {
    return RUN_UNWRITTEN.contains(command) || PIPES.contains(command) || command.equals("c")
        || command.equals("connect");
  }

  /**
   * Reads tokens {@code [first, to)} of {@code t}, one statement, as psql reads them; {@code nul} is
   * the first NUL character after the statement before, or -1 (the caller finds it with one search
   * for the whole text: a search per statement made a piece of many statements quadratic), and
   * {@code lines} the text's lines as read so far ({@link PsqlLine}: one per text, read in order).
   */
  static Reading read(String sql, Tokens t, int first, int to, int nul, PsqlLine lines) {
    List<Problem> problems = new CompactProblems();
    boolean misread = false; // a leading line whose reading runs into the SQL after it
    boolean switchesUser = false;
    int afterStart = -1; // where what psql sends after a misread line starts
    int leadingEnd = first;
    if (nul >= 0 && nul < t.end(to - 1)) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, Math.max(nul, t.start(first)), "a NUL character: psql "
          + "drops the rest of its line, so what it sends is not what the script shows"));
      return new Reading(first, problems);
    }
    int k = first;
    while (k < to && isBackslash(t, k)) { // leading meta-command lines
      int b = t.start(k);
      int problemsBefore = problems.size();
      if (forcesChar(sql, b)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql reads '" + sql.substring(b, b + 2) + "' as a '"
            + sql.charAt(b + 1) + "' in the statement, not as a meta-command: the statement psql sends holds "
            + "what follows on the line; write the character without the backslash"));
        return new Reading(first, problems);
      }
      int lineEnd = lines.end(b);
      runsUnwritten(sql, b, problems, lines);
      switchesUser |= connectsAs(sql, b, lineEnd);
      int lastEnd = b + 1;
      while (k < to && t.start(k) < lineEnd) {
        lastEnd = t.end(k);
        if (t.end(k) > lineEnd) {
          misread = true;
          afterStart = afterStart < 0 ? lineEnd + 1 : afterStart;
          problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
              + ") takes the rest of its line as its argument, but a quote, dollar quote or comment on that "
              + "line runs on past it in the server's reading: psql and the server read what follows "
              + "differently; close it on the meta-command's line"));
        }
        k++;
      }
      int other = sql.indexOf('\\', b + 1);
      if (other >= 0 && other < lineEnd) { // in a token or a comment of the server's reading alike
        // psql may send what follows it on the line ('\\'): read from there as a statement of its own
        misread = true;
        afterStart = afterStart < 0 ? other : afterStart;
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b)
            + ") with another backslash on its line: psql may end the command there ('\\\\' separates it "
            + "from SQL that follows on the line); put each meta-command on a line of its own"));
      }
      int before = problems.size();
      crossesLine(sql, b, Math.min(lastEnd, lineEnd), lineEnd, problems, lines);
      if (problems.size() > before) {
        misread = true;
        afterStart = afterStart < 0 ? lineEnd + 1 : afterStart;
      }
      if (problems.size() > problemsBefore) {
        leadingEnd = k; // the lines up to this one are the statement of the leading lines' problems
      }
    }
    if (misread) {
      // the reading after a misread line is no guide: the lines are a statement of their own, and
      // what follows them is reported as the server read it, denied
      int sqlStart = Math.min(afterStart, t.end(to - 1));
      return new Reading(k, problems, -1, problems.size(), sqlStart < t.end(to - 1)
          ? new Problem(Problem.Kind.UNPARSEABLE, sqlStart, "psql and the server read the meta-command line "
              + "before this text differently (a quote, dollar quote or comment left open on it, or a second "
              + "backslash, after which psql may send SQL): what psql sends from there is not read as psql "
              + "reads it; close it on the meta-command's line, and put each meta-command on a line of its own")
          : null, switchesUser, sqlStart, k);
    }
    int leading = problems.size();
    // After a leading line with a problem the statement is still read from the SQL the server
    // reads after it: a suppression of that line's problem must not accept what the statement does
    // (an UNLOAD after a '\copy' line is checked as an UNLOAD). The problems keep it denied.
    int sqlFirst = k;
    int interpolation = -1;
    int backslash = -2; // the next backslash at or after the literal looked at; -1: none; -2: not searched
    for (; k < to; k++) {
      if (isBackslash(t, k)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, t.start(k), "a psql meta-command (" + name(sql, t.start(k))
            + ") inside a statement: psql runs it, or sends the statement, where the server's reading "
            + "goes on; end the statement with ';' before it"));
        runsUnwritten(sql, t.start(k), problems, lines);
      } else if (t.kind(k) == TokenKind.OPERATOR && sql.charAt(t.start(k)) == ':'
          && isVariable(sql, t.start(k), 0, sql.length())) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, t.start(k), sql.charAt(t.start(k) + 1) == '{'
            ? "a psql variable test (:{?name}): psql puts TRUE or FALSE into the statement as text, so what runs "
                + "is not in the script; test variables in \\if lines only"
            : "a psql variable (:name): psql puts its value into the statement as text, so what runs is not in the "
                + "script; write :'name' for a value, which psql sends as a literal"));
      } else if (t.kind(k) == TokenKind.OPERATOR && sql.charAt(t.start(k)) == ':' && k + 1 < to
          && t.start(k + 1) == t.end(k) && k > first && t.kind(k - 1) == TokenKind.STRING
          && (t.kind(k + 1) == TokenKind.STRING || t.kind(k + 1) == TokenKind.QUOTED_IDENTIFIER)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, t.start(k), "a psql variable (:'name') after a "
            + "literal: psql sends its value as a literal, which the server joins to the one before when a line "
            + "end stands between them, so the value is not in the script"));
      } else if (interpolation < 0 && t.kind(k) == TokenKind.OPERATOR && sql.charAt(t.start(k)) == ':'
          && isInterpolation(sql, t.start(k), 0, sql.length())) {
        interpolation = t.start(k); // :'name' or :"name": a problem only in an auth-carrying statement
      } else if (t.kind(k) == TokenKind.STRING) {
        if (backslash != -1 && backslash < t.start(k)) { // one search runs on past the literals without one
          backslash = sql.indexOf('\\', t.start(k));
        }
        if (backslash >= 0 && backslash < t.end(k)) {
          hiddenMetaCommand(sql, t, k, problems);
        }
      }
    }
    return new Reading(sqlFirst, problems, interpolation, leading, null, switchesUser, -1, leadingEnd);
  }

  /** Whether the meta-command at {@code b} is a {@code \c} that connects as another user or by a connection string. */
  private static boolean connectsAs(String sql, int b, int lineEnd) {
    String command = command(sql, b);
    int argument = Math.min(b + 1 + command.length(), lineEnd);
    return (command.equals("c") || command.equals("connect")) && !oneDatabase(sql.substring(argument, lineEnd));
  }

  /**
   * Adds a problem when the meta-command's line holds {@code /*} (a comment the server's reading
   * opens and psql does not), or, after its last token, a {@code ;} followed by more than blanks
   * (the rest of the line starts the next statement in the server's reading, but is the argument
   * to psql).
   */
  private static void crossesLine(String sql, int b, int lastEnd, int lineEnd, List<Problem> problems,
      PsqlLine lines) {
    if (lines.holdsComment(b)) {
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

  private static void runsUnwritten(String sql, int b, List<Problem> problems, PsqlLine lines) {
    String command = command(sql, b);
    int lineEnd = lines.end(b);
    int argument = Math.min(b + 1 + command.length(), lineEnd);
    if (RUN_UNWRITTEN.contains(command)) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql's \\" + command + " runs SQL that the script "
          + "does not hold as a statement (a query's result cells, another file, a shell command, an editor's "
          + "output, or a COPY built from its line; \\setenv sets what such commands run): iamguard cannot check "
          + "it; write the statements out, or check the included file itself"));
    } else if (lines.holdsBackquote(argument) || PIPES.contains(command) && lines.holdsPipeOrColon(argument)) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a psql meta-command (" + name(sql, b) + ") runs a "
          + "shell command (backquotes or '|'), which may run any SQL: iamguard cannot check it"));
    } else if (command.equals("set") && setsSingleLine(sql, argument, lineEnd)) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql's \\set SINGLELINE makes psql send each line "
          + "as a statement, where the server's reading runs on to the next ';': iamguard cannot read the "
          + "script as psql sends it; end each statement with ';' and leave SINGLELINE off"));
    } else if ((command.equals("c") || command.equals("connect")) && !oneDatabase(sql.substring(argument, lineEnd))) {
      problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "psql's \\" + command + " connects as another user "
          + "(or by connection string): later statements run as a user iamguard does not know; split the "
          + "script there and check each part as its user"));
    }
  }

  /**
   * True when the {@code \set} whose argument starts at {@code argument} may set SINGLELINE: its
   * name holds it (quoted or not), or comes from a variable ({@code \set :v on}).
   */
  private static boolean setsSingleLine(String sql, int argument, int lineEnd) {
    int p = blanks(sql, argument, lineEnd);
    int q = p;
    while (q < lineEnd && !Lexer.isWhitespace(sql.charAt(q))) {
      q++;
    }
    String name = sql.substring(p, q);
    return name.startsWith(":") || name.contains("SINGLELINE");
  }

  /** True when a {@code \c} argument names at most a database: no user, no connection string. */
  private static boolean oneDatabase(String argument) {
    String[] words = argument.strip().split("\\s+");
    return words.length <= 1 && argument.indexOf('=') < 0 && !argument.contains("://");
  }

  /**
   * Adds a problem when the literal at {@code k} holds a backslash before a meta-command that runs
   * what the script does not hold: psql reads some literals without backslash escapes ({@code U&''}
   * always, {@code ''} with standard_conforming_strings on), so a quote the server's reading takes
   * as escaped may end the literal for psql, and the line after it be a meta-command.
   */
  private static void hiddenMetaCommand(String sql, Tokens t, int k, List<Problem> problems) {
    for (int b = sql.indexOf('\\', t.start(k)); b >= 0 && b < t.end(k); b = nextBackslash(sql, b + 1, t.end(k))) {
      String command = command(sql, b);
      if (acts(command)) {
        problems.add(new Problem(Problem.Kind.UNPARSEABLE, b, "a literal holds what psql may read as a "
            + "meta-command (\\" + command + ") when it reads the literal without backslash escapes: iamguard "
            + "cannot check what it runs"));
        return;
      }
    }
  }

  /** The next backslash at or after {@code from} and before {@code end}, or -1: never searched past {@code end}. */
  private static int nextBackslash(String sql, int from, int end) {
    for (int q = from; q < end; q++) {
      if (sql.charAt(q) == '\\') {
        return q;
      }
    }
    return -1;
  }

  /** True for psql's {@code \;} and {@code \:}, which put the char into the statement instead of starting a meta-command. */
  private static boolean forcesChar(String sql, int b) {
    return b + 1 < sql.length() && (sql.charAt(b + 1) == ';' || sql.charAt(b + 1) == ':');
  }

  static boolean isBackslash(Tokens t, int k) {
    return t.kind(k) == TokenKind.OPERATOR && t.source().charAt(t.start(k)) == '\\';
  }

  /**
   * The meta-command's name with its backslash when it is one of psql's ({@link #KNOWN}); else
   * {@code \...}: a name written after a backslash may be a key, which no message prints.
   */
  private static String name(String sql, int b) {
    String name = command(sql, b);
    return KNOWN.contains(name) ? "\\" + name : "\\...";
  }

  /** The run of letters, digits and {@code _} after the backslash at {@code b} (or the one char {@code !} or {@code ?}). */
  private static String command(String sql, int b) {
    if (b + 1 < sql.length() && (sql.charAt(b + 1) == '!' || sql.charAt(b + 1) == '?')) {
      return sql.substring(b + 1, b + 2);
    }
    int q = b + 1;
    while (q < sql.length() && q <= b + 32 && (Character.isLetterOrDigit(sql.charAt(q)) || sql.charAt(q) == '_')) {
      q++;
    }
    return sql.substring(b + 1, q);
  }

  /**
   * {@code sql} with the line of every meta-command {@code t} shows (from its backslash to the line
   * end) replaced by spaces: the text as psql sends it, at the same offsets. {@code sql} itself when
   * there is none.
   */
  static String blankMetaCommandLines(String sql, Tokens t) {
    int[] spans = metaCommandLines(sql, t);
    if (spans.length == 0) {
      return sql;
    }
    char[] text = sql.toCharArray();
    for (int i = 0; i < spans.length; i += 2) {
      java.util.Arrays.fill(text, spans[i], spans[i + 1], ' ');
    }
    return new String(text);
  }

  /**
   * The meta-command lines {@code t} shows, as {@code [start, end)} pairs in order: from each
   * backslash that starts a meta-command (outside literals, quoted names and comments, not
   * {@code \;} or {@code \:}) to its line's end, which psql takes as the command's argument.
   */
  static int[] metaCommandLines(String sql, Tokens t) {
    int[] spans = new int[0];
    int n = 0;
    int blankedTo = -1;
    for (int k = 0; k < t.count(); k++) {
      if (t.start(k) >= blankedTo && isBackslash(t, k) && !forcesChar(sql, t.start(k))) {
        blankedTo = lineEnd(sql, t.start(k));
        if (n + 2 > spans.length) {
          spans = java.util.Arrays.copyOf(spans, Math.max(4, 2 * spans.length));
        }
        spans[n++] = t.start(k);
        spans[n++] = blankedTo;
      }
    }
    return n == spans.length ? spans : java.util.Arrays.copyOf(spans, n);
  }

  /** True when the backslash at {@code b} starts a meta-command that sends the statement before it ({@link #SENDS}). */
  static boolean sends(String sql, int b) {
    return sql.charAt(b) == '\\' && !forcesChar(sql, b) && SENDS.contains(command(sql, b));
  }

  /**
   * The offset of the line end after {@code p}, or the text's end. psql reads a script line by line
   * at {@code \n} only: a lone {@code \r} is part of a meta-command's argument.
   */
  static int lineEnd(String sql, int p) {
    int end = sql.indexOf('\n', p);
    return end < 0 ? sql.length() : end;
  }
}
