package dev.iamguard.sql;

/** {@code CREATE [OR REPLACE] LIBRARY name LANGUAGE plpythonu FROM 'location' [<auth>] [REGION [AS] 'r']}. */
final class LibraryParser {
  private LibraryParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    int first = c.pos;
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWord("LIBRARY");
    int name = c.offset(); // problems of the whole statement point at its name
    b.objectName = c.readName();
    ClauseLoop.run(c, b, LibraryParser::clause);
    if (b.s3.isEmpty() && b.otherSource == null && b.problems.isEmpty()) {
      // the archive is what the role reads: a library whose archive cannot be found is not judged as reading nothing
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE LIBRARY names no FROM 'location', so the archive the role "
          + "reads cannot be found");
    }
    // a second location ('s3://a/' 's3://b/', joined by || or a comma) is read by no clause: the role may read it
    // (after the check above, so that a FROM left out is named as such; this adds nothing to a statement with a problem)
    ClauseLoop.strayLocations(c.tokens, first, c.limit, -1, b);
  }

  private static boolean clause(Cursor c, CommandBuilder b) {
    if (!c.acceptWord("FROM")) {
      return false;
    }
    ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "CREATE LIBRARY location"),
        S3Location.Access.READ, S3Location.Purpose.LIBRARY);
    return true;
  }
}
