package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A SQL text split into statements, each with its {@link RedshiftCommand}: the entry point of the
 * SQL front end. Parsing never throws on any input: what cannot be read becomes a {@link Problem}
 * of the statement it belongs to.
 */
public final class SqlScript {
  private final String source;
  /** The statements that need a policy decision, in order (built eagerly). */
  private final List<SqlStatement> inspectable;
  /** Statement ranges from the scan, for building the full list on demand; null when built. */
  private final Lexer.Statements found;
  /** The parsed statements by range index (null for statements that needed no grammar). */
  private final SqlStatement[] parsed;
  /** Every statement: built on first use, so the hot path and the guard never build it. */
  private volatile List<SqlStatement> statements;
  /** The {@link SessionEffects} of all statements together. */
  private final int effects;
  /** The 1-based index of the first statement that may change the session identity, or 0. */
  private final int firstIdentityChange;
  /** See {@link #firstUnfollowableIdentityChange()}. */
  private final int firstUnfollowable;
  /** The numbers of the statements that may undo an identity change ({@link SessionEffects#UNDOES}), ascending. */
  private final int[] undoing;
  /** Where {@link #source} stands in the whole script it was read from (a {@link ScriptReader} piece). */
  private final Origin origin;

  private SqlScript(String source, List<SqlStatement> statements, int effects, int firstIdentityChange,
      int firstUnfollowable, int[] undoing, Origin origin) {
    this.source = source;
    this.origin = origin;
    this.statements = statements;
    this.found = null;
    this.parsed = null;
    this.inspectable = statements == null ? List.of()
        : statements.stream().filter(st -> st.command().needsInspection()).toList();
    this.effects = effects;
    this.firstIdentityChange = firstIdentityChange;
    this.firstUnfollowable = firstUnfollowable;
    this.undoing = undoing;
  }

  private SqlScript(String source, Lexer.Statements found, SqlStatement[] parsed,
      List<SqlStatement> inspectable, Origin origin) {
    this.source = source;
    this.origin = origin;
    this.found = found;
    this.parsed = parsed;
    this.inspectable = inspectable;
    int all = 0;
    int first = 0;
    int unfollowable = 0;
    IntStream.Builder undo = null; // grows in amortized steps: a script may hold a COMMIT every few statements
    for (int i = 0; i < found.count(); i++) {
      all |= found.effects(i);
      if (SessionEffects.has(found.effects(i), SessionEffects.UNDOES)) {
        (undo = undo == null ? IntStream.builder() : undo).add(origin.index() + i + 1);
      }
      if (SessionEffects.has(found.effects(i), SessionEffects.IDENTITY)) {
        first = first == 0 ? origin.index() + i + 1 : first;
        if (unfollowable == 0 && !followable(parsed == null ? null : parsed[i])) {
          unfollowable = origin.index() + i + 1;
        }
      }
    }
    this.effects = all;
    this.firstIdentityChange = first;
    this.firstUnfollowable = unfollowable;
    this.undoing = numbers(undo);
  }

  /** A statement that changes the identity in a way a declared identity can follow: SET SESSION AUTHORIZATION. */
  private static boolean followable(SqlStatement statement) {
    return statement != null && statement.command().kind() == CommandKind.SET_SESSION_AUTHORIZATION
        && !local(statement);
  }

  /**
   * SET LOCAL SESSION AUTHORIZATION (or SET LOCAL session_authorization): it lasts until the
   * transaction ends, and outside a transaction block it changes nothing at all (PostgreSQL warns
   * and ignores it; each statement sent on its own is its own transaction), so the text does not
   * say who runs what follows: the guard does not track which transaction block is open.
   */
  private static boolean local(SqlStatement statement) {
    Tokens t = Lexer.tokenize(statement.text());
    return t.isWord(0, "SET") && t.isWord(1, "LOCAL");
  }

  /**
   * Splits and parses {@code sql}. A text without any auth-carrying statement costs one lexer
   * pass that keeps no tokens; its statements are split only if someone asks for them.
   */
  public static SqlScript parse(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    return fromScan(sql, found, Origin.START);
  }

