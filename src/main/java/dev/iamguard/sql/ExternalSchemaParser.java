package dev.iamguard.sql;

import java.util.List;

/**
 * {@code CREATE EXTERNAL SCHEMA [IF NOT EXISTS] name FROM source ...} for every source (data
 * catalog, Hive metastore, PostgreSQL, MySQL, Kinesis, MSK, Kafka, Redshift) and
 * {@code ALTER EXTERNAL SCHEMA name ...}.
 */
final class ExternalSchemaParser {
  private static final List<String> SOURCE_WORDS = List.of(
      "DATA", "CATALOG", "HIVE", "METASTORE", "POSTGRES", "MYSQL", "KINESIS", "MSK", "KAFKA", "REDSHIFT");

  private ExternalSchemaParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos++; // CREATE or ALTER
    c.acceptWords("EXTERNAL", "SCHEMA");
    c.acceptWords("IF", "NOT", "EXISTS");
    b.objectName = c.readName();
    ClauseLoop.run(c, b, ExternalSchemaParser::clause);
  }

  private static boolean clause(Cursor c, CommandBuilder b) {
    if (c.acceptWord("FROM")) {
      StringBuilder source = new StringBuilder();
      while (c.is(TokenKind.WORD) && SOURCE_WORDS.contains(c.tokens.upperWord(c.pos))) {
        source.append(source.length() == 0 ? "" : " ").append(c.tokens.upperWord(c.pos++));
      }
      b.schemaSource = source.length() == 0 ? null : source.toString();
      return true;
    }
    if (c.isWord("DATABASE") && c.pos + 1 < c.limit && c.tokens.kind(c.pos + 1).isLiteral()) {
      c.pos++;
      String database = b.decisionValue(c.pos++, "DATABASE");
      if (isCatalog(b.schemaSource)) {
        b.catalogDatabase = database;
      }
      b.option("DATABASE", List.of(database), c.tokens.start(c.pos - 2), c.tokens.end(c.pos - 1));
      return true;
    }
    if (c.acceptWord("SECRET_ARN")) {
      b.secretArn = ClauseLoop.resourceLiteral(c, b, "SECRET_ARN");
      return true;
    }
    return false;
  }

  /** Glue/Athena and Hive sources name a catalog database; FROM may be left out for the data catalog. */
  private static boolean isCatalog(String source) {
    return source == null || source.equals("DATA CATALOG") || source.equals("HIVE METASTORE");
  }
}
