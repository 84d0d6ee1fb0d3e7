package dev.iamguard.sql;

/**
 * {@code SET [SESSION | LOCAL] SESSION AUTHORIZATION { user | 'user' | DEFAULT }},
 * {@code RESET SESSION AUTHORIZATION}, and the parameter forms
 * {@code SET [SESSION | LOCAL] session_authorization { TO | = } { user | 'user' | DEFAULT }} and
 * {@code RESET session_authorization} (the parameter's name also quoted, in any case); DEFAULT and
 * RESET return to the login user (null).
 */
final class SessionAuthorizationParser {
  private SessionAuthorizationParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    read(c, b);
    if (b.problems.isEmpty() && !c.atEnd()) {
      // the server refuses the whole statement, so nobody is switched to: reading the user before
      // it as a switch judged what follows for a user who never ran it
      b.sessionUser = null;
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), "SET or RESET SESSION AUTHORIZATION goes on after"
          + " its user (a word, a cast, an operator, a list), which the server refuses; the identity of later"
          + " statements cannot be known");
    }
  }

  private static void read(Cursor c, CommandBuilder b) {
    if (c.acceptWord("RESET")) {
      if (!acceptParameter(c)) {
        c.acceptWords("SESSION", "AUTHORIZATION");
      }
      return;
    }
    c.pos = CommandParser.scopeEnd(c.tokens, c.pos);
    if (acceptParameter(c)) {
      if (!c.acceptWord("TO") && !acceptEquals(c)) {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(),
            "SET session_authorization needs TO or = before the user; the identity of later statements cannot be known");
        return;
      }
    } else {
      c.acceptWords("SESSION", "AUTHORIZATION");
    }
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
      b.sessionUser = ReservedWords.at(c) ? null : AssumeRoleParser.identifier(c);
      if (b.sessionUser == null) {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(),
            "SET SESSION AUTHORIZATION names no user; the identity of later statements cannot be known");
      }
    }
  }

  /** Moves past {@code session_authorization}, a word or a quoted name in any case, when it is current. */
  private static boolean acceptParameter(Cursor c) {
    if (!c.atEnd() && CommandParser.isParameter(c.tokens, c.pos, CommandParser.SESSION_AUTHORIZATION)) {
      c.pos++;
      return true;
    }
    return false;
  }

  private static boolean acceptEquals(Cursor c) {
    if (c.is(TokenKind.OPERATOR) && c.tokens.text(c.pos).equals("=")) {
      c.pos++;
      return true;
    }
    return false;
  }
}
