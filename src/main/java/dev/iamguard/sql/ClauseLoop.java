package dev.iamguard.sql;

/**
 * Reads the free-order clauses after a command's head: auth clauses, {@code REGION}, what the
 * command itself knows, and any other option.
 */
final class ClauseLoop {
  /** A command's own clauses; returns false (cursor unmoved) when the clause is not one of them. */
  interface Clauses {
    boolean read(Cursor c, CommandBuilder b);
  }

  private ClauseLoop() {}

  static void run(Cursor c, CommandBuilder b, Clauses own) {
    while (!c.atEnd()) {
      if (AuthClauseParser.read(c, b) || region(c, b) || own != null && own.read(c, b)) {
        continue;
      }
      OptionReader.read(c, b);
    }
  }

  private static boolean region(Cursor c, CommandBuilder b) {
    if (!c.isWord("REGION")) {
      return false;
    }
    int start = c.pos;
    b.once("REGION", c.offset());
    c.pos++;
    c.acceptWord("AS");
    if (c.isLiteral()) {
      int at = c.offset();
      b.region = b.withoutBareCredentials(at, "REGION", b.decisionValue(c.pos++, "REGION"));
    } else {
      // a region the guard cannot read is not the cluster's (probe 22a F2): why, as for other resources
      resourceLiteral(c, b, "REGION");
    }
    b.option("REGION", b.region == null ? java.util.List.of() : java.util.List.of(b.region),
        c.tokens.start(start), c.tokens.end(c.pos - 1));
    return true;
  }

  /**
   * Reads the literal naming a resource (an S3 location, a Lambda function); anything else there
   * (a bind parameter, an unterminated literal, a bit string, a name such as the {@code U} of
   * {@code U&'..'}, nothing) is a problem, since the resource could not be checked. Returns the
   * value, or null.
   */
  static String resourceLiteral(Cursor c, CommandBuilder b, String what) {
    TokenKind kind = c.kind();
    if (kind == TokenKind.STRING || kind == TokenKind.DOLLAR_STRING) {
      int at = c.offset();
      return b.withoutBareCredentials(at, what, b.decisionValue(c.pos++, what));
    }
    if (kind == TokenKind.PARAMETER) {
      b.problem(Problem.Kind.PARAMETER, c.offset(), what
          + " is a bind parameter; its value cannot be checked before it is sent. Write it in the SQL text");
      c.pos++;
    } else if (kind != null && kind.isUnterminated()) {
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), what + " is an unterminated literal");
    } else {
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), what + (kind == null ? " is missing"
          : " is not a quoted literal but a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
          + "; write it as a single-quoted literal");
    }
    return null;
  }

  /**
   * An {@code s3://} literal of tokens {@code [from, to)} that is none of the locations the
   * grammar placed (an option it does not know, a clause whose keyword is misspelt): the role may
   * read or write it, so the statement is unreadable rather than judged without it.
   */
  static void strayLocations(Tokens t, int from, int to, int skip, CommandBuilder b) {
    for (int k = from; k < to && b.problems.isEmpty(); k++) {
      boolean literal = t.kind(k) == TokenKind.STRING || t.kind(k) == TokenKind.DOLLAR_STRING;
      if (literal && k != skip && !b.inAuthClause(t.start(k)) && !placedAsWritten(t, k, b) && mayBeLocation(t, k)) {
        String value = t.literalValue(k);
        if (value.regionMatches(true, 0, "s3://", 0, 5) && !placed(b, value)) {
          b.problem(Problem.Kind.UNPARSEABLE, t.start(k), "an S3 location stands where the statement's grammar "
              + "places none, so what the role does with it cannot be known");
        }
      }
    }
  }

  /** Whether literal {@code k} is {@code 'uri'} of a placed location, quotes and all: the usual case, read without decoding. */
  private static boolean placedAsWritten(Tokens t, int k, CommandBuilder b) {
    int start = t.start(k);
    int length = t.end(k) - start;
    for (int at = 0; at < b.s3.size(); at++) {
      S3Location location = b.s3.get(at);
      String uri = location.uri();
      if (length == uri.length() + 2 && t.source().charAt(start) == '\'' && t.source().startsWith(uri, start + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the grammar placed {@code uri} (the literal's value, however it was written). */
  private static boolean placed(CommandBuilder b, String uri) {
    for (S3Location location : b.s3) {
      if (location.uri().equals(uri)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether literal {@code k} may read as {@code s3://...}: its text holds a slash, or a backslash
   * that could spell one. Only those are decoded: most option values (delimiters, formats, dates)
   * hold neither. ({@code U&'..'} is no literal to Redshift's scanner, which predates it: the
   * string after {@code U&} is a plain one, slashes and all.)
   */
  private static boolean mayBeLocation(Tokens t, int k) {
    String source = t.source();
    for (int i = t.start(k); i < t.end(k); i++) {
      char c = source.charAt(i);
      if (c == '/' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Records an S3 location, or a non-S3 source, from a literal value. */
  static void location(CommandBuilder b, String value, S3Location.Access access, S3Location.Purpose purpose) {
    if (value == null) {
      return;
    }
    if (value.regionMatches(true, 0, "s3://", 0, 5)) {
      b.addS3(new S3Location(value, access, purpose));
    } else if (b.otherSource == null) {
      b.otherSource = value;
    }
  }
}
