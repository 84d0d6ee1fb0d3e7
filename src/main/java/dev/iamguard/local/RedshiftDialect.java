package dev.iamguard.local;

import dev.iamguard.sql.SqlTokens;
import dev.iamguard.sql.SqlTokens.Kind;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Rewrites Redshift SQL into SQL H2 runs the same way, token by token on the project's own lexer,
 * so that a literal, a comment or a quoted identifier is never touched: Redshift table attributes
 * without local effect are dropped ({@code DISTSTYLE}, {@code DISTKEY}, {@code SORTKEY},
 * {@code ENCODE}, {@code BACKUP}, {@code COLLATE CASE_SENSITIVE}), Redshift spellings are written
 * the way H2 knows them ({@code IDENTITY(seed, step)}, {@code VARCHAR(MAX)}, {@code TEXT},
 * {@code TIMESTAMPTZ}, temporary tables, {@code GETDATE()}, {@code SYSDATE}, date part
 * abbreviations), and what H2 cannot hold ({@code SUPER}, spatial and sketch types,
 * case-insensitive collation) is refused with {@code 0AI01}. A string literal holding a backslash
 * is written with the value Redshift reads (H2 has no backslash escapes). A text with nothing to
 * rewrite is returned as the same object.
 *
 * <p>Only the local path uses this: the guard decides on the text as written, before any rewrite.
 */
final class RedshiftDialect {
  /** Looks up an existing table for {@code CREATE TABLE ... (LIKE parent)}. */
  interface Catalog {
    /**
     * The column definitions (name, type, NOT NULL, and with {@code defaults} the DEFAULT clause)
     * of {@code table} as written in the statement, comma-separated, in H2's syntax.
     */
    String columnsLike(String table, boolean defaults) throws SQLException;
  }

  /** Redshift's VARCHAR(MAX) and CHAR(MAX), in bytes; H2 counts characters, the same for ASCII. */
  static final int VARCHAR_MAX = 65535;
  static final int CHAR_MAX = 4096;
  /** VARCHAR, TEXT and NVARCHAR without a length hold 256 bytes in Redshift. */
  static final int DEFAULT_VARCHAR = 256;
  static final int DEFAULT_VARBYTE = 64000;

  /**
   * H2's own functions that read and write files or link other databases: Redshift has none of
   * them, and on the local database they reach the folder standing in for S3 around the emulated
   * COPY and UNLOAD, whose keys the guard checks (red-team review: CSVREAD read a bucket the role may
   * not, FILE_WRITE in the query of an allowed UNLOAD wrote outside its prefix). Refused as Redshift
   * refuses a function it does not have.
   */
  private static final Set<String> H2_FILE_FUNCTIONS = Set.of("FILE_READ", "FILE_WRITE", "CSVREAD", "CSVWRITE",
      "LINK_SCHEMA");
  /** H2's statements that run or write script and backup files: Redshift has none of them. */
  private static final Set<String> H2_FILE_STATEMENTS = Set.of("RUNSCRIPT", "SCRIPT", "BACKUP");
  /** What H2's CREATE makes of Java code or another database (CREATE ALIAS, LINKED TABLE, ...): none is Redshift's. */
  private static final Set<String> H2_CODE_OBJECTS = Set.of("ALIAS", "LINKED", "AGGREGATE", "TRIGGER");
  /** The words H2 allows between CREATE and those objects. */
  private static final Set<String> CREATE_MODIFIERS = Set.of("OR", "REPLACE", "FORCE", "GLOBAL", "LOCAL", "TEMPORARY",
      "TEMP");

  private final SqlTokens t;
  private final String sql;
  private final Catalog catalog;
  private final Consumer<String> dropped;
  private final boolean[] claimed;
  private final Map<Integer, Edit> edits = new TreeMap<>();

  private record Edit(int start, int end, String text) {}

  private RedshiftDialect(String sql, Catalog catalog, Consumer<String> dropped) {
    this.sql = sql;
    this.t = SqlTokens.of(sql);
    this.catalog = catalog;
    this.dropped = dropped;
    this.claimed = new boolean[t.count()];
  }

