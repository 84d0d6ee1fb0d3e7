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
  private final boolean needsInspection;
  /** Built on first use when nothing needs inspection: the hot path never builds it. */
  private volatile List<SqlStatement> statements;

  private SqlScript(String source, List<SqlStatement> statements, boolean needsInspection) {
    this.source = source;
    this.statements = statements;
    this.needsInspection = needsInspection;
  }

  /**
   * Splits and parses {@code sql}. A text without any auth-carrying statement costs one lexer
   * pass that stores no tokens; its statements are split only if someone asks for them.
   */
  public static SqlScript parse(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    if (found.backslashInLiteral) {
      return splitWhole(sql);
    }
    if (!found.anyNeedsParsing()) {
      return new SqlScript(sql, null, false);
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
   * that need the grammar are tokenized again. A literal with a backslash anywhere takes the
   * whole-text path, which the ambiguity check needs.
   */
  static SqlScript split(String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    return found.backslashInLiteral ? splitWhole(sql) : build(sql, found);
  }

  private static SqlScript build(String sql, Lexer.Statements found) {
    List<SqlStatement> statements = new ArrayList<>(found.count());
    boolean needsInspection = false;
    Positions positions = new Positions(sql, new int[] {1, 1, 0});
    for (int i = 0; i < found.count(); i++) {
      int start = found.start(i);
      int end = found.end(i);
      int[] at = positions.at(start);
      RedshiftCommand command = RedshiftCommand.OTHER;
      if (found.needsParsing(i)) {
        Tokens t = Lexer.tokenize(sql, start, end);
        command = CommandParser.parse(t, 0, t.count(), at[0], at[1]);
        needsInspection |= command.needsInspection();
      }
      statements.add(new SqlStatement(sql, statements.size() + 1, at[0], at[1], start, end, true, command));
    }
    return new SqlScript(sql, Collections.unmodifiableList(statements), needsInspection);
  }

  static SqlScript splitWhole(String sql) {
    Tokens t = Lexer.tokenize(sql);
    int[] hidden = t.backslashInLiteral ? AmbiguityCheck.hiddenAuth(sql, t) : AmbiguityCheck.NONE;
    List<SqlStatement> statements = new ArrayList<>(2);
    boolean needsInspection = false;
    int line = 1;
    int lineStart = 0;
    int scanned = 0;
    int first = 0;
    for (int i = 0; i <= t.count(); i++) {
      if (i < t.count() && t.kind(i) != TokenKind.SEMICOLON) {
        continue;
      }
      if (i > first && !(i == first + 1 && t.kind(first) == TokenKind.UNTERMINATED_COMMENT)) {
        int start = t.start(first);
        for (; scanned < start; scanned++) {
          if (sql.charAt(scanned) == '\n') {
            line++;
            lineStart = scanned + 1;
          }
        }
        RedshiftCommand command = CommandParser.parse(t, first, i, line, start - lineStart + 1);
        int end = t.end(i - 1);
        command = AmbiguityCheck.attach(command, hidden, start, end);
        needsInspection |= command.needsInspection();
        statements.add(new SqlStatement(sql, statements.size() + 1, line, start - lineStart + 1,
            start, end, true, command));
      }
      first = i + 1;
    }
    return new SqlScript(sql, Collections.unmodifiableList(statements), needsInspection);
  }

  /** The text that was parsed. */
  public String source() {
    return source;
  }

  /** The statements in order; a trailing comment or an empty statement ({@code ;;}) is not one. */
  public List<SqlStatement> statements() {
    List<SqlStatement> split = statements;
    if (split == null) {
      split = split(source).statements;
      statements = split;
    }
    return split;
  }

  /**
   * False when no statement carries an auth-related command or problem: the script can be sent as
   * it is without consulting any policy.
   */
  public boolean needsInspection() {
    return needsInspection;
  }
}
