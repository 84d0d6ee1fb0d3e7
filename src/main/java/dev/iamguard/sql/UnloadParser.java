package dev.iamguard.sql;

/** {@code UNLOAD ('query') TO 's3://prefix' <auth> [options]}. */
final class UnloadParser {
  private UnloadParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos++; // UNLOAD
    int groupStart = c.pos;
    if (c.accept(TokenKind.LEFT_PAREN)) {
      if (c.isLiteral()) {
        b.query = new EmbeddedQuery(c.tokens.source(), c.span(), c.kind());
      } else if (c.kind() != null && c.kind().isUnterminated()) {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(),
            "UNLOAD query is an unterminated literal: the rest of the statement cannot be read");
      }
      c.pos = groupStart;
      c.skipGroup();
    }
    if (c.acceptWord("TO")) {
      ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "UNLOAD target"),
          S3Location.Access.WRITE, S3Location.Purpose.UNLOAD_TARGET);
    }
    ClauseLoop.run(c, b, null);
  }
}
