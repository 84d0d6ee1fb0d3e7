package dev.iamguard.sql;

/** {@code CREATE [OR REPLACE] LIBRARY name LANGUAGE plpythonu FROM 'location' [<auth>] [REGION [AS] 'r']}. */
final class LibraryParser {
  private LibraryParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWord("LIBRARY");
    b.objectName = c.readName();
    ClauseLoop.run(c, b, LibraryParser::clause);
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
