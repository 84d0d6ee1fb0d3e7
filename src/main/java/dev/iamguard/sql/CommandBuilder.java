package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/** Collects what the grammar finds in one statement, then freezes it into a {@link RedshiftCommand}. */
final class CommandBuilder {
  final Tokens tokens;
  final CommandKind kind;

  // auth clause, merged over every auth keyword of the statement
  AuthForm authForm = AuthForm.NONE;
  boolean isDefault;
  final List<String> roles = new ArrayList<>(2);
  String roleText;
  final List<String> authKeywords = new ArrayList<>(2);
  final List<String> credentialKeys = new ArrayList<>(2);
  int roleLiterals;
  int authStart = -1;
  int authEnd = -1;
  Span valueSpan;

  final List<String> catalogRoles = new ArrayList<>(1);

  final List<S3Location> s3 = new ArrayList<>(2);
  String lambda;
  String sagemaker;
  String catalogDatabase;
  String secretArn;
  String region;
  String otherSource;
  String schemaSource;

  String targetTable;
  final List<String> targetColumns = new ArrayList<>(0);
  String objectName;
  EmbeddedQuery query;
  final List<CommandOption> options = new ArrayList<>(4);
  AssumeRoleGrant grant;
  String sessionUser;
  final List<SqlStatement> body = new ArrayList<>(0);
  final List<Span> dynamicAuth = new ArrayList<>(0);
  final List<Problem> problems = new ArrayList<>(0);

  /** Token indices of the auth keywords the grammar consumed, so the shape scan skips them. */
  private int[] consumed = new int[4];
  private int consumedCount;

  /** Where the statement starts: {line, column, offset} (procedure bodies count lines from it). */
  private int[] origin = {1, 1, 0};

  CommandBuilder(Tokens tokens, CommandKind kind) {
    this.tokens = tokens;
    this.kind = kind;
  }

  void origin(int line, int column, int offset) {
    origin = new int[] {line, column, offset};
  }

  /** {line, column, offset} of the statement's first token. */
  int[] origin() {
    return origin.clone();
  }

  /** {line, column} of an offset inside the statement, counted from its first token. */
  int[] position(int offset) {
    return new Positions(tokens.source(), origin).at(offset);
  }

  void consumedAuthWord(int tokenIndex) {
    if (consumedCount == consumed.length) {
      consumed = java.util.Arrays.copyOf(consumed, consumedCount * 2);
    }
    consumed[consumedCount++] = tokenIndex;
  }

  boolean wasConsumed(int tokenIndex) {
    for (int k = 0; k < consumedCount; k++) {
      if (consumed[k] == tokenIndex) {
        return true;
      }
    }
    return false;
  }

  void authCovers(int start, int end) {
    authStart = authStart < 0 ? start : Math.min(authStart, start);
    authEnd = Math.max(authEnd, end);
  }

  void problem(Problem.Kind problemKind, int offset, String reason) {
    problems.add(new Problem(problemKind, offset, reason));
  }

  void option(String name, List<String> values, int start, int end) {
    options.add(new CommandOption(name, values, new Span(start, end)));
  }

  RedshiftCommand build() {
    AuthClause auth = authKeywords.isEmpty()
        ? AuthClause.NONE
        : new AuthClause(authForm, isDefault, roles, roleText, authKeywords, credentialKeys,
            roleLiterals, new Span(authStart, authEnd), valueSpan);
    Resources resources = s3.isEmpty() && lambda == null && sagemaker == null
        && catalogDatabase == null && secretArn == null && region == null && otherSource == null
        && schemaSource == null
        ? Resources.NONE
        : new Resources(s3, lambda, sagemaker, catalogDatabase, secretArn, region, otherSource,
            schemaSource);
    return new RedshiftCommand(kind, auth, catalogRoles, resources, targetTable, targetColumns, objectName, query,
        options, grant, sessionUser, body, dynamicAuth, problems);
  }
}