  /**
   * How many statements {@link #parse} finds in {@code sql}, counted without parsing them: one lexer
   * pass, unless the text takes the whole-text path (a backslash in a literal, a form the readings
   * disagree on), which splits it as {@link #parse} does.
   */
  public static int countStatements(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    return found.backslashInLiteral || found.readingsMayDiffer ? splitWhole(sql, Origin.START).statementCount() : found.count();
  }

  /**
   * A piece of a longer script whose statements a scan has found: reuses the scan's ranges
   * (statements {@code [0, found.count())}) and numbers the statements from {@code origin}.
   */
  static SqlScript fromScan(String sql, Lexer.Statements found, Origin origin) {
    if (found.backslashInLiteral || found.readingsMayDiffer || origin.psql() && PsqlForms.mayHold(sql, found)) {
      return splitWhole(sql, origin);
    }
    if (!found.anyNeedsParsing()) {
      return new SqlScript(sql, found, null, List.of(), origin);
    }
    return build(sql, found, origin);
  }

  /**
   * As {@link #fromScan(String, Lexer.Statements, Origin)}, for a piece of a script whose other
   * readings an {@link AlternativeReading} follows across pieces: {@code hidden} are the offsets
   * that the ambiguity check of the whole text finds in the piece. A piece with none takes the
   * scan's path, as a text without those forms does: the other readings are already judged, and
   * parsing every statement of every later piece made a parsed piece many times larger (a 10 MB
   * script starting with {@code b'\'} then ran out of a 32 MB heap).
   */
  static SqlScript fromScan(String sql, Lexer.Statements found, Origin origin, int[] hidden) {
    if (hidden.length > 0 || origin.psql() && PsqlForms.mayHold(sql, found)) {
      return splitWhole(sql, origin, hidden);
    }
    if (!found.anyNeedsParsing()) {
      return new SqlScript(sql, found, null, List.of(), origin);
    }
    return build(sql, found, origin);
  }

  /**
   * The hot path on its own: true when {@code sql} holds an auth-carrying statement or an auth
   * word and must be parsed and inspected; false means it can be sent as it is. One lexer pass
   * that stores no tokens and stops at the first reason to inspect, unless a {@link Prefilter}
   * search proves first that the text holds none of the words it looks for.
   */
  public static boolean needsInspection(String sql) {
    return !Prefilter.clean(sql) && Lexer.needsInspection(sql);
  }

  /**
   * The hot path with what the text may do to the session: {@link SessionEffects} bits, plus
   * {@link SessionEffects#INSPECT} when the text must be parsed and inspected (the scan then stops
   * early, so the other bits can be incomplete: the parsed script's {@link #effects()} has them
   * all). One lexer pass, or none, as {@link #needsInspection(String)}.
   */
  public static int scan(String sql) {
    return Prefilter.clean(sql) ? SessionEffects.NONE : Lexer.scan(sql);
  }

  /**
   * Whether a driver that splits {@code sql} at a {@code ;} which Redshift's reading has inside a
   * {@code --} comment would send, from there, a statement the guard must see and does not: an
   * auth-carrying command or auth clause, a change of identity, a transaction end or a schema rename
   * that this reading shows only when read afresh from that {@code ;} ({@link SessionEffects#DRIVER_SPLIT}).
   */
  public static boolean hiddenByDriverSplits(String sql) {
    return AmbiguityCheck.hiddenAfterSemicolonsInLineComments(sql);
  }

  /**
   * Whether a {@code ;} which Redshift's reading has inside a {@code --} comment lies inside the
   * statement of an auth-carrying command: a driver that splits {@code sql} there by a reading of its
   * own sends the statement's first part alone, which is not the statement the guard decided.
   */
  public static boolean cutByDriverSplits(String sql) {
    return AmbiguityCheck.cutAtSemicolonsInLineComments(sql);
  }

  /**
   * As {@link #hiddenByDriverSplits}, for a {@code ;} inside any comment, literal, dollar quote or
   * quoted name: for a driver that splits a text by its own reading and sends each piece even after
   * one failed (the Redshift driver's simple query mode, for a prepared text), a piece that starts
   * inside a dollar quote whose tag the driver does not know runs, although the piece before it
   * fails.
   */
  public static boolean hiddenBySplitsOutsideCode(String sql) {
    return AmbiguityCheck.hiddenAfterSemicolonsOutsideCode(sql);
  }

