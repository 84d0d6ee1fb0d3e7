package dev.iamguard.sql;


/**
 * Finds the auth-carrying statements written literally in a PL/pgSQL body, and the literals that
 * hold auth clause text for dynamic {@code EXECUTE}.
 *
 * <p>A statement may begin where a PL/pgSQL statement begins: at the start of the body, after
 * {@code ;}, or after {@code BEGIN}, {@code THEN}, {@code ELSE}, {@code LOOP} or a {@code >>}
 * label. An auth clause anywhere else in the body is reported as unparseable by the shape scan.
 */
final class ProcedureBody {

  private ProcedureBody() {}

  /**
   * Reads the body tokens {@code t}.
   *
   * @param literal the body literal's span in the script when {@code t.source()} is not the script
   *     itself (the unescaped text of a single-quoted body), else null: offsets of the procedure's
   *     own problems and dynamic SQL are then that literal's, as body offsets mean nothing in the script
   * @param origin {line, column, offset}: offset {@code origin[2]} of {@code t.source()} stands at
   *     that line and column of the script. Lines of body statements are counted on from there,
   *     linearly; for a single-quoted body (unescaping keeps every newline) lines stay exact and
   *     columns after a {@code ''} on the same line are approximate.
   */
  static void read(Tokens t, CommandBuilder b, boolean rewritable, Span literal, int[] origin) {
    CommandBuilder outside = new CommandBuilder(t, CommandKind.CREATE_PROCEDURE);
    int index = 0;
    int k = 0;
    Positions positions = new Positions(t.source(), origin);
    while (k < t.count()) {
      if (canStartStatement(t, k) && CommandParser.classify(t, k, t.count()) != CommandKind.OTHER) {
        int end = k;
        while (end < t.count() && t.kind(end) != TokenKind.SEMICOLON) {
          end++;
        }
        int[] lineColumn = positions.at(t.start(k));
        RedshiftCommand command = CommandParser.parse(t, k, end, lineColumn[0], lineColumn[1]);
        if (command.needsInspection()) {
          b.body.add(new SqlStatement(t.source(), ++index, lineColumn[0], lineColumn[1],
              t.start(k), t.end(end - 1), rewritable, command));
          k = end;
          continue;
        }
      }
      if (t.kind(k).isLiteral() && holdsAuthText(t.literalValue(k))) {
        b.dynamicAuth.add(literal == null ? new Span(t.start(k), t.end(k)) : literal);
      }
      if (AuthWords.isAuthWord(t, k)) {
        ShapeScan.scan(t, k, k + 2, outside, false);
      }
      k++;
    }
    for (Problem problem : outside.problems) {
      b.problems.add(literal == null ? problem : new Problem(problem.kind(), literal.start(), problem.reason()));
    }
  }

  private static boolean canStartStatement(Tokens t, int k) {
    if (t.kind(k) != TokenKind.WORD) {
      return false;
    }
    return k == 0 || t.is(k - 1, TokenKind.SEMICOLON) || t.isWord(k - 1, "BEGIN")
        || t.isWord(k - 1, "THEN") || t.isWord(k - 1, "ELSE") || t.isWord(k - 1, "LOOP")
        || t.is(k - 1, TokenKind.OPERATOR) && t.text(k - 1).equals(">");
  }

  private static boolean holdsAuthText(String value) {
    return AuthWords.mentionsCredentialWord(value);
  }
}
