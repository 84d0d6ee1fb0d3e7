package dev.iamguard.sql;

/**
 * What a statement does to the transaction it runs in, read from its first words: GRANT and REVOKE
 * ASSUMEROLE made in a transaction wait for its end, which keeps or takes them back.
 */
public enum TransactionControl {
  /** Not a transaction statement. */
  NONE,
  /**
   * {@code SAVEPOINT name} (its name: {@link #savepointName}); written otherwise (no name, a
   * reserved word, more words), it is {@link #ABORTS_A_TRANSACTION}.
   */
  SAVEPOINT,
  /**
   * {@code RELEASE [SAVEPOINT] name}: keeps what went before, but aborts the transaction when no
   * savepoint of that name is set in it (its name: {@link #savepointName}).
   */
  RELEASE_SAVEPOINT,
  /**
   * {@code SET TRANSACTION} of modes whose last access mode is not READ ONLY: aborts the
   * transaction when the server refuses its modes there ({@link #modes(SqlStatement)}).
   */
  SET_TRANSACTION,
  /** {@code BEGIN}, {@code START TRANSACTION}. */
  BEGIN,
  /** {@code BEGIN} or {@code START TRANSACTION} with {@code READ ONLY}: a GRANT in it fails. */
  BEGIN_READ_ONLY,
  /**
   * {@code SET TRANSACTION ... READ ONLY}: the open transaction is read only from here (unless the
   * server refuses its other modes there: {@link #modes(SqlStatement)}).
   */
  READ_ONLY,
  /** {@code COMMIT}, {@code END}: the transaction's changes stay. */
  COMMIT,
  /**
   * {@code ROLLBACK}, {@code ABORT}, {@code PREPARE TRANSACTION 'id'}: the transaction's changes
   * are taken back (a prepared transaction leaves the session, its changes kept only by a later
   * {@code COMMIT PREPARED}, which is not followed).
   */
  ROLLBACK,
  /**
   * {@code ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name}: the changes after the savepoint are
   * taken back; aborts the transaction when no savepoint of that name is set in it (its name:
   * {@link #savepointName}).
   */
  ROLLBACK_TO_SAVEPOINT,
  /**
   * A statement the server refuses as written (a transaction statement with words its grammar does
   * not have: {@code ABORT TO SAVEPOINT}, {@code START} alone, {@code SAVEPOINT} of no name or a
   * reserved word), or one Redshift refuses in a transaction block, which so aborts the transaction: VACUUM,
   * CREATE and DROP DATABASE, CREATE, DROP, ALTER and RENAME of an external table, CREATE and DROP
   * TABLESPACE, REINDEX DATABASE, ALTER TABLE APPEND (SVL_MULTI_STATEMENT_VIOLATIONS and the
   * commands' pages of the Redshift guide).
   */
  ABORTS_A_TRANSACTION;

  /**
   * What {@code statement} does to its transaction. A statement starts at its first token, so its
   * first word is read in place and most statements are let go there; the few that may be
   * transaction statements are read by their tokens, as the server reads them: comments and quoted
   * names may stand between the words (probe 23d F1: {@code start /* c *&#47; transaction} and
   * {@code rollback to/**&#47;savepoint s} were misread).
   */
  public static TransactionControl of(SqlStatement statement) {
    CommandKind kind = statement.command().kind();
    if (kind == CommandKind.CREATE_EXTERNAL_TABLE || kind == CommandKind.ALTER_EXTERNAL_TABLE
        || kind == CommandKind.CREATE_DATABASE) {
      return ABORTS_A_TRANSACTION;
    }
    if (kind != CommandKind.OTHER) {
      return NONE;
    }
    String word = firstWordIn(statement, FIRST_WORDS);
    if (word == null) {
      return NONE;
    }
    String s = statement.source();
    return mayBeOne(s, word, statement.start() + word.length(), statement.end())
        ? statement.readHead(TransactionControl::read) : NONE;
  }

