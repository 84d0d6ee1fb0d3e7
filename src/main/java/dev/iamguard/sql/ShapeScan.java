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

  /** True when token {@code k}, an auth word, is followed by what can only be its value. */
  static boolean hasValueAfter(Tokens t, int k, int to) {
    int next = k + 1;
    if (next >= to) {
      return false;
    }
    switch (t.kind(next)) {
      case STRING:
      case DOLLAR_STRING:
      case BIT_STRING:
      case PARAMETER:
      case UNTERMINATED_STRING:
      case UNTERMINATED_DOLLAR_STRING:
        return true;
      case WORD:
        return t.isWord(next, "DEFAULT") && (t.isWord(k, AuthWords.IAM_ROLE) || t.isWord(k, AuthWords.CATALOG_ROLE))
            || t.isWord(next, "AS") && t.isWord(k, AuthWords.CREDENTIALS);
      default:
        return false;
    }
  }
}
