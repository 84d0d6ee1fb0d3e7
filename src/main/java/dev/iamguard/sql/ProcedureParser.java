package dev.iamguard.sql;

/**
 * {@code CREATE [OR REPLACE] PROCEDURE name (args) [NONATOMIC] AS $$ body $$ LANGUAGE plpgsql ...}:
 * the body is read as SQL so that COPY and UNLOAD written in it are inspected like top-level
 * statements.
 */
final class ProcedureParser {
  /** Bodies nested deeper than this are not read (a body per level costs a stack frame or more). */
  static final int MAX_DEPTH = 8;

  private ProcedureParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWord("PROCEDURE");
    int name = c.offset();
    b.objectName = c.readName();
    c.skipGroup();
    boolean bodyRead = false;
    while (!c.atEnd()) {
      if (opensBody(c, 0)) {
        c.pos++;
        body(c, b);
        c.pos++;
        bodyRead = true;
      } else if (c.is(TokenKind.WORD) && opensBody(c, 1)) {
        // NONATOMIC AS $$..$$, SECURITY DEFINER AS $$..$$: an option without a value, not one whose
        // value is the body (the option reader takes an optional AS and a literal after a name)
        b.option(c.tokens.upperWord(c.pos), java.util.List.of(), c.offset(), c.tokens.end(c.pos));
        c.pos++;
      } else {
        OptionReader.read(c, b);
      }
    }
    if (!bodyRead && b.problems.isEmpty()) {
      // a procedure always has a body: one not found here was read as something else
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE PROCEDURE is read as CREATE PROCEDURE name (args) [options]"
          + " AS 'body' [options], and no body was found after AS, so the statements it runs cannot be read");
    }
  }

  /** True when the token {@code ahead} places after the cursor is {@code AS} followed by a body literal. */
  private static boolean opensBody(Cursor c, int ahead) {
    int at = c.pos + ahead;
    return at + 1 < c.limit && c.tokens.isWord(at, "AS") && isBody(c.tokens.kind(at + 1));
  }

  static boolean isBody(TokenKind kind) {
    return kind.isLiteral() || kind == TokenKind.UNTERMINATED_STRING
        || kind == TokenKind.UNTERMINATED_DOLLAR_STRING;
  }

  /** Reads the body literal at the cursor (its token not consumed) into {@code b}: see {@link ProcedureBody#read}. */
  static void body(Cursor c, CommandBuilder b) {
    Tokens t = c.tokens;
    int i = c.pos;
    TokenKind kind = t.kind(i);
    if (kind.isUnterminated()) {
      b.problem(Problem.Kind.UNPARSEABLE, t.start(i),
          "procedure body is unterminated: the statements in it cannot be read");
      return;
    }
    if (t.depth >= MAX_DEPTH) {
      b.problem(Problem.Kind.UNPARSEABLE, t.start(i), "procedure bodies are nested more than "
          + MAX_DEPTH + " deep: the statements in them are not read");
      return;
    }
    Tokens body;
    Span literal = null;
    int[] origin;
    int from = 0; // where a dollar-quoted body's text starts in the script
    if (kind == TokenKind.DOLLAR_STRING) {
      from = Literals.valueStart(t.source(), t.start(i), kind);
      body = Lexer.tokenize(t.source(), from, t.end(i) - (from - t.start(i)));
      origin = b.origin();
    } else {
      // A single-quoted body is read as the server decodes it, every escape applied, so that no
      // comment, keyword or quote hides or appears through one. Its offsets do not map back to
      // the script, its lines do (decoding keeps every newline written as one).
      Literals.Value decoded = t.literal(i);
      if (decoded.doubt() != null) {
        b.problem(Problem.Kind.UNPARSEABLE, t.start(i), "procedure body uses " + decoded.doubt()
            + ": the statements in it cannot be known; write the body as a dollar-quoted literal");
        return;
      }
      if (ReadingsOfCode.decodedOtherwise(t, i)) {
        // still read as Redshift decodes it: its statements are decided, and its secrets masked, all the same
        b.problem(Problem.Kind.UNPARSEABLE, t.start(i), ReadingsOfCode.QUOTED_BACKSLASH);
      }
      body = Lexer.tokenize(decoded.text());
      literal = new Span(t.start(i), t.end(i));
      int[] at = b.position(t.start(i) + 1);
      origin = new int[] {at[0], at[1], 0};
    }
    body.depth = t.depth + 1;
    if (body.backslashInLiteral || body.readingsMayDiffer) {
      // the server lexes the body with its own settings when it runs it: where PostgreSQL's reading
      // (a backslash an ordinary character, '#' an operator) places a literal otherwise than the guard's,
      // the statements it runs are not those read here (DoBlockServerTest: such a block ran a COPY as r3)
      String text = literal == null ? t.source().substring(from, t.end(i) - (from - t.start(i))) : body.source();
      int at = ReadingsOfCode.firstDisagreement(text);
      if (at >= 0) {
        b.problem(Problem.Kind.UNPARSEABLE, literal == null ? from + at : t.start(i), ReadingsOfCode.DISAGREE);
      }
    }
    ProcedureBody.read(body, b, kind == TokenKind.DOLLAR_STRING, literal, origin);
  }
}