  /**
   * What the statements of {@code sql} do to their transactions, in order, those that do nothing
   * ({@link #NONE}) left out. Depends on the text alone, so it is kept for texts sent again: a
   * connection reads every COMMIT, ROLLBACK or TRUNCATE it sends after the fact, and such texts
   * repeat and come seldom enough to run as cold code (a full parse of {@code truncate t} a round
   * cost the real driver's 100-INSERT batch about 45 us of CPU, more than its 100 checks).
   */
  public static java.util.List<TransactionControl> ofText(String sql) {
    java.util.List<TransactionControl> controls = TEXTS.get(sql);
    if (controls == null) {
      java.util.List<TransactionControl> read = new java.util.ArrayList<>(1);
      for (SqlStatement statement : SqlScript.parse(sql).statements()) {
        TransactionControl control = of(statement);
        if (control != NONE) {
          read.add(control);
        }
      }
      controls = java.util.List.copyOf(read);
      if (!controls.isEmpty()) { // a batch with a COMMIT reads all its texts: unique INSERTs are not kept
        TEXTS.put(sql, controls);
      }
    }
    return controls;
  }

  private static final TextCache<java.util.List<TransactionControl>> TEXTS = new TextCache<>(512, 128 * 1024, 2048);

  /**
   * Whether a statement starting with {@code first} may be a transaction statement, by its second
   * word read in place: CREATE TABLE, SET search_path and the like are let go without lexing. A
   * comment or quoted name there, or any second word of the other first words, is read by tokens.
   */
  private static boolean mayBeOne(String s, String first, int firstEnd, int end) {
    java.util.List<String> seconds = SECOND_WORDS.get(first);
    if (seconds == null) {
      return true;
    }
    int second = firstEnd;
    while (second < end && Lexer.isWhitespace(s.charAt(second))) {
      second++;
    }
    if (second >= end || s.charAt(second) == '/' || s.charAt(second) == '-' || s.charAt(second) == '"') {
      return true;
    }
    int secondEnd = wordEnd(s, second, end);
    for (String word : seconds) {
      if (is(s, second, secondEnd, word)) {
        return true;
      }
    }
    return false;
  }

  /** The second words that may follow a first word that begins far more statements than transaction ones. */
  private static final java.util.Map<String, java.util.List<String>> SECOND_WORDS = java.util.Map.of(
      "CREATE", java.util.List.of("DATABASE", "TABLESPACE", "EXTERNAL"),
      "DROP", java.util.List.of("DATABASE", "TABLESPACE", "EXTERNAL"),
      "REINDEX", java.util.List.of("DATABASE"),
      "ALTER", java.util.List.of("TABLE"),
      "SET", java.util.List.of("TRANSACTION"),
      "PREPARE", java.util.List.of("TRANSACTION"));

  /** The first words of the statements {@link #read} may find something in. */
  private static final String[] FIRST_WORDS = {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "VACUUM",
      "CREATE", "DROP", "REINDEX", "ALTER", "TRUNCATE", "SET", "SAVEPOINT", "RELEASE", "PREPARE"};

