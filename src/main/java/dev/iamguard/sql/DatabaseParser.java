package dev.iamguard.sql;

/**
 * {@code CREATE DATABASE name [WITH ...] [FROM INTEGRATION | ARN | DATASHARE ...]
 * [IAM_ROLE { DEFAULT | 'SESSION' | 'arn' }]}.
 */
final class DatabaseParser {
  private DatabaseParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.acceptWords("CREATE", "DATABASE");
    b.objectName = c.readName();
    ClauseLoop.run(c, b, DatabaseParser::clause);
  }

  /**
   * {@code FROM ARN 'arn'}: a Glue database ({@code arn:aws:glue:region:account:database/name}) is
   * a catalog database the role must be allowed to use; a datashare ARN is no AWS resource of the
   * role.
   */
  private static boolean clause(Cursor c, CommandBuilder b) {
    if (!(c.isWord("FROM") && c.isWordAt(1, "ARN"))) {
      return false;
    }
    int start = c.pos;
    b.once("FROM ARN", c.offset());
    c.pos += 2;
    String arn = ClauseLoop.resourceLiteral(c, b, "FROM ARN");
    b.option("FROM", arn == null ? java.util.List.of("ARN") : java.util.List.of("ARN", arn), c.tokens.start(start),
        c.tokens.end(c.pos - 1));
    if (arn != null && arn.matches("(?s)arn:[^:]*:glue:.*")) {
      b.catalogArn = arn;
      int slash = arn.indexOf(":database/");
      b.catalogDatabase = slash < 0 ? null : arn.substring(slash + ":database/".length());
    }
    return true;
  }
}
