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
    ClauseLoop.run(c, b, null);
  }
}