  /**
   * Whether every {@code ?} of {@code sql} stands in code (an operator or a parameter), none in a
   * comment, literal, dollar quote or quoted name: a driver that writes bound values in place of the
   * {@code ?} it finds by its own reading may otherwise write one where Redshift reads a string,
   * and a value holding the dollar quote's tag ends it.
   */
  public static boolean placeholdersInCode(String sql) {
    return AmbiguityCheck.placeholdersInCode(sql);
  }

  /**
   * Splits {@code sql} into statements with one scan that keeps only the tokens of the statements
   * that need the grammar. A literal with a backslash anywhere (or another
   * form that readings disagree on) takes the whole-text path, which the ambiguity check needs.
   */
  static SqlScript split(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    return found.backslashInLiteral || found.readingsMayDiffer ? splitWhole(sql, Origin.START) : build(sql, found, Origin.START);
  }

  /** Parses the statements that need the grammar; the others become statements only when asked. */
  private static SqlScript build(String sql, Lexer.Statements found, Origin origin) {
    SqlStatement[] parsed = new SqlStatement[found.count()];
    List<SqlStatement> inspectable = new ArrayList<>();
    Positions positions = origin.positions(sql);
    for (int i = 0; i < found.count(); i++) {
      if (found.needsParsing(i)) {
        int start = found.start(i);
        int end = found.end(i);
        int[] at = positions.at(start);
        RedshiftCommand command;
        if (found.tokenFrom(i) >= 0) { // the scan's own tokens: the statement is not lexed a second time
          command = CommandParser.parse(found.tokens(), found.tokenFrom(i), found.tokenTo(i), at[0], at[1]);
        } else {
          // the fast statement lexer skips the backslash search: only for texts without one in a literal
          Tokens t = found.backslashInLiteral ? Lexer.tokenize(sql, start, end) : Lexer.tokenizeStatement(sql, start, end);
          command = CommandParser.parse(t, 0, t.count(), at[0], at[1]);
        }
        parsed[i] = new SqlStatement(sql, origin.index() + i + 1, at[0], at[1], start, end, true, command);
        if (command.needsInspection()) {
          inspectable.add(parsed[i]);
        }
      }
    }
    return new SqlScript(sql, found, parsed, inspectable, origin);
  }

  /** Every statement, from the scan's ranges and the statements already parsed. */
  private List<SqlStatement> allStatements() {
    List<SqlStatement> all = new ArrayList<>(found.count());
    Positions positions = origin.positions(source);
    for (int i = 0; i < found.count(); i++) {
      if (parsed != null && parsed[i] != null) {
        all.add(parsed[i]);
        continue;
      }
      int start = found.start(i);
      int[] at = positions.at(start);
      all.add(new SqlStatement(source, origin.index() + i + 1, at[0], at[1], start, found.end(i), true,
          RedshiftCommand.OTHER));
    }
    return Collections.unmodifiableList(all);
  }

  static SqlScript splitWhole(String sql) {
    return splitWhole(sql, Origin.START);
  }

  private static SqlScript splitWhole(String sql, Origin origin) {
    return splitWhole(sql, origin, null);
  }

