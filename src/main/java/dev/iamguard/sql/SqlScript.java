package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

  private SqlScript(String source, List<SqlStatement> statements) {
    this.source = source;
    this.statements = statements;
    this.found = null;
    this.parsed = null;
    this.inspectable = statements == null ? List.of()
        : statements.stream().filter(st -> st.command().needsInspection()).toList();
  }

  private SqlScript(String source, Lexer.Statements found, SqlStatement[] parsed,
      List<SqlStatement> inspectable) {
    this.source = source;
    this.found = found;
    this.parsed = parsed;
    this.inspectable = inspectable;
  }

  /**
   * Splits and parses {@code sql}. A text without any auth-carrying statement costs one lexer
   * pass that stores no tokens; its statements are split only if someone asks for them.
   */
  public static SqlScript parse(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    if (found.backslashInLiteral || found.readingsMayDiffer) {
      return splitWhole(sql);
    }
    if (!found.anyNeedsParsing()) {
      return new SqlScript(sql, (List<SqlStatement>) null);
    }
    return build(sql, found);
  }

  /**
   * The hot path on its own: true when {@code sql} holds an auth-carrying statement or an auth
   * word and must be parsed and inspected; false means it can be sent as it is. One lexer pass
   * that stores no tokens and stops at the first reason to inspect.
   */
  public static boolean needsInspection(String sql) {
    return Lexer.needsInspection(sql);
  }

  /**
   * Splits {@code sql} into statements with one scan that stores no tokens; only the statements
   * that need the grammar are tokenized again. A literal with a backslash anywhere (or another
   * form that readings disagree on) takes the whole-text path, which the ambiguity check needs.
   */
  static SqlScript split(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    return found.backslashInLiteral || found.readingsMayDiffer ? splitWhole(sql) : build(sql, found);
  }

  /** Parses the statements that need the grammar; the others become statements only when asked. */
  private static SqlScript build(String sql, Lexer.Statements found) {
    SqlStatement[] parsed = new SqlStatement[found.count()];
    List<SqlStatement> inspectable = new ArrayList<>();
    Positions positions = new Positions(sql, new int[] {1, 1, 0});
    for (int i = 0; i < found.count(); i++) {
      if (found.needsParsing(i)) {
        int start = found.start(i);
        int end = found.end(i);
        int[] at = positions.at(start);
        Tokens t = Lexer.tokenizeStatement(sql, start, end);
        RedshiftCommand command = CommandParser.parse(t, 0, t.count(), at[0], at[1]);
        parsed[i] = new SqlStatement(sql, i + 1, at[0], at[1], start, end, true, command);
        if (command.needsInspection()) {
          inspectable.add(parsed[i]);
        }
      }
    }
    return new SqlScript(sql, found, parsed, inspectable);
  }

  /** Every statement, from the scan's ranges and the statements already parsed. */
  private List<SqlStatement> allStatements() {
    List<SqlStatement> all = new ArrayList<>(found.count());
    Positions positions = new Positions(source, new int[] {1, 1, 0});
    for (int i = 0; i < found.count(); i++) {
      if (parsed[i] != null) {
        all.add(parsed[i]);
        continue;
      }
      int start = found.start(i);
      int[] at = positions.at(start);
      all.add(new SqlStatement(source, i + 1, at[0], at[1], start, found.end(i), true, RedshiftCommand.OTHER));
    }
    return Collections.unmodifiableList(all);
  }

  static SqlScript splitWhole(String sql) {
    Tokens t = Lexer.tokenize(sql);
    int[] hidden = t.backslashInLiteral || t.readingsMayDiffer ? AmbiguityCheck.hiddenAuth(sql, t) : AmbiguityCheck.NONE;
    List<SqlStatement> statements = new ArrayList<>(2);
    Positions positions = new Positions(sql, new int[] {1, 1, 0});
    int first = 0;
    for (int i = 0; i <= t.count(); i++) {
      if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
        continue;
      }
      if (i > first && !(i == first + 1 && t.kind(first) == TokenKind.UNTERMINATED_COMMENT)) {
        int start = t.start(first);
        int[] at = positions.at(start);
        RedshiftCommand command = CommandParser.parse(t, first, i, at[0], at[1]);
        int end = t.end(i - 1);
        command = AmbiguityCheck.attach(command, hidden, start, end);
        statements.add(new SqlStatement(sql, statements.size() + 1, at[0], at[1], start, end, true, command));
      }
      first = i + 1;
    }
    return new SqlScript(sql, Collections.unmodifiableList(statements));
  }

  /** The text that was parsed. */
  public String source() {
    return source;
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

  /**
   * False when no statement carries an auth-related command or problem: the script can be sent as
   * it is without consulting any policy.
   */
  public boolean needsInspection() {
    return !inspectable.isEmpty();
  }
}