  /**
   * Reads a statement's tokens. A transaction statement with words Redshift's grammar does not
   * have ({@code COMMIT AND CHAIN}, {@code ROLLBACK xyz}, a mode BEGIN does not know) is a syntax
   * error, which aborts the transaction it runs in (probe 23d F5: {@code commit and chain} was
   * read as a commit).
   */
  private static TransactionControl read(Cursor c) {
    if (c.acceptWord("BEGIN")) {
      if (!c.acceptWord("WORK")) {
        c.acceptWord("TRANSACTION");
      }
      return begin(modes(c));
    }
    if (c.acceptWord("START")) {
      // START alone, or START WORK, is a syntax error (TransactionShapesServerTest)
      return !c.acceptWord("TRANSACTION") ? ABORTS_A_TRANSACTION : begin(modes(c));
    }
    if (c.acceptWords("SET", "TRANSACTION")) {
      // words beyond the modes are a syntax error, which aborts the transaction (TransactionShapesServerTest);
      // a mode the server refuses after the transaction's first query (ISOLATION LEVEL) is read by
      // whoever follows the transaction's state (modes(SqlStatement), TransactionStateServerTest)
      int modes = modes(c);
      return modes == READ_ONLY_MODES ? READ_ONLY : modes == BAD_MODES ? ABORTS_A_TRANSACTION : SET_TRANSACTION;
    }
    if (c.acceptWord("COMMIT") || c.acceptWord("END")) {
      if (!c.acceptWord("WORK")) {
        c.acceptWord("TRANSACTION");
      }
      return c.atEnd() ? COMMIT : ABORTS_A_TRANSACTION;
    }
    boolean rollback = c.acceptWord("ROLLBACK");
    if (rollback || c.acceptWord("ABORT")) {
      if (!c.acceptWord("WORK")) {
        c.acceptWord("TRANSACTION");
      }
      if (c.atEnd()) {
        return ROLLBACK;
      }
      // ABORT has no TO: "abort to savepoint s" is a syntax error, which aborts the transaction
      // (TransactionShapesServerTest; the grammar of PostgreSQL 8.0, Redshift's, has ABORT
      // opt_transaction alone)
      if (rollback && c.acceptWord("TO")) {
        c.acceptWord("SAVEPOINT");
        return savepointName(c) ? ROLLBACK_TO_SAVEPOINT : ABORTS_A_TRANSACTION;
      }
      return ABORTS_A_TRANSACTION;
    }
    if (c.acceptWord("SAVEPOINT")) {
      return savepointName(c) ? SAVEPOINT : ABORTS_A_TRANSACTION;
    }
    if (c.acceptWord("RELEASE")) {
      c.acceptWord("SAVEPOINT");
      return savepointName(c) ? RELEASE_SAVEPOINT : ABORTS_A_TRANSACTION;
    }
    if (c.acceptWords("PREPARE", "TRANSACTION")) {
      // "If the PREPARE TRANSACTION command fails for any reason, it becomes a ROLLBACK", and when
      // it succeeds the transaction leaves the session (PostgreSQL's PREPARE TRANSACTION page): the
      // changes made in it are gone either way, unless a COMMIT PREPARED from anywhere keeps them.
      // PREPARE transaction AS ... or PREPARE transaction(...) prepares a statement of that name.
      if (c.is(TokenKind.STRING) && c.pos + 1 == c.limit) {
        return ROLLBACK;
      }
      return c.isWord("AS") || c.is(TokenKind.LEFT_PAREN) ? NONE : ABORTS_A_TRANSACTION;
    }
    if (c.acceptWord("TRUNCATE")) {
      // "TRUNCATE commits the transaction in which it is run" (Redshift guide, TRUNCATE; probe 23b F4)
      return COMMIT;
    }
    if (c.acceptWord("VACUUM")) {
      return ABORTS_A_TRANSACTION;
    }
    if (c.acceptWord("CREATE") || c.acceptWord("DROP")) {
      return c.isWord("DATABASE") || c.isWord("TABLESPACE") || c.isWordAt(0, "EXTERNAL") && c.isWordAt(1, "TABLE")
          ? ABORTS_A_TRANSACTION : NONE;
    }
    if (c.acceptWord("REINDEX")) {
      return c.isWord("DATABASE") ? ABORTS_A_TRANSACTION : NONE;
    }
    if (c.acceptWords("ALTER", "TABLE")) {
      for (; !c.atEnd(); c.pos++) {
        if (c.isWordAt(0, "APPEND") && c.isWordAt(1, "FROM")) {
          return ABORTS_A_TRANSACTION;
        }
      }
    }
    return NONE;
  }

  /**
   * Moves past the one name a savepoint statement ends with; says whether it was that: a word
   * that is not reserved, or a quoted name, and nothing after it.
   */
  private static boolean savepointName(Cursor c) {
    if (c.is(TokenKind.QUOTED_IDENTIFIER)
        || c.is(TokenKind.WORD) && !ReservedWords.at(c)) {
      c.pos++;
      return c.atEnd();
    }
    return false;
  }

  private static final int BAD_MODES = -1;
  private static final int MODES = 0;
  private static final int READ_ONLY_MODES = 1;

  private static TransactionControl begin(int modes) {
    return modes == BAD_MODES ? ABORTS_A_TRANSACTION : modes == READ_ONLY_MODES ? BEGIN_READ_ONLY : BEGIN;
  }

