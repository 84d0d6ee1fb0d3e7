package dev.iamguard.sql;

/** {@code UNLOAD ('query') TO 's3://prefix' <auth> [options]}. */
final class UnloadParser {
  private UnloadParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    int first = c.pos++; // UNLOAD
    int groupStart = c.pos;
    boolean group = c.is(TokenKind.LEFT_PAREN);
    int query = -1;
    if (c.accept(TokenKind.LEFT_PAREN)) {
      if (c.isLiteral()) {
        query = c.pos;
        b.query = new EmbeddedQuery(c.tokens.source(), c.span(), c.kind());
      } else if (c.kind() != null && c.kind().isUnterminated()) {
        b.problem(Problem.Kind.UNPARSEABLE, c.offset(),
            "UNLOAD query is an unterminated literal: the rest of the statement cannot be read");
      }
      c.pos = groupStart;
      c.skipGroup();
    }
    if ((!group || !c.isWord("TO")) && b.problems.isEmpty()) { // an unterminated query already said why
      // the target is what the role writes: a statement whose target cannot be found is not judged as harmless
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), "UNLOAD is read as UNLOAD ('query') TO 's3://...': "
          + (group ? "TO does not follow the query" : "the query is not in parentheses")
          + ", so the location it writes cannot be found");
    }
    if (c.acceptWord("TO")) {
      ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "UNLOAD target"),
          S3Location.Access.WRITE, S3Location.Purpose.UNLOAD_TARGET);
    }
    ClauseLoop.run(c, b, null);
    ClauseLoop.strayLocations(c.tokens, first, c.limit, query, b); // the query is no location
  }
}