  /**
   * The H2 form of {@code sql}.
   *
   * @param catalog resolves {@code (LIKE parent)}; null refuses it
   * @param dropped told the kind of each attribute dropped ({@code "DISTKEY"}, ...)
   * @throws SQLException {@code 0AI01} naming what H2 cannot emulate
   */
  static String toH2(String sql, Catalog catalog, Consumer<String> dropped) throws SQLException {
    if (sql == null || sql.isEmpty()) {
      return sql;
    }
    RedshiftDialect dialect = new RedshiftDialect(sql, catalog, dropped);
    dialect.statements();
    return dialect.apply();
  }

  private void statements() throws SQLException {
    int n = t.count();
    if (n > 0 && t.is(n - 1, Kind.UNTERMINATED)) {
      // Redshift refuses such a text; H2, reading quotes and comments otherwise (no backslash escapes),
      // may find statements in it that the guard never saw: 'a\'; insert ...; --' (probe 22b F0)
      throw new SQLException("syntax error: the text ends inside a quoted literal, quoted identifier or comment "
          + "(Redshift refuses it: unterminated quoted string or comment)", "42601");
    }
    int from = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || t.is(i, Kind.SEMICOLON)) {
        if (from < i) {
          statement(from, i);
          literals(from, i);
        }
        from = i + 1;
      }
    }
  }

  private void statement(int from, int to) throws SQLException {
    refuseH2Files(from, to);
    if (transaction(from, to)) {
      return;
    }
    if (t.isWord(from, "CREATE")) {
      createTable(from, to);
    } else if (t.isWord(from, "ALTER") && t.isWord(from + 1, "TABLE")) {
      alterTableAddColumn(from, to);
    }
    expressions(from, to);
  }

  /**
   * Redshift's transaction statements in the words H2 knows: {@code START TRANSACTION} and a
   * {@code BEGIN} with modes ({@code READ ONLY}, {@code ISOLATION LEVEL ...}) are {@code BEGIN},
   * {@code END} is {@code COMMIT}, {@code ABORT} is {@code ROLLBACK} (probe 23e F4: H2 refused them,
   * so through the driver they opened no transaction where Redshift and check open one). The guard
   * follows the text as written, modes included; H2 only needs the transaction.
   */
  private boolean transaction(int from, int to) {
    String h2 = t.isWord(from, "START") && t.isWord(from + 1, "TRANSACTION") || t.isWord(from, "BEGIN") && to - from > 1
        ? "BEGIN" : t.isWord(from, "END") ? "COMMIT" : t.isWord(from, "ABORT") ? "ROLLBACK" : null;
    if (h2 == null) {
      return false;
    }
    replace(from, to - 1, h2);
    return true;
  }

  // ---- CREATE TABLE ----

  private void createTable(int from, int to) throws SQLException {
    int i = from + 1;
    boolean temporary = false;
    boolean local = t.isWord(i, "LOCAL");
    if (local) {
      i++;
    }
    if (t.isWord(i, "TEMP") || t.isWord(i, "TEMPORARY")) {
      temporary = true;
      i++;
    }
    if (!t.isWord(i, "TABLE")) {
      return;
    }
    int tableWord = i++;
    if (t.isWord(i, "IF") && t.isWord(i + 1, "NOT") && t.isWord(i + 2, "EXISTS")) {
      i += 3;
    }
    int nameStart = i;
    i = skipName(i, to);
    if (i == nameStart) {
      return;
    }
    if (t.is(i - 1, Kind.WORD) && t.text(i - 1).startsWith("#")) {
      temporary = true;
    }
    if (temporary && !(local && t.isWord(from + 2, "TEMPORARY"))) {
      // H2's plain TEMPORARY table is global (seen by every session); Redshift's belongs to the session
      replace(from, tableWord, "CREATE LOCAL TEMPORARY TABLE");
    }
    if (t.is(i, Kind.LEFT_PAREN)) {
      int close = closing(i, to);
      columnList(i, close);
      i = close + 1;
    }
    tableAttributes(i, to);
  }

  private void alterTableAddColumn(int from, int to) throws SQLException {
    int i = skipName(from + 2, to);
    if (!t.isWord(i, "ADD")) {
      return;
    }
    i++;
    if (t.isWord(i, "COLUMN")) {
      i++;
    }
    if (t.isWord(i, "IF") && t.isWord(i + 1, "NOT") && t.isWord(i + 2, "EXISTS")) {
      i += 3;
    }
    if (isColumnName(i) && !isTableElementKeyword(i)) {
      column(i, to);
    }
  }

  /** Drops the table attributes after the column list (or, in CREATE TABLE AS, before AS). */
  private void tableAttributes(int i, int to) {
    while (i < to) {
      if (t.isWord(i, "BACKUP") && (t.isWord(i + 1, "YES") || t.isWord(i + 1, "NO"))) {
        i = drop(i, i + 1, "BACKUP");
      } else if (t.isWord(i, "DISTSTYLE") && t.is(i + 1, Kind.WORD)) {
        i = drop(i, i + 1, "DISTSTYLE");
      } else if (t.isWord(i, "DISTKEY") && t.is(i + 1, Kind.LEFT_PAREN)) {
        i = drop(i, closing(i + 1, to), "DISTKEY");
      } else if ((t.isWord(i, "COMPOUND") || t.isWord(i, "INTERLEAVED")) && t.isWord(i + 1, "SORTKEY")
          && t.is(i + 2, Kind.LEFT_PAREN)) {
        i = drop(i, closing(i + 2, to), "SORTKEY");
      } else if (t.isWord(i, "SORTKEY") && t.is(i + 1, Kind.LEFT_PAREN)) {
        i = drop(i, closing(i + 1, to), "SORTKEY");
      } else if (t.isWord(i, "SORTKEY") && t.isWord(i + 1, "AUTO")) {
        i = drop(i, i + 1, "SORTKEY");
      } else if (t.isWord(i, "ENCODE") && t.isWord(i + 1, "AUTO")) {
        i = drop(i, i + 1, "ENCODE");
      } else {
        return;
      }
    }
  }

  /** The elements of {@code ( ... )}: columns, table constraints, LIKE, DISTKEY/SORTKEY constraints. */
  private void columnList(int open, int close) throws SQLException {
    int start = open + 1;
    for (int i = start; i <= close; i++) {
      if (t.is(i, Kind.LEFT_PAREN)) {
        i = closing(i, close);
      } else if (i == close || t.is(i, Kind.COMMA)) {
        element(start, i, open, close);
        start = i + 1;
      }
    }
  }

  private void element(int from, int to, int open, int close) throws SQLException {
    if (from >= to) {
      return;
    }
    String word = t.upperWord(from);
    if (word == null) {
      if (t.is(from, Kind.QUOTED_IDENTIFIER)) {
        column(from, to);
      }
      return;
    }
    switch (word) {
      case "DISTKEY", "SORTKEY", "COMPOUND", "INTERLEAVED" -> dropElement(from, to, open, close,
          word.equals("DISTKEY") ? "DISTKEY" : "SORTKEY");
      case "LIKE" -> like(from, to);
      case "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK" -> { }
      default -> column(from, to);
    }
  }

  /** Drops a DISTKEY(..) or SORTKEY(..) written among the columns, with one of its commas. */
  private void dropElement(int from, int to, int open, int close, String kind) {
    int before = from - 1;
    if (before > open && !claimed[before]) {
      drop(before, to - 1, kind);
    } else if (to < close) {
      drop(from, to, kind); // the first element: its following comma goes with it
    } else {
      drop(from, to - 1, kind);
    }
  }

  private void like(int from, int to) throws SQLException {
    int nameEnd = skipName(from + 1, to);
    boolean defaults = false;
    int i = nameEnd;
    if ((t.isWord(i, "INCLUDING") || t.isWord(i, "EXCLUDING")) && t.isWord(i + 1, "DEFAULTS")) {
      defaults = t.isWord(i, "INCLUDING");
      i += 2;
    }
    if (nameEnd == from + 1 || i != to) {
      return; // not the LIKE clause as Redshift writes it: H2 reports what it makes of it
    }
    if (catalog == null) {
      throw notEmulated("CREATE TABLE ... (LIKE table) without a database to read the table from");
    }
    String parent = sql.substring(t.start(from + 1), t.end(nameEnd - 1));
    replace(from, to - 1, catalog.columnsLike(parent, defaults));
  }

  /** A column definition: name, type, then attributes and constraints in any order. */
  private void column(int from, int to) throws SQLException {
    int i = from + 1;
    if (i >= to) {
      return; // a bare name (CREATE TABLE t (a, b) AS ...)
    }
    i = type(i, to, true);
    while (i < to) {
      if (t.isWord(i, "ENCODE") && i + 1 < to) {
        i = drop(i, i + 1, "ENCODE");
      } else if (t.isWord(i, "DISTKEY") || t.isWord(i, "SORTKEY")) {
        i = drop(i, i, t.upperWord(i));
      } else if (t.isWord(i, "IDENTITY") && t.is(i + 1, Kind.LEFT_PAREN)) {
        int close = closing(i + 1, to);
        replace(i, close, "GENERATED ALWAYS AS IDENTITY" + identityOptions(i + 1, close));
        i = close + 1;
      } else if (t.isWord(i, "GENERATED") && t.isWord(i + 1, "BY") && t.isWord(i + 2, "DEFAULT")
          && t.isWord(i + 3, "AS") && t.isWord(i + 4, "IDENTITY") && t.is(i + 5, Kind.LEFT_PAREN)) {
        int close = closing(i + 5, to);
        replace(i + 5, close, identityOptions(i + 5, close));
        i = close + 1;
      } else if (t.isWord(i, "COLLATE") && i + 1 < to) {
        String collation = t.upperWord(i + 1);
        if ("CASE_SENSITIVE".equals(collation) || "CS".equals(collation)) {
          i = drop(i, i + 1, "COLLATE CASE_SENSITIVE");
        } else if ("CASE_INSENSITIVE".equals(collation) || "CI".equals(collation)) {
          throw notEmulated("COLLATE CASE_INSENSITIVE (H2 compares strings case-sensitively)");
        } else {
          i += 2;
        }
      } else if (t.is(i, Kind.LEFT_PAREN)) {
        i = closing(i, to) + 1;
      } else {
        i++;
      }
    }
  }

  /** {@code (seed, step)} as H2's {@code (START WITH seed INCREMENT BY step)}. */
  private String identityOptions(int open, int close) throws SQLException {
    int comma = -1;
    for (int i = open + 1; i < close; i++) {
      if (t.is(i, Kind.COMMA)) {
        if (comma >= 0) {
          comma = -2;
          break;
        }
        comma = i;
      }
    }
    if (comma < 0 || comma == open + 1 || comma == close - 1) {
      throw new SQLException("IDENTITY needs (seed, step), e.g. IDENTITY(1, 1): " + sql.substring(t.start(open),
          t.end(close)), "42601");
    }
    String seed = sql.substring(t.start(open + 1), t.end(comma - 1));
    String step = sql.substring(t.start(comma + 1), t.end(close - 1));
    return "(START WITH " + seed + " INCREMENT BY " + step + ")";
  }

  // ---- types ----

  /**
   * Rewrites the type that starts at token {@code i} where H2 spells or sizes it differently;
   * returns the token after it. In a column definition ({@code column}), a length or precision
   * Redshift defaults differently from H2 is written out.
   */
  private int type(int i, int to, boolean column) throws SQLException {
    String word = t.upperWord(i);
    if (word == null) {
      return i + 1;
    }
    switch (word) {
      case "SUPER", "HLLSKETCH", "GEOMETRY", "GEOGRAPHY" -> throw notEmulated("the " + word
          + " data type (H2 has no equivalent)");
      case "TIMESTAMPTZ" -> {
        replace(i, i, "TIMESTAMP WITH TIME ZONE");
        return i + 1;
      }
      case "TIMETZ" -> {
        replace(i, i, column ? "TIME(6) WITH TIME ZONE" : "TIME WITH TIME ZONE");
        return i + 1;
      }
      case "TIME" -> {
        // Redshift's TIME keeps microseconds; H2's TIME without a precision keeps whole seconds
        if (column && !t.is(i + 1, Kind.LEFT_PAREN)) {
          replace(i, i, "TIME(6)");
        }
        return i + 1;
      }
      case "TEXT" -> {
        replace(i, i, "VARCHAR(" + DEFAULT_VARCHAR + ")");
        return i + 1;
      }
      case "BPCHAR" -> {
        if (t.is(i + 1, Kind.LEFT_PAREN)) {
          replace(i, i, "CHAR");
          return sized(i + 1, to, CHAR_MAX, 0, column);
        }
        replace(i, i, "CHAR(" + DEFAULT_VARCHAR + ")");
        return i + 1;
      }
      case "VARCHAR", "NVARCHAR" -> {
        return sized(i + 1, to, VARCHAR_MAX, DEFAULT_VARCHAR, column);
      }
      case "CHARACTER", "NCHAR", "CHAR" -> {
        if (t.isWord(i + 1, "VARYING")) {
          return sized(i + 2, to, VARCHAR_MAX, DEFAULT_VARCHAR, column);
        }
        return sized(i + 1, to, CHAR_MAX, 0, column);
      }
      case "VARBYTE", "VARBINARY" -> {
        replace(i, i, "VARBINARY");
        return sized(i + 1, to, 0, DEFAULT_VARBYTE, column);
      }
      case "BINARY" -> {
        if (t.isWord(i + 1, "VARYING")) {
          replace(i, i + 1, "VARBINARY");
          return sized(i + 2, to, 0, DEFAULT_VARBYTE, column);
        }
        return i + 1;
      }
      case "DECIMAL", "NUMERIC" -> {
        if (column && !t.is(i + 1, Kind.LEFT_PAREN)) {
          replace(i, i, t.text(i) + "(18, 0)"); // Redshift's default precision and scale
        }
        return t.is(i + 1, Kind.LEFT_PAREN) ? closing(i + 1, to) + 1 : i + 1;
      }
      default -> {
        return i + 1;
      }
    }
  }

  /**
   * The length after a character or binary type at {@code i}: {@code (MAX)} becomes
   * {@code max}; no length becomes {@code missing} in a column definition (0: leave it).
   */
  private int sized(int i, int to, int max, int missing, boolean column) {
    if (t.is(i, Kind.LEFT_PAREN)) {
      int close = closing(i, to);
      if (close == i + 2 && t.isWord(i + 1, "MAX") && max > 0) {
        replace(i + 1, i + 1, Integer.toString(max));
      }
      return close + 1;
    }
    if (column && missing > 0) {
      insertAfter(i - 1, "(" + missing + ")");
    }
    return i;
  }

  // ---- literals ----

  /**
   * Redshift reads a backslash in a string literal as an escape ({@code 'it\'s'}, {@code '\t'});
   * H2 reads it as itself, so {@code 'a\'; create table x (i int); --'} is one SELECT to Redshift
   * (and to the guard) but two statements to H2. Each such literal is written as H2 reads the
   * value Redshift gives it; one that another rewrite already took is refused.
   */
  private void literals(int from, int to) throws SQLException {
    for (int i = from; i < to; i++) {
      String text = t.is(i, Kind.STRING) ? t.text(i) : "";
      if (text.indexOf('\\') < 0 || text.startsWith("$")) {
        continue;
      }
      if (claimed[i]) {
        throw notEmulated("a string literal with a backslash escape inside a clause rewritten for the local database");
      }
      replace(i, i, "'" + t.literalValue(i).replace("'", "''") + "'");
    }
  }

  // ---- expressions ----

  /**
   * Refuses a statement of H2's own that reads or writes files or defines code ({@link
   * #H2_FILE_STATEMENTS}, {@link #H2_CODE_OBJECTS}), or changes how it reads names ({@code SET
   * MODE}); compares words in place, as most statements are none of them.
   */
  private void refuseH2Files(int from, int to) throws SQLException {
    if (t.isWord(from, "SET") && t.isWord(from + 1, "MODE")) { // another mode reads names otherwise ([CSVREAD])
      throw new SQLException("syntax error: SET MODE is not a Redshift statement (the local database's own; another"
          + " mode reads names otherwise, [CSVREAD] as one of its functions that read files); nothing was run", "42601");
    }
    for (String statement : H2_FILE_STATEMENTS) {
      if (t.isWord(from, statement)) {
        throw notRedshift(statement + " is not a Redshift statement");
      }
    }
    if (t.isWord(from, "CREATE")) {
      int i = from + 1;
      while (i < to && anyWord(i, CREATE_MODIFIERS)) {
        i++;
      }
      for (String object : H2_CODE_OBJECTS) {
        if (i < to && t.isWord(i, object)) {
          throw notRedshift("CREATE " + object + " is not a Redshift statement");
        }
      }
    }
  }

  private boolean anyWord(int i, Set<String> words) {
    for (String word : words) {
      if (t.isWord(i, word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a call of one of {@link #H2_FILE_FUNCTIONS} at token {@code i}, however its name is
   * written: a word, a quoted name, or a name in brackets (H2's MSSQLServer mode reads {@code
   * [CSVREAD]} as a name); and the names H2 reads where Redshift reads none, which could spell one
   * of them out of sight ({@link #refuseH2OnlyName}).
   */
  private void refuseH2FileFunction(int i) throws SQLException {
    refuseH2OnlyName(i);
    int paren = i + 1;
    if (t.is(i - 1, Kind.OPERATOR) && t.text(i - 1).equals("[") && t.is(i + 1, Kind.OPERATOR) && t.text(i + 1).equals("]")) {
      paren = i + 2;
    }
    if (!t.is(paren, Kind.LEFT_PAREN)) {
      return;
    }
    String name = null;
    if (t.is(i, Kind.QUOTED_IDENTIFIER)) {
      String quoted = t.text(i);
      name = quoted.substring(1, Math.max(1, quoted.length() - 1)).toUpperCase(Locale.ROOT);
    } else {
      for (String function : H2_FILE_FUNCTIONS) { // compared in place: most calls are none of them
        if (t.isWord(i, function)) {
          name = function;
          break;
        }
      }
    }
    if (name != null && H2_FILE_FUNCTIONS.contains(name)) {
      throw new SQLException("function " + name.toLowerCase(Locale.ROOT) + " does not exist: Redshift has no such"
          + " function, and the local database's own would read or write files around the folder standing in for S3,"
          + " whose keys the guard checks; nothing was run", "42883");
    }
  }

  /**
   * Refuses, at token {@code i}, a name H2 reads where Redshift reads something else (red-team
   * review: {@code U&"CSVRE\0041D"(...)} and {@code `CSVREAD`(...)} read files the guard never
   * saw named): a backtick, which H2 reads as quoting a name and Redshift as an operator character
   * no operator has; and {@code U&"..."}, a name in Unicode escapes to H2 and the name {@code U},
   * the operator {@code &} and a quoted name to Redshift.
   */
  private void refuseH2OnlyName(int i) throws SQLException {
    if (!t.is(i, Kind.OPERATOR)) {
      return;
    }
    String operator = t.text(i);
    if (operator.indexOf('`') >= 0) {
      throw new SQLException("syntax error at or near \"`\": Redshift has no operator with a backtick, and the local"
          + " database would read a name quoted in backticks instead (it could name one of its functions that read"
          + " or write files); nothing was run", "42601");
    }
    if (operator.equals("&") && t.is(i + 1, Kind.QUOTED_IDENTIFIER) && t.end(i) == t.start(i + 1)
        && (t.isWord(i - 1, "U") && t.end(i - 1) == t.start(i))) {
      throw new SQLException("iamguard (local H2): U&\"...\" is not emulated: to Redshift it is the name U, the"
          + " operator & and a quoted name, to the local database a name in Unicode escapes (it could name one of its"
          + " functions that read or write files); write spaces around the & where the operator is meant; nothing was"
          + " run", SqlStates.NOT_EMULATED);
    }
  }

  private static SQLException notRedshift(String what) {
    return new SQLException("syntax error: " + what + " (it is the local database's own, reading or writing files or"
        + " running code around the folder standing in for S3, whose keys the guard checks); nothing was run", "42601");
  }

  private void expressions(int from, int to) throws SQLException {
    for (int i = from; i < to; i++) {
      refuseH2FileFunction(i);
      if (claimed[i]) {
        continue;
      }
      if (t.is(i, Kind.OPERATOR) && t.text(i).equals(":") && t.is(i + 1, Kind.OPERATOR)
          && t.text(i + 1).equals(":") && t.end(i) == t.start(i + 1)) {
        type(i + 2, to, false);
        i++;
        continue;
      }
      String word = t.upperWord(i);
      if (word == null) {
        continue;
      }
      if (word.startsWith("#")) {
        // Redshift's #name is a temporary table; '#' cannot start an unquoted H2 name. H2 folds
        // unquoted names to upper case, so every spelling of the name meets the same table.
        replace(i, i, '"' + t.text(i).toUpperCase(Locale.ROOT).replace("\"", "\"\"") + '"');
        continue;
      }
      boolean call = t.is(i + 1, Kind.LEFT_PAREN) && !t.is(i - 1, Kind.DOT);
      switch (word) {
        case "GETDATE" -> {
          if (call && t.is(i + 2, Kind.RIGHT_PAREN)) {
            // the current time to the second, as Redshift's GETDATE() returns it
            replace(i, i + 2, "DATE_TRUNC('SECOND', LOCALTIMESTAMP)");
            i += 2;
          }
        }
        case "SYSDATE" -> {
          if (!call && !t.is(i - 1, Kind.DOT)) {
            replace(i, i, "LOCALTIMESTAMP"); // both: the start of the current transaction
          }
        }
        case "DATEADD", "DATEDIFF" -> {
          if (call) {
            datePart(i + 2);
          }
        }
        case "EXTRACT" -> {
          if (call && t.isWord(i + 3, "FROM")) {
            datePart(i + 2);
          }
        }
        case "CAST" -> {
          if (call) {
            cast(i + 1, to);
          }
        }
        case "OLD", "NEW", "FINAL" -> {
          if (t.isWord(i + 1, "TABLE") && t.is(i + 2, Kind.LEFT_PAREN)) {
            // H2's data change delta table: a query that deletes or inserts rows, as an UNLOAD's too
            throw new SQLException("syntax error: " + word + " TABLE (...) is not Redshift SQL (the local database's"
                + " data change delta table, a query that changes rows, an UNLOAD's too); nothing was run", "42601");
          }
        }
        default -> { }
      }
    }
  }

  /** The type after the AS of {@code CAST(expr AS type)}. */
  private void cast(int open, int to) throws SQLException {
    int close = closing(open, to);
    for (int i = open + 1; i < close; i++) {
      if (t.is(i, Kind.LEFT_PAREN)) {
        i = closing(i, close);
      } else if (t.isWord(i, "AS") && !claimed[i + 1]) {
        type(i + 1, close, false);
        return;
      }
    }
  }

  /** A Redshift date part (word or string) written as H2 names it; unknown ones are left to H2. */
  private void datePart(int i) {
    if (claimed.length <= i) {
      return;
    }
    String part;
    if (t.is(i, Kind.WORD)) {
      part = t.upperWord(i);
    } else if (t.is(i, Kind.STRING)) {
      part = t.literalValue(i).toUpperCase(Locale.ROOT);
    } else {
      return;
    }
    String h2 = DateParts.h2(part);
    if (h2 != null && !(t.is(i, Kind.WORD) && h2.equals(part))) {
      replace(i, i, h2);
    }
  }

  // ---- helpers ----

  private int skipName(int i, int to) {
    if (!isColumnName(i) || i >= to) {
      return i;
    }
    i++;
    while (i + 1 < to && t.is(i, Kind.DOT) && isColumnName(i + 1)) {
      i += 2;
    }
    return i;
  }

  private boolean isColumnName(int i) {
    return t.is(i, Kind.WORD) || t.is(i, Kind.QUOTED_IDENTIFIER);
  }

  private boolean isTableElementKeyword(int i) {
    String word = t.upperWord(i);
    return word != null && switch (word) {
      case "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK" -> true;
      default -> false;
    };
  }

  /** The matching right parenthesis of the one at {@code open}, or {@code limit} when it is missing. */
  private int closing(int open, int limit) {
    int depth = 0;
    for (int i = open; i < limit && i < t.count(); i++) {
      if (t.is(i, Kind.LEFT_PAREN)) {
        depth++;
      } else if (t.is(i, Kind.RIGHT_PAREN) && --depth == 0) {
        return i;
      }
    }
    return Math.min(limit, t.count()) - 1;
  }

  /** Removes tokens {@code [first, last]} and says so once per kind; returns the token after them. */
  private int drop(int first, int last, String kind) {
    replace(first, last, "");
    dropped.accept(kind);
    return last + 1;
  }

  private void replace(int first, int last, String text) {
    for (int i = first; i <= last; i++) {
      if (claimed[i]) {
        return; // an earlier rewrite owns these tokens
      }
    }
    for (int i = first; i <= last; i++) {
      claimed[i] = true;
    }
    edits.put(t.start(first), new Edit(t.start(first), t.end(last), text));
  }

  private void insertAfter(int token, String text) {
    int at = t.end(token);
    Edit existing = edits.get(t.start(token));
    Edit next = edits.get(at);
    if (existing != null && existing.end() == at) {
      edits.put(existing.start(), new Edit(existing.start(), at, existing.text() + text));
    } else if (next != null) {
      edits.put(at, new Edit(at, next.end(), text + next.text()));
    } else {
      edits.put(at, new Edit(at, at, text));
    }
  }

  private String apply() {
    if (edits.isEmpty()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length() + 32);
    int at = 0;
    for (Edit edit : edits.values()) {
      out.append(sql, at, edit.start()).append(edit.text());
      at = edit.end();
    }
    return out.append(sql, at, sql.length()).toString();
  }

  private static SQLException notEmulated(String what) {
    return new SQLException("iamguard (local H2): " + what + " is not emulated on the local database", SqlStates.NOT_EMULATED);
  }
}