  /**
   * Moves past the modes of BEGIN, START TRANSACTION and SET TRANSACTION ({@code ISOLATION LEVEL
   * ...}, {@code READ WRITE}, {@code READ ONLY}, commas between them): {@link #BAD_MODES} when
   * anything else follows, else whether the last access mode is READ ONLY.
   */
  private static int modes(Cursor c) {
    int modes = MODES;
    while (!c.atEnd()) {
      if (c.accept(TokenKind.COMMA)) {
        continue;
      }
      if (c.acceptWords("ISOLATION", "LEVEL")) {
        if (!(c.acceptWord("SERIALIZABLE") || c.acceptWord("SNAPSHOT") || c.acceptWords("READ", "COMMITTED")
            || c.acceptWords("READ", "UNCOMMITTED") || c.acceptWords("REPEATABLE", "READ"))) {
          return BAD_MODES;
        }
      } else if (c.acceptWords("READ", "WRITE")) {
        modes = MODES;
      } else if (c.acceptWords("READ", "ONLY")) {
        modes = READ_ONLY_MODES;
      } else {
        return BAD_MODES;
      }
    }
    return modes;
  }

  /** {@link #isolationLevel}: READ UNCOMMITTED, READ COMMITTED, REPEATABLE READ, SERIALIZABLE, SNAPSHOT. */
  public static final int READ_UNCOMMITTED = 1;
  /** {@link #isolationLevel}: PostgreSQL's default level. */
  public static final int READ_COMMITTED = 2;
  /** {@link #isolationLevel}. */
  public static final int REPEATABLE_READ = 3;
  /** {@link #isolationLevel}. */
  public static final int SERIALIZABLE = 4;
  /** {@link #isolationLevel}: Redshift's. */
  public static final int SNAPSHOT = 5;
  /** The isolation level (the last) {@code modes} set ({@link #READ_UNCOMMITTED}, ...); 0 for none. */
  public static int isolationLevel(int modes) {
    return modes & 7;
  }
  /** {@link #modes(SqlStatement)}: a {@code READ WRITE} is set. */
  public static final int READ_WRITE = 8;
  /** {@link #modes(SqlStatement)}: a {@code READ ONLY} comes before a {@code READ WRITE} in the statement. */
  public static final int READ_ONLY_THEN_READ_WRITE = 16;
  /** {@link #modes(SqlStatement)}: the last access mode is {@code READ ONLY}. */
  public static final int ENDS_READ_ONLY = 32;
  /** {@link #modes(SqlStatement)}: the last access mode is {@code READ WRITE}. */
  public static final int ENDS_READ_WRITE = 64;

