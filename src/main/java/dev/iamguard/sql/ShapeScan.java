package dev.iamguard.sql;

/**
 * Fails closed on auth clauses the grammar did not read: an auth word followed by what can only be
 * its value ({@code IAM_ROLE 'x'}, {@code IAM_ROLE DEFAULT}, {@code CREDENTIALS AS ..},
 * {@code ACCESS_KEY_ID ?}) anywhere the grammar did not consume it becomes a {@link Problem}. An
 * identifier that merely looks like a keyword ({@code select iam_role from t}) is left alone, and
 * so is the grantee form of ordinary GRANT/REVOKE ({@code TO IAM_ROLE 'arn'}).
 */
final class ShapeScan {
  private ShapeScan() {}

  static void scan(Tokens t, int from, int to, CommandBuilder b, boolean granteeForms) {
    for (int k = from; k < to; k++) {
      if (!AuthWords.isAuthWord(t, k) || b.wasConsumed(k) || !hasValueAfter(t, k, to)) {
        continue;
      }
      if (granteeForms && t.isWord(k, AuthWords.IAM_ROLE)
          && (t.isWord(k - 1, "TO") || t.isWord(k - 1, "FROM") || t.is(k - 1, TokenKind.COMMA))) {
        continue;
      }
      String word = t.upperWord(k);
      if (t.is(k + 1, TokenKind.PARAMETER)) {
        b.problem(Problem.Kind.PARAMETER, t.start(k), word
            + " value is a bind parameter; its value cannot be checked before it is sent");
      } else {
        b.problem(Problem.Kind.UNPARSEABLE, t.start(k), word + " clause where iamguard cannot read it ("
            + (b.kind == CommandKind.OTHER ? "in a statement that is not an auth-carrying command"
                : "not a clause of " + b.kind) + ")");
      }
    }
  }

  /**
   * True when token {@code k}, an auth word, is followed by what can only be its value: a literal
   * or bind parameter, {@code DEFAULT}, {@code CREDENTIALS AS}, or {@code U&'..'} (a name
   * {@code U}, {@code &} and a literal to Redshift's scanner, never valid after a column name). A
   * name, an operator, a parenthesis or {@code AS} after it is left alone: {@code where iam_role =
   * 'x'}, {@code select iam_role "r"} and {@code select 1 iam_role as 'x'} read as a column or alias
   * of that name.
   */
  static boolean hasValueAfter(Tokens t, int k, int to) {
    int next = k + 1;
    if (next >= to) {
      return false;
    }
    if (isValue(t.kind(next))) {
      return true;
    }
    if (t.kind(next) != TokenKind.WORD) {
      return false;
    }
    return t.isWord(next, "DEFAULT") && (t.isWord(k, AuthWords.IAM_ROLE) || t.isWord(k, AuthWords.CATALOG_ROLE))
        || t.isWord(next, "AS") && t.isWord(k, AuthWords.CREDENTIALS)
        || isUnicodeEscapePrefix(t, next) && next + 2 < to && isValue(t.kind(next + 2));
  }

  private static boolean isValue(TokenKind kind) {
    switch (kind) {
      case STRING:
      case DOLLAR_STRING:
      case BIT_STRING:
      case PARAMETER:
      case UNTERMINATED_STRING:
      case UNTERMINATED_DOLLAR_STRING:
        return true;
      default:
        return false;
    }
  }

  /** The {@code U} and {@code &} of {@code U&'..'}, at {@code k} and after it. */
  private static boolean isUnicodeEscapePrefix(Tokens t, int k) {
    return t.end(k) - t.start(k) == 1 && (t.source().charAt(t.start(k)) | 0x20) == 'u'
        && t.is(k + 1, TokenKind.OPERATOR) && t.source().charAt(t.start(k + 1)) == '&';
  }
}
