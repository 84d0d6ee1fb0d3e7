package dev.iamguard.sql;

import java.util.List;
import java.util.Set;

/**
 * {@code CREATE EXTERNAL SCHEMA [IF NOT EXISTS] name FROM source ...} for every source (data
 * catalog, Hive metastore, PostgreSQL, MySQL, Kinesis, MSK, Kafka, Redshift) and
 * {@code ALTER EXTERNAL SCHEMA name ...}.
 */
final class ExternalSchemaParser {
  private static final Set<String> SOURCE_WORDS = Set.copyOf(SchemaSource.vocabulary());

  private ExternalSchemaParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos++; // CREATE or ALTER
    c.acceptWords("EXTERNAL", "SCHEMA");
    int ifNotExists = c.pos;
    if (c.acceptWords("IF", "NOT", "EXISTS")) {
      // the schema may exist already and keep its role: what the guard then knows of it is told apart
      b.option(CommandOption.IF_NOT_EXISTS, List.of(), c.tokens.start(ifNotExists), c.tokens.end(c.pos - 1));
    }
    int name = c.offset(); // problems of the whole statement point at its name
    b.objectName = c.readName();
    ClauseLoop.run(c, b, ExternalSchemaParser::clause);
    boolean catalog = b.schemaSource == null || b.schemaSource.namesCatalog();
    if (b.kind == CommandKind.CREATE_EXTERNAL_SCHEMA && catalog && b.catalogDatabase == null && b.problems.isEmpty()) {
      // the catalog database is what the role reads: a schema that names none is not judged as reading nothing
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE EXTERNAL SCHEMA from the data catalog names no DATABASE "
          + "'name', so the catalog database the role reads cannot be found");
    }
  }

  private static boolean clause(Cursor c, CommandBuilder b) {
    if (c.isWord("FROM")) {
      b.once("FROM", c.offset());
      c.pos++;
      StringBuilder source = new StringBuilder();
      while (c.is(TokenKind.WORD) && SOURCE_WORDS.contains(c.tokens.upperWord(c.pos))) {
        source.append(source.length() == 0 ? "" : " ").append(c.tokens.upperWord(c.pos++));
      }
      b.schemaSource = source.length() == 0 ? null : SchemaSource.of(source.toString());
      if (b.schemaSource == SchemaSource.UNRECOGNIZED) {
        // "FROM DATA DATA CATALOG", "FROM CATALOG DATA": no source Redshift knows, so none the rules could judge
        b.problem(Problem.Kind.UNPARSEABLE, c.tokens.start(c.pos - 1), "FROM " + source
            + " is no source Redshift knows (DATA CATALOG, HIVE METASTORE, POSTGRES, MYSQL, KINESIS, MSK, KAFKA, "
            + "REDSHIFT)");
      }
      return true;
    }
    if (c.isWord("DATABASE") && c.pos + 1 < c.limit && c.tokens.kind(c.pos + 1).isLiteral()) {
      b.once("DATABASE", c.offset());
      c.pos++;
      int at = c.offset();
      String database = b.withoutBareCredentials(at, "DATABASE", b.decisionValue(c.pos++, "DATABASE"));
      if (b.schemaSource == null || b.schemaSource.namesCatalog()) { // FROM left out: the data catalog
        b.catalogDatabase = database;
      }
      b.option("DATABASE", List.of(database), c.tokens.start(c.pos - 2), c.tokens.end(c.pos - 1));
      return true;
    }
    if (c.isWord("SECRET_ARN")) {
      b.once("SECRET_ARN", c.offset());
      c.pos++;
      b.secretArn = ClauseLoop.resourceLiteral(c, b, "SECRET_ARN");
      return true;
    }
    if (c.isWord("CATALOG_ID")) {
      b.once("CATALOG_ID", c.offset());
      int start = c.pos++;
      b.catalogId = ClauseLoop.resourceLiteral(c, b, "CATALOG_ID");
      b.option("CATALOG_ID", b.catalogId == null ? List.of() : List.of(b.catalogId), c.tokens.start(start),
          c.tokens.end(c.pos - 1));
      return true;
    }
    return false;
  }
}