  /**
   * The modes a {@code BEGIN}, {@code START TRANSACTION} or {@code SET TRANSACTION} statement
   * ({@link #BEGIN}, {@link #BEGIN_READ_ONLY}, {@link #READ_ONLY}, {@link #SET_TRANSACTION}) sets:
   * its isolation level ({@link #isolationLevel}) and bits ({@link #READ_WRITE}, ...); 0 for any other statement. Read again by its tokens,
   * only for those statements and only where their transaction's state is followed: PostgreSQL
   * refuses an isolation level after the transaction's first query or in a subtransaction, and
   * READ WRITE in a read-only transaction after its first query, and the refusal aborts the
   * transaction (TransactionStateServerTest).
   */
  public static int modes(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER) {
      return 0;
    }
    return statement.readHead(c -> {
      if (c.acceptWord("BEGIN")) {
        if (!c.acceptWord("WORK")) {
          c.acceptWord("TRANSACTION");
        }
      } else if (!c.acceptWords("START", "TRANSACTION") && !c.acceptWords("SET", "TRANSACTION")) {
        return 0;
      }
      int bits = 0;
      boolean readOnly = false;
      while (!c.atEnd()) {
        if (c.accept(TokenKind.COMMA)) {
          continue;
        }
        if (c.acceptWords("ISOLATION", "LEVEL")) {
          int level = c.acceptWord("SERIALIZABLE") ? SERIALIZABLE : c.acceptWord("SNAPSHOT") ? SNAPSHOT
              : c.acceptWords("READ", "COMMITTED") ? READ_COMMITTED : c.acceptWords("READ", "UNCOMMITTED")
              ? READ_UNCOMMITTED : c.acceptWords("REPEATABLE", "READ") ? REPEATABLE_READ : 0;
          bits = bits & ~7 | level;
        } else if (c.acceptWords("READ", "WRITE")) {
          bits = (bits | READ_WRITE | (readOnly ? READ_ONLY_THEN_READ_WRITE : 0) | ENDS_READ_WRITE) & ~ENDS_READ_ONLY;
        } else if (c.acceptWords("READ", "ONLY")) {
          readOnly = true;
          bits = (bits | ENDS_READ_ONLY) & ~ENDS_READ_WRITE;
        } else {
          c.pos++;
        }
      }
      return bits;
    });
  }

  /** The first words of the statements that take no snapshot, so that they are no transaction's first query. */
  private static final String[] WITHOUT_SNAPSHOT = {"SET", "RESET", "SHOW", "LOCK", "LISTEN", "NOTIFY", "UNLISTEN",
      "CHECKPOINT", "FETCH"};

  /**
   * Whether {@code statement} leaves its transaction without a snapshot, as the server's SET,
   * RESET, SHOW, LOCK, LISTEN, NOTIFY, UNLISTEN, CHECKPOINT and FETCH do: after them the
   * transaction has run no query yet, and may still set its isolation level
   * (TransactionStateServerTest). Any other statement counts as its first query.
   */
  public static boolean takesNoSnapshot(SqlStatement statement) {
    return firstWordIn(statement, WITHOUT_SNAPSHOT) != null;
  }

  /** The one of {@code words} that is {@code statement}'s first word (in any case), or null. */
  private static String firstWordIn(SqlStatement statement, String[] words) {
    String s = statement.source();
    int first = statement.start();
    int firstEnd = wordEnd(s, first, statement.end());
    for (String word : words) {
      if (is(s, first, firstEnd, word)) {
        return word;
      }
    }
    return null;
  }

  /**
   * The name a {@code SAVEPOINT}, {@code RELEASE [SAVEPOINT]} or {@code ROLLBACK [WORK |
   * TRANSACTION] TO [SAVEPOINT]} statement names, as the server folds it (a word lower-cased in its
   * ASCII letters, a quoted name as written, {@code ""} read as {@code "}); null for any other
   * statement. Read again by its tokens, only for those statements.
   */
  public static String savepointName(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER) {
      return null;
    }
    return statement.readHead(c -> {
      if (c.acceptWord("ROLLBACK")) {
        if (!c.acceptWord("WORK")) {
          c.acceptWord("TRANSACTION");
        }
        if (!c.acceptWord("TO")) {
          return null;
        }
        c.acceptWord("SAVEPOINT");
      } else if (c.acceptWord("RELEASE")) {
        c.acceptWord("SAVEPOINT");
      } else if (!c.acceptWord("SAVEPOINT")) {
        return null;
      }
      int at = c.pos;
      c.pos = c.limit; // read to the end, so that a head cut short (long comments) is read again whole
      if (at + 1 != c.limit) {
        return null;
      }
      c.pos = at;
      String text = c.tokens.text(at);
      if (c.is(TokenKind.QUOTED_IDENTIFIER)) {
        return text.substring(1, text.length() - 1).replace("\"\"", "\"");
      }
      if (!c.is(TokenKind.WORD)) {
        return null;
      }
      // PostgreSQL folds the ASCII letters of an unquoted name only (downcase_identifier, UTF8)
      char[] folded = text.toCharArray();
      for (int i = 0; i < folded.length; i++) {
        if (folded[i] >= 'A' && folded[i] <= 'Z') {
          folded[i] = (char) (folded[i] + ('a' - 'A'));
        }
      }
      return new String(folded);
    });
  }

  /**
   * The tables (as written) a {@code DROP TABLE} or {@code ALTER TABLE} statement names, read by
   * its tokens; empty for any other statement. Redshift refuses such DDL of an external table in a
   * transaction block, which the names alone cannot tell: the caller knows the external schemas.
   */
  public static java.util.List<String> ddlTables(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER) {
      return java.util.List.of();
    }
    String s = statement.source();
    int first = statement.start();
    int firstEnd = wordEnd(s, first, statement.end());
    if (!is(s, first, firstEnd, "DROP") && !is(s, first, firstEnd, "ALTER")) {
      return java.util.List.of();
    }
    return statement.readHead(c -> {
      java.util.List<String> tables = new java.util.ArrayList<>(1);
      boolean drop = c.acceptWord("DROP");
      if (!drop && !c.acceptWord("ALTER") || !c.acceptWord("TABLE")) {
        return tables;
      }
      c.acceptWords("IF", "EXISTS");
      c.acceptWord("ONLY");
      for (String name = c.readName(); name != null; name = c.accept(TokenKind.COMMA) && drop ? c.readName() : null) {
        tables.add(name);
      }
      return tables;
    });
  }

  /**
   * The schemas a {@code SET [SESSION | LOCAL] search_path {TO | =} ...} statement names, read by
   * its tokens (quotes removed; a quoted string also split at its commas, as the server might read
   * it); empty for any other statement. Redshift refuses an external schema there ("Search paths
   * aren't supported with external schemas"; the server says "External schema ... cannot be set in
   * search_path"), which aborts the transaction the statement runs in; the names alone cannot tell,
   * the caller knows the external schemas.
   */
  public static java.util.List<String> searchPathSchemas(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER) {
      return java.util.List.of();
    }
    String s = statement.source();
    int first = statement.start();
    if (!is(s, first, wordEnd(s, first, statement.end()), "SET")) {
      return java.util.List.of();
    }
    return statement.readHead(TransactionControl::searchPath);
  }

  private static java.util.List<String> searchPath(Cursor c) {
    java.util.List<String> names = new java.util.ArrayList<>(2);
    c.acceptWord("SET");
    if (!c.acceptWord("SESSION")) {
      c.acceptWord("LOCAL");
    }
    // the parameter's name quoted in any case of its ASCII letters is the path too, as the server looks names up
    if (!CommandParser.isParameter(c.tokens, c.pos, "SEARCH_PATH")) {
      return names;
    }
    c.pos++;
    if (!c.acceptWord("TO") && !acceptEquals(c)) {
      return names;
    }
    for (boolean more = true; more && c.pos < c.limit; more = c.accept(TokenKind.COMMA)) {
      TokenKind kind = c.kind();
      if (kind == TokenKind.WORD) {
        names.add(AsciiCase.toLowerCase(c.tokens.text(c.pos))); // the server folds ASCII letters only
      } else if (kind == TokenKind.QUOTED_IDENTIFIER) {
        String quoted = c.tokens.text(c.pos);
        names.add(quoted.substring(1, quoted.length() - 1).replace("\"\"", "\""));
      } else if (kind != null && kind.isLiteral()) {
        String value = c.literalValue();
        names.add(value);
        for (String part : value.split(",")) {
          names.add(stripServerSpace(part)); // the server's space only: U+2003 is name material
        }
      } else {
        break;
      }
      c.pos++;
    }
    return names;
  }

  private static boolean acceptEquals(Cursor c) {
    if (c.is(TokenKind.OPERATOR) && "=".equals(c.tokens.text(c.pos))) {
      c.pos++;
      return true;
    }
    return false;
  }

  /** Whether {@code s[from, to)} is {@code word}, in any case. */
  private static boolean is(String s, int from, int to, String word) {
    // ASCII folding, as the server folds keywords and as the tokens are read after this look
    return to - from == word.length() && Tokens.sameWord(s, from, word);
  }

  /** Where the server's word starting at {@code at} ends ({@link Lexer#continuesWord}). */
  private static int wordEnd(String s, int at, int end) {
    int i = at;
    while (i < end && Lexer.continuesWord(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** {@code text} without the server's whitespace ({@link Lexer#isWhitespace}) at its ends. */
  private static String stripServerSpace(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && Lexer.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Lexer.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    return text.substring(from, to);
  }
}
