package dev.iamguard.sql;

/**
 * The statements that point an external table at S3, which Redshift then reads or writes with the
 * role of the table's external schema (facts 3: "CREATE EXTERNAL TABLE | none (uses the schema's
 * role)"):
 * <ul>
 *   <li>{@code CREATE EXTERNAL TABLE schema.t (cols) [PARTITIONED BY (..)] [ROW FORMAT ..]
 *       STORED AS .. LOCATION 's3://..' [TABLE PROPERTIES (..)]}: read by later queries;
 *   <li>the same ending in {@code AS select} (CETAS): written now;
 *   <li>{@code ALTER TABLE schema.t SET LOCATION 's3://..'}, {@code ALTER TABLE schema.t ADD [IF NOT
 *       EXISTS] PARTITION (..) LOCATION 's3://..' [, PARTITION (..) LOCATION ..]} and
 *       {@code ALTER TABLE schema.t PARTITION (..) SET LOCATION 's3://..'}: read by later queries
 *       (the name also written as PostgreSQL's {@code ONLY schema.t} or {@code schema.t *}).
 * </ul>
 * An ALTER TABLE without a LOCATION is no concern of the guard. The command records
 * {@link #PARTITIONED_BY} for a CREATE that declares partition columns and {@link #ADD_PARTITION}
 * for an ALTER that adds partitions: both register partitions in the external catalog, which
 * needs catalog permissions of their own (what suggest grants).
 */
final class ExternalTableParser {
  /** The option a CREATE EXTERNAL TABLE (CETAS too) with {@code PARTITIONED BY (..)} records. */
  static final String PARTITIONED_BY = CommandOption.PARTITIONED_BY;
  /** The option an {@code ALTER TABLE .. ADD [IF NOT EXISTS] PARTITION (..)} records. */
  static final String ADD_PARTITION = CommandOption.ADD_PARTITION;

  private ExternalTableParser() {}

  static void create(Cursor c, CommandBuilder b) {
    c.acceptWord("CREATE");
    c.acceptWords("OR", "REPLACE");
    c.acceptWords("EXTERNAL", "TABLE");
    c.acceptWords("IF", "NOT", "EXISTS");
    int name = c.offset();
    b.targetTable = c.readName();
    int location = -1;
    while (!c.atEnd()) {
      if (c.skipGroup() >= 0) {
        continue;
      }
      if (c.isWord("PARTITIONED") && c.isWordAt(1, "BY")) {
        int at = c.offset();
        c.pos += 2;
        b.option(PARTITIONED_BY, java.util.List.of(), at, c.tokens.end(c.pos - 1));
        continue;
      }
      if (c.isWord("LOCATION") && c.pos + 1 < c.limit) {
        // one table, one location: with two, CETAS would be judged as writing the last one only
        b.once("LOCATION", c.offset());
        c.pos++;
        location = b.s3.size();
        ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "external table LOCATION"), S3Location.Access.READ,
            S3Location.Purpose.EXTERNAL_TABLE);
      } else if (c.isWord("AS") && !c.tokens.isWord(c.pos - 1, "STORED") && c.pos + 1 < c.limit) {
        // CETAS: whatever follows AS is the query (SELECT, WITH, a parenthesis, but also VALUES or
        // TABLE t, which PostgreSQL's grammar takes), so the location is written, not only read
        query(c, b);
        if (location >= 0 && location < b.s3.size()) { // CETAS writes the table's files now
          b.setS3(location, new S3Location(b.s3.get(location).uri(), S3Location.Access.WRITE,
              S3Location.Purpose.EXTERNAL_TABLE));
        }
        break;
      } else {
        c.pos++;
      }
    }
    if (location < 0 && b.problems.isEmpty()) {
      // the location is what the schema's role reads (or, for CETAS, writes): a table without one is not harmless
      b.problem(Problem.Kind.UNPARSEABLE, name, "CREATE EXTERNAL TABLE names no LOCATION 's3://...', so the "
          + "files its schema's role reads cannot be found");
    }
  }

  static void alter(Cursor c, CommandBuilder b) {
    c.acceptWords("ALTER", "TABLE");
    c.acceptWords("IF", "EXISTS");
    c.acceptWord("ONLY");
    b.targetTable = c.readName();
    if (!c.atEnd() && CommandParser.isStar(c.tokens, c.pos)) {
      c.pos++;
    }
    while (!c.atEnd()) {
      if (c.skipGroup() >= 0) {
        continue;
      }
      if (c.isWord("ADD") && (c.isWordAt(1, "PARTITION") || c.isWordAt(1, "IF") && c.isWordAt(2, "NOT")
          && c.isWordAt(3, "EXISTS") && c.isWordAt(4, "PARTITION"))) {
        int at = c.offset();
        c.pos += c.isWordAt(1, "PARTITION") ? 2 : 5;
        if (b.options.stream().noneMatch(o -> o.name().equals(ADD_PARTITION))) {
          b.option(ADD_PARTITION, java.util.List.of(), at, c.tokens.end(c.pos - 1));
        }
        continue;
      }
      if (c.isWord("LOCATION") && c.pos + 1 < c.limit) {
        c.pos++;
        ClauseLoop.location(b, ClauseLoop.resourceLiteral(c, b, "external table LOCATION"), S3Location.Access.READ,
            S3Location.Purpose.EXTERNAL_TABLE);
      } else {
        c.pos++;
      }
    }
  }

  /** True when {@code ALTER TABLE} carries a LOCATION (or a problem where one stands). */
  static boolean hasLocation(CommandBuilder b) {
    return !b.s3.isEmpty() || b.otherSource != null || !b.problems.isEmpty();
  }

  private static void query(Cursor c, CommandBuilder b) {
    int first = c.pos + 1;
    int start = c.tokens.start(first);
    int end = c.tokens.end(c.limit - 1);
    String text = c.tokens.source().substring(start, end).strip();
    if (text.startsWith("(") && text.endsWith(")")) {
      text = text.substring(1, text.length() - 1).strip();
    }
    b.query = new EmbeddedQuery(text, new Span(start, end));
    c.pos = c.limit;
  }
}