  /** Splits and parses {@code sql} whole; {@code known} are its hidden offsets, or null to look for them in it. */
  private static SqlScript splitWhole(String sql, Origin origin, int[] known) {
    Tokens t = Lexer.tokenize(sql);
    int[] hidden = known != null ? known
        : t.backslashInLiteral || t.readingsMayDiffer ? AmbiguityCheck.hiddenAuth(sql, t) : AmbiguityCheck.NONE;
    List<SqlStatement> statements = new ArrayList<>(2);
    Positions positions = origin.positions(sql);
    int nul = origin.psql() ? sql.indexOf('\0') : -1;
    boolean psqlForms = origin.psql() && (t.psqlForms || t.backslashInLiteral || nul >= 0);
    PsqlLine lines = psqlForms ? new PsqlLine(sql) : null;
    int first = 0;
    int effects = 0;
    int firstIdentityChange = 0;
    int firstUnfollowable = 0;
    IntStream.Builder undoing = null;
    int statementEffects = 0;
    for (int i = 0; i <= t.count(); i++) {
      // psql ends a statement at '\g' and its kin too; their line then leads the next statement
      boolean sent = false;
      if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
        if (!psqlForms || i == first || !PsqlForms.endsStatement(t, i)) {
          statementEffects |= identityWord(t, i);
          continue;
        }
        sent = true;
      }
      int sqlFirst = first;
      int commandFirst = first;
      PsqlForms.Reading reading = null;
      if (psqlForms && i > first) {
        int gap = first > 0 ? t.end(first - 1) : 0;
        while (nul >= 0 && nul < gap) {
          nul = sql.indexOf('\0', nul + 1);
        }
        reading = PsqlForms.read(sql, t, first, i, nul, lines);
        if (!reading.leadingProblems().isEmpty() && (reading.sqlFirst() < i || reading.after() != null)) {
          // meta-command lines with a problem of their own: a statement of their own, before the SQL
          int start = t.start(first);
          // the lines up to the last one with a problem: meta-command lines after it are dropped, as
          // psql drops them (a \set line there is printed by no statement)
          int end = t.end(Math.max(first + 1, reading.leadingEnd()) - 1);
          if (reading.after() != null) {
            end = Math.max(start + 1, Math.min(end, reading.afterStart() - 1)); // the lines, not what ran on
          }
          int[] at = positions.at(start);
          add(statements, at, start, end, AmbiguityCheck.attach(CommandParser.parse(t, first,
              Math.max(first + 1, reading.leadingEnd()), at[0], at[1]), hidden, endOfLast(statements), end),
              reading.leadingProblems(), sql, origin);
          // \c as another user, or a change of user psql may run after a misread line: who runs
          // what follows is unknown, as after an unfollowable change
          int userUnknownAt = reading.switchesUser() ? origin.index() + statements.size() : 0;
          if (reading.after() != null) {
            // a misread line: what psql sends from the next line on, read afresh, is one statement, denied
            int from = reading.afterStart();
            int to = t.end(i - 1);
            while (from < to - 1 && (sql.charAt(from) == '\\' || Character.isWhitespace(sql.charAt(from)))) {
              from++; // the '\\' psql ends a meta-command with, and the blanks after it
            }
            Tokens part = Lexer.tokenize(sql, from, to);
            int[] partAt = positions.at(from);
            RedshiftCommand command = part.count() == 0 ? RedshiftCommand.OTHER
                : CommandParser.parse(part, 0, part.count(), partAt[0], partAt[1]);
            add(statements, partAt, from, to, command, List.of(reading.after()), sql, origin);
            if (userUnknownAt == 0 && SessionEffects.has(Lexer.scan(sql.substring(from, to)), SessionEffects.IDENTITY)) {
              userUnknownAt = origin.index() + statements.size();
            }
            first = i; // nothing more of this range
            reading = null;
          } else {
            first = reading.sqlFirst();
            reading = reading.withoutLeading();
          }
          if (userUnknownAt > 0) {
            effects |= SessionEffects.IDENTITY;
            firstIdentityChange = firstIdentityChange == 0 ? userUnknownAt : firstIdentityChange;
            firstUnfollowable = firstUnfollowable == 0 ? userUnknownAt : firstUnfollowable;
          }
        } else if (reading.switchesUser()) {
          statementEffects |= SessionEffects.IDENTITY;
        }
        // meta-command lines psql drops are no statement; with a problem they are reported as
        // written, and the command is read from the SQL after them (when there is any)
        if (reading == null) {
          sqlFirst = i;
          commandFirst = i;
        } else {
          commandFirst = reading.sqlFirst() < i ? reading.sqlFirst() : first;
          sqlFirst = reading.problems().isEmpty() ? reading.sqlFirst() : first;
        }
      }
      if (sqlFirst < i && !(i == sqlFirst + 1 && t.kind(sqlFirst) == TokenKind.UNTERMINATED_COMMENT)) {
        int start = t.start(sqlFirst);
        int end = t.end(i - 1);
        int[] at = positions.at(start);
        int[] commandAt = commandFirst == sqlFirst ? at : positions.at(t.start(commandFirst));
        // with what lies between the statement before and this one (comments, empty statements): another
        // reading's clause there is this statement's to answer for
        RedshiftCommand command = AmbiguityCheck.attach(CommandParser.parse(t, commandFirst, i, commandAt[0],
            commandAt[1]), hidden, endOfLast(statements), end);
        add(statements, at, start, end, command, reading == null ? List.of() : reading.problemsOf(command), sql, origin);
        statementEffects |= CommandParser.sessionEffects(CommandParser.classify(t, commandFirst, i), t, commandFirst);
        effects |= statementEffects;
        if (SessionEffects.has(statementEffects, SessionEffects.UNDOES)) {
          (undoing = undoing == null ? IntStream.builder() : undoing).add(origin.index() + statements.size());
        }
        if (SessionEffects.has(statementEffects, SessionEffects.IDENTITY)) {
          firstIdentityChange = firstIdentityChange == 0 ? origin.index() + statements.size() : firstIdentityChange;
          if (firstUnfollowable == 0 && !followable(statements.get(statements.size() - 1))) {
            firstUnfollowable = origin.index() + statements.size();
          }
        }
      }
      statementEffects = 0;
      first = sent ? i : i + 1;
    }
    List<Problem> afterLast = AmbiguityCheck.afterLast(hidden, endOfLast(statements));
    if (!afterLast.isEmpty()) {
      // from the first such clause to the text's end, however a streaming reader cut the text before
      // it; not rewritable: it is a comment to Redshift, no statement the lexer delimits
      int start = afterLast.get(0).offset();
      int[] at = positions.at(start);
      statements.add(new SqlStatement(sql, origin.index() + statements.size() + 1, at[0], at[1], start, sql.length(),
          false, AmbiguityCheck.withMore(RedshiftCommand.OTHER, afterLast)));
    }
    return new SqlScript(sql, Collections.unmodifiableList(statements), effects, firstIdentityChange,
        firstUnfollowable, numbers(undoing), origin);
  }

  /** Where the last statement of {@code statements} ends, or 0 before the first. */
  private static int endOfLast(List<SqlStatement> statements) {
    return statements.isEmpty() ? 0 : statements.get(statements.size() - 1).end();
  }

  /** Adds the statement of {@code sql[start, end)} at line and column {@code at}, with {@code more} problems. */
  private static void add(List<SqlStatement> statements, int[] at, int start, int end, RedshiftCommand command,
      List<Problem> more, String sql, Origin origin) {
    statements.add(new SqlStatement(sql, origin.index() + statements.size() + 1, at[0], at[1], start, end, true,
        AmbiguityCheck.withMore(command, more)));
  }

  /** {@link SessionEffects#IDENTITY} when token {@code i} is {@code set_config}, as a word or quoted, or any U&"..." name. */
  static int identityWord(Tokens t, int i) {
    boolean setConfig = t.is(i, TokenKind.WORD) ? t.isWord(i, AuthWords.SET_CONFIG)
        : t.is(i, TokenKind.QUOTED_IDENTIFIER)
            && (t.text(i).equals("\"set_config\"") || Lexer.unicodeEscaped(t.source(), t.start(i)));
    return setConfig ? SessionEffects.IDENTITY : SessionEffects.NONE;
  }

  /** The text that was parsed. */
  public String source() {
    return source;
  }

  /**
   * Where {@link #source()} starts in the script it was read from: 0 unless the script was read
   * piece by piece ({@link ScriptReader}).
   */
  public long offset() {
    return origin.offset();
  }

  /** Where the piece stands in its script. */
  Origin origin() {
    return origin;
  }

  /** The number of statements, counted without building them. */
  public int statementCount() {
    List<SqlStatement> all = statements;
    return all != null ? all.size() : found != null ? found.count() : statements().size();
  }

  /**
   * Where a piece of a script starts: its character offset in the whole script, the line and
   * column of its first character, and how many statements came before it.
   */
  /**
   * Where a piece of a script starts in it; {@code psql}: the script is read as psql reads it
   * before sending ({@link PsqlForms}), as the command line reads scripts.
   */
  record Origin(long offset, int line, int column, int index, boolean psql) {
    static final Origin START = new Origin(0, 1, 1, 0, false);

    Positions positions(String source) {
      return new Positions(source, new int[] {line, column, 0});
    }
  }

  /** The statements in order; a trailing comment or an empty statement ({@code ;;}) is not one. */
  public List<SqlStatement> statements() {
    List<SqlStatement> all = statements;
    if (all == null) {
      all = found != null ? allStatements() : split(source).statements();
      statements = all;
    }
    return all;
  }

  /**
   * The statements that need a policy decision (auth-carrying commands, statements with problems),
   * in order: what the guard inspects. Every other statement is sent as written.
   */
  public List<SqlStatement> inspectable() {
    return inspectable;
  }

  /** The {@link SessionEffects} of the statements together (never {@link SessionEffects#INSPECT}). */
  public int effects() {
    return effects;
  }

  /**
   * The number (1-based) of the statement at or after which another reading of the text may change
   * the session identity where Redshift's reading does not, or 0: PostgreSQL with
   * {@code standard_conforming_strings=on} (and a driver's statement splitter when the server says
   * so) runs the {@code SET ROLE} of {@code select 'x\'; set role none; select '1'}, which
   * Redshift reads inside a literal; with {@code transactionEndsCount} (the identity changed on the
   * connection before) a transaction end there too. Computed when asked (a JDBC execution, whose server may read it
   * so), from the text read whole; a text without a backslash in a literal (or another form the
   * readings disagree on) has none.
   */
  public int identityChangeOtherReadingsShow(boolean transactionEndsCount) {
    if (found != null || statements.isEmpty()) {
      return 0; // parsed from the scan's statements: no form the readings disagree on
    }
    Tokens t = Lexer.tokenize(source);
    int at = t.backslashInLiteral || t.readingsMayDiffer ? AmbiguityCheck.hiddenIdentityChange(source, t, transactionEndsCount)
        : -1;
    if (at < 0) {
      return 0;
    }
    int changing = statements.size();
    while (changing > 1 && statements.get(changing - 2).end() > at) {
      changing--;
    }
    return statements.get(changing - 1).index();
  }

  /**
   * The number (1-based) of the first statement that may change the session identity
   * ({@link SessionEffects#IDENTITY}), or 0 when none may.
   */
  public int firstIdentityChange() {
    return firstIdentityChange;
  }

  /**
   * The number (1-based) of the first statement that changes a membership or a superuser flag
   * ({@link Memberships#of}), or 0 when none does.
   */
  public int firstMembershipChange() {
    return firstMembershipChange(change -> true);
  }

  /**
   * The number (1-based) of the first statement that makes a membership change {@code which}
   * accepts ({@link Memberships#of}), or 0 when none does. Only the statements the scan marked
   * ({@link SessionEffects#MEMBERSHIP}: a GRANT of a table's privileges among them) are read again.
   */
  public int firstMembershipChange(java.util.function.Predicate<MembershipChange> which) {
    if (!SessionEffects.has(effects, SessionEffects.MEMBERSHIP)) {
      return 0;
    }
    if (statements == null && found != null) {
      for (int i = 0; i < found.count(); i++) {
        if (SessionEffects.has(found.effects(i), SessionEffects.MEMBERSHIP)
            && (parsed != null && parsed[i] != null ? Memberships.of(parsed[i])
                : Memberships.of(source, found.start(i), found.end(i))).stream().anyMatch(which)) {
          return origin.index() + i + 1;
        }
      }
      return 0;
    }
    for (SqlStatement statement : statements()) {
      if (Memberships.of(statement).stream().anyMatch(which)) {
        return statement.index();
      }
    }
    return 0;
  }

  /**
   * The number (1-based) of the first statement after statement {@code number} that may undo an
   * identity change made before it ({@link SessionEffects#UNDOES}: a rollback restores the
   * identity, a commit ends SET LOCAL, EXECUTE may run a change again), or 0 when none does.
   */
  public int undoingStatementAfter(int number) {
    for (int at : undoing) {
      if (at > number) {
        return at;
      }
    }
    return 0;
  }

  private static final int[] NO_STATEMENTS = new int[0];

  private static int[] numbers(IntStream.Builder numbers) {
    return numbers == null ? NO_STATEMENTS : numbers.build().toArray();
  }

  /**
   * The number (1-based) of the first statement that may change the session identity in a way the
   * text does not spell out: anything but SET SESSION AUTHORIZATION (set_config, SET ROLE, CALL,
   * ...), whose new identity only the server can report; 0 when none may.
   */
  public int firstUnfollowableIdentityChange() {
    return firstUnfollowable;
  }

  /**
   * False when no statement carries an auth-related command or problem: the script can be sent as
   * it is without consulting any policy.
   */
  public boolean needsInspection() {
    return !inspectable.isEmpty();
  }
}
