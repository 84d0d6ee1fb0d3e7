package dev.iamguard.sql;

/**
 * {@code SET [SESSION | LOCAL] SESSION AUTHORIZATION { user | 'user' | DEFAULT }} and
 * {@code RESET SESSION AUTHORIZATION}; DEFAULT and RESET return to the login user (null).
 */
final class SessionAuthorizationParser {
  private SessionAuthorizationParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    if (c.acceptWord("RESET")) {
      c.acceptWords("SESSION", "AUTHORIZATION");
      return;
    }
    c.acceptWord("SET");
    if (!c.acceptWord("LOCAL")) {
      if (c.isWordAt(1, "SESSION")) {
        c.acceptWord("SESSION");
      }
    }
    c.acceptWords("SESSION", "AUTHORIZATION");
    if (c.acceptWord("DEFAULT")) {
      return;
    }
    if (c.isLiteral()) {
      b.sessionUser = b.decisionValue(c.pos, "SET SESSION AUTHORIZATION's user");
      c.pos++;
    } else if (c.is(TokenKind.PARAMETER)) {
      b.problem(Problem.Kind.PARAMETER, c.offset(),
          "SET SESSION AUTHORIZATION names its user with a bind parameter; the identity of later statements cannot be known");
    } else {
      b.sessionUser = AssumeRoleParser.identifier(c);
      if (b.sessionUser == null) {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(),
            "SET SESSION AUTHORIZATION names no user; the identity of later statements cannot be known");
      }
    }
  }
}
