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
    if (!Lexer.needsInspection(sql)) {
      return new SqlScript(sql, null, false);
    }
    return split(sql);
  }

  private static SqlScript split(String sql) {
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
