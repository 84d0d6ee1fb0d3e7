package dev.iamguard.sql;

/**
 * {@code CREATE [OR REPLACE] PROCEDURE name (args) [NONATOMIC] AS $$ body $$ LANGUAGE plpgsql ...}:
 * the body is read as SQL so that COPY and UNLOAD written in it are inspected like top-level
 * statements.
 */
final class ProcedureParser {
  private ProcedureParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWord("PROCEDURE");
    b.objectName = c.readName();
    c.skipGroup();
    while (!c.atEnd()) {
      if (c.isWord("AS") && c.pos + 1 < c.limit && isBody(c.tokens.kind(c.pos + 1))) {
        c.pos++;
        body(c, b);
        c.pos++;
      } else {
        OptionReader.read(c, b);
      }
    }
  }

  private static boolean isBody(TokenKind kind) {
    return kind.isLiteral() || kind == TokenKind.UNTERMINATED_STRING
        || kind == TokenKind.UNTERMINATED_DOLLAR_STRING;
  }

  private static void body(Cursor c, CommandBuilder b) {
    Tokens t = c.tokens;
    int i = c.pos;
    TokenKind kind = t.kind(i);
    if (kind.isUnterminated()) {
      b.problem(Problem.Kind.UNPARSEABLE, t.start(i),
          "procedure body is unterminated: the statements in it cannot be read");
    } else if (kind == TokenKind.DOLLAR_STRING) {
      int from = Literals.valueStart(t.source(), t.start(i), kind);
      int tagLength = from - t.start(i);
      ProcedureBody.read(Lexer.tokenize(t.source(), from, t.end(i) - tagLength), b, true, null, null);
    } else {
      // A single-quoted body is read unescaped; its offsets do not map back to the script, its lines do.
      ProcedureBody.read(Lexer.tokenize(t.literalValue(i)), b, false, new Span(t.start(i), t.end(i)),
          Tokens.lineAndColumn(t.source(), t.start(i) + 1));
    }
  }
}
