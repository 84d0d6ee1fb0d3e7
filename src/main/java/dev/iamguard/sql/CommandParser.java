package dev.iamguard.sql;

import java.util.Locale;

/**
 * Classifies a statement by its first words and hands it to the grammar of its command. Statements
 * that are not auth-carrying commands cost a look at their first words, plus a shape scan only when
 * the lexer saw an auth word somewhere in the text.
 */
final class CommandParser {
  private CommandParser() {}

  /** The command the tokens {@code [from, to)} start with. */
  static CommandKind classify(Tokens t, int from, int to) {
    if (!t.is(from, TokenKind.WORD)) {
      return CommandKind.OTHER;
    }
    // the first letter picks the commands to compare with: most statements start with none of them
    switch (t.source().charAt(t.start(from)) | 0x20) {
      case 'c':
        if (t.isWord(from, "COPY")) {
          return CommandKind.COPY;
        }
        if (t.isWord(from, "CREATE")) {
          return classifyCreate(t, t.isWord(from + 1, "OR") && t.isWord(from + 2, "REPLACE") ? from + 3 : from + 1);
        }
        return CommandKind.OTHER;
      case 'u':
        return t.isWord(from, "UNLOAD") ? CommandKind.UNLOAD : CommandKind.OTHER;
      case 'a':
        return t.isWord(from, "ALTER") ? classifyAlter(t, from, to) : CommandKind.OTHER;
      case 'g':
        return t.isWord(from, "GRANT") && t.isWord(from + 1, "ASSUMEROLE") ? CommandKind.GRANT_ASSUMEROLE
            : CommandKind.OTHER;
      case 'r':
        if (t.isWord(from, "REVOKE")) {
          return t.isWord(from + 1, "ASSUMEROLE") ? CommandKind.REVOKE_ASSUMEROLE : CommandKind.OTHER;
        }
        return isSessionAuthorization(t, from) ? CommandKind.SET_SESSION_AUTHORIZATION : CommandKind.OTHER;
      case 's':
        return isSessionAuthorization(t, from) ? CommandKind.SET_SESSION_AUTHORIZATION : CommandKind.OTHER;
      case 'd':
        return t.isWord(from, "DO") && DoBlockParser.opensCode(t, from + 1, to) ? CommandKind.DO_BLOCK
            : CommandKind.OTHER;
      default:
        return CommandKind.OTHER;
    }
  }

  private static CommandKind classifyAlter(Tokens t, int from, int to) {
    if (t.isWord(from + 1, "EXTERNAL") && t.isWord(from + 2, "SCHEMA")) {
      return CommandKind.ALTER_EXTERNAL_SCHEMA;
    }
    if (t.isWord(from + 1, "IDENTITY") && t.isWord(from + 2, "PROVIDER")) {
      return CommandKind.ALTER_IDENTITY_PROVIDER;
    }
    if (t.isWord(from + 1, "TABLE") && mayAlterLocation(t, from + 2, to)) {
      return CommandKind.ALTER_EXTERNAL_TABLE;
    }
    return CommandKind.OTHER;
  }

  private static CommandKind classifyCreate(Tokens t, int k) {
    if (t.isWord(k, "LIBRARY")) {
      return CommandKind.CREATE_LIBRARY;
    }
    if (t.isWord(k, "MODEL")) {
      return CommandKind.CREATE_MODEL;
    }
    if (t.isWord(k, "DATABASE")) {
      return CommandKind.CREATE_DATABASE;
    }
    if (t.isWord(k, "PROCEDURE")) {
      return CommandKind.CREATE_PROCEDURE;
    }
    if (t.isWord(k, "IDENTITY") && t.isWord(k + 1, "PROVIDER")) {
      return CommandKind.CREATE_IDENTITY_PROVIDER;
    }
    if (t.isWord(k, "EXTERNAL")) {
      if (t.isWord(k + 1, "SCHEMA")) {
        return CommandKind.CREATE_EXTERNAL_SCHEMA;
      }
      if (t.isWord(k + 1, "FUNCTION")) {
        return CommandKind.CREATE_EXTERNAL_FUNCTION;
      }
      if (t.isWord(k + 1, "MODEL")) {
        return CommandKind.CREATE_EXTERNAL_MODEL;
      }
      if (t.isWord(k + 1, "TABLE")) {
        return CommandKind.CREATE_EXTERNAL_TABLE;
      }
    }
    return CommandKind.OTHER;
  }

  /**
   * Whether {@code ALTER TABLE [IF EXISTS] [ONLY] name [*] ...} may set a LOCATION: the word after
   * the name is none of RENAME, OWNER, APPEND and ALTER (the actions that never take one), or lies
   * beyond the first tokens a scan keeps; then the grammar decides, by whether a LOCATION is
   * written. So the common ALTER TABLEs cost no second pass, and an action or a form of the name
   * the guard does not know (DROP PARTITION ..., ADD PARTITION ..., {@code ONLY t}, {@code t *}) is
   * read rather than passed as one that sets no location.
   */
  private static boolean mayAlterLocation(Tokens t, int k, int to) {
    if (t.isWord(k, "IF") && t.isWord(k + 1, "EXISTS")) {
      k += 2;
    }
    if (t.isWord(k, "ONLY")) {
      k++;
    }
    if (!t.is(k, TokenKind.WORD) && !t.is(k, TokenKind.QUOTED_IDENTIFIER)) {
      return k >= to;
    }
    k++;
    while (k < to && t.is(k, TokenKind.DOT)) {
      k += 2; // the next part of the name, seen or not
    }
    if (k < to && isStar(t, k)) {
      k++;
    }
    return k >= to || !(t.isWord(k, "RENAME") || t.isWord(k, "OWNER") || t.isWord(k, "APPEND")
        || t.isWord(k, "ALTER"));
  }

  /** True when token {@code k} is the {@code *} of {@code ALTER TABLE name *} (the table and its children). */
  static boolean isStar(Tokens t, int k) {
    return t.is(k, TokenKind.OPERATOR) && t.end(k) - t.start(k) == 1 && t.source().charAt(t.start(k)) == '*';
  }

  /**
   * {@code SET [SESSION | LOCAL] SESSION AUTHORIZATION ...}, {@code RESET SESSION AUTHORIZATION},
   * and the parameter forms {@code SET [SESSION | LOCAL] session_authorization {TO | =} ...} and
   * {@code RESET session_authorization}.
   */
  private static boolean isSessionAuthorization(Tokens t, int from) {
    if (t.isWord(from, "RESET")) {
      return t.isWord(from + 1, "SESSION") && t.isWord(from + 2, "AUTHORIZATION")
          || isParameter(t, from + 1, SESSION_AUTHORIZATION);
    }
    if (!t.isWord(from, "SET")) {
      return false;
    }
    int k = scopeEnd(t, from);
    return t.isWord(k, "SESSION") && t.isWord(k + 1, "AUTHORIZATION") || isParameter(t, k, SESSION_AUTHORIZATION);
  }

  /**
   * True when token {@code k} names the run-time parameter {@code upperCaseName}: as a word, or as
   * a quoted identifier in any case ({@code SET "session_authorization" = 'u'}, {@code SET "ROLE"
   * TO 'u'}: the server looks parameter names up ignoring case, quoted or not).
   */
  static boolean isParameter(Tokens t, int k, String upperCaseName) {
    if (t.isWord(k, upperCaseName)) {
      return true;
    }
    if (!t.is(k, TokenKind.QUOTED_IDENTIFIER)) {
      return false;
    }
    // ASCII folding, as the server compares parameter names (guc_name_compare): Unicode folding
    // read "\u017fession_authorization" (long s), which the server does not know, as this one
    String quoted = t.text(k);
    return quoted.length() == upperCaseName.length() + 2 && AsciiCase.regionMatches(quoted, 1, upperCaseName);
  }

  /**
   * True when token {@code k} starts a name written with Unicode escapes, {@code U&"..."}: Redshift's
   * scanner reads it as {@code U}, {@code &} and a quoted name, PostgreSQL as a name that may be
   * {@code role} or {@code session_authorization} ({@code U&"r\006fle"}); which one the guard does not
   * unescape, so a SET or RESET of it counts as an identity change (fail closed).
   */
  static boolean unicodeEscapedName(Tokens t, int k) {
    if (k + 1 >= t.count() || !t.isWord(k, "U") || !t.is(k + 1, TokenKind.OPERATOR)) {
      return false;
    }
    String source = t.source();
    int amp = t.start(k + 1);
    return t.end(k) == amp && source.charAt(amp) == '&' && amp + 1 < source.length() && source.charAt(amp + 1) == '"';
  }

  /** The parameter that {@code SET session_authorization TO x} sets. */
  static final String SESSION_AUTHORIZATION = "SESSION_AUTHORIZATION";

  /** After {@code SET} at {@code from}: the token past an optional {@code SESSION} or {@code LOCAL} scope. */
  static int scopeEnd(Tokens t, int from) {
    boolean scoped = t.isWord(from + 1, "LOCAL")
        || t.isWord(from + 1, "SESSION") && (t.isWord(from + 2, "SESSION") || isParameter(t, from + 2, "ROLE")
            || isParameter(t, from + 2, SESSION_AUTHORIZATION));
    return scoped ? from + 2 : from + 1;
  }

  /**
   * The {@link SessionEffects} a statement of {@code kind} starting at token {@code from} has by
   * its first words (the lexer adds {@code set_config} found anywhere). Only the first three
   * tokens are read, so the statement scan can ask at every statement end.
   */
  static int sessionEffects(CommandKind kind, Tokens t, int from) {
    if (kind == CommandKind.SET_SESSION_AUTHORIZATION || kind == CommandKind.DO_BLOCK) {
      // a DO block may change the identity in its code, or run routines that do
      return SessionEffects.IDENTITY;
    }
    if (kind != CommandKind.OTHER) {
      return SessionEffects.NONE;
    }
    if (!t.is(from, TokenKind.WORD)) { // a JDBC escape: {call p(?)}, {? = call f(?)} runs a routine
      return t.is(from, TokenKind.OPERATOR) && t.source().charAt(t.start(from)) == '{'
          ? SessionEffects.IDENTITY : SessionEffects.NONE;
    }
    switch (t.source().charAt(t.start(from)) | 0x20) { // most statements start with none of these
      case 'a':
        if (t.isWord(from, "ALTER")) {
          return t.isWord(from + 1, "SCHEMA") ? SessionEffects.CATALOG
              : t.isWord(from + 1, "PROCEDURE") || t.isWord(from + 1, "ROUTINE") ? SessionEffects.ROUTINES
              : Memberships.ofAlterOrDrop(t, from);
        }
        return t.isWord(from, "ABORT") ? SessionEffects.TRANSACTION | SessionEffects.UNDOES : SessionEffects.NONE;
      case 'b':
        return t.isWord(from, "BEGIN") ? SessionEffects.TRANSACTION : SessionEffects.NONE;
      case 'c':
        return t.isWord(from, "COMMIT") ? SessionEffects.TRANSACTION | SessionEffects.UNDOES
            : t.isWord(from, "CALL") ? SessionEffects.IDENTITY
            : t.isWord(from, "CREATE") && (t.isWord(from + 1, "GROUP") || t.isWord(from + 1, "USER"))
            ? SessionEffects.MEMBERSHIP : SessionEffects.NONE;
      case 'd':
        if (t.isWord(from, "DISCARD") || t.isWord(from, "DO")) {
          return SessionEffects.IDENTITY;
        }
        return t.isWord(from, "DROP") ? Memberships.ofAlterOrDrop(t, from) : SessionEffects.NONE;
      case 'g':
        // any GRANT: PostgreSQL's GRANT g TO u has no key word that tells it from a table's grant
        return t.isWord(from, "GRANT") ? SessionEffects.MEMBERSHIP : SessionEffects.NONE;
      case 'e':
        return t.isWord(from, "END") || t.isWord(from, "EXECUTE") ? SessionEffects.TRANSACTION | SessionEffects.UNDOES : SessionEffects.NONE;
      case 'p':
        return t.isWord(from, "PREPARE") ? SessionEffects.TRANSACTION | SessionEffects.UNDOES : SessionEffects.NONE;
      case 'r':
        if (t.isWord(from, "RESET")) {
          return isParameter(t, from + 1, "ROLE") || t.isWord(from + 1, "ALL") || unicodeEscapedName(t, from + 1)
              ? SessionEffects.IDENTITY : SessionEffects.NONE;
        }
        if (t.isWord(from, "ROLLBACK")) {
          return SessionEffects.TRANSACTION | SessionEffects.UNDOES;
        }
        if (t.isWord(from, "REVOKE")) {
          return SessionEffects.MEMBERSHIP; // PostgreSQL's REVOKE g FROM u has no key word to tell it either
        }
        return t.isWord(from, "RELEASE") ? SessionEffects.TRANSACTION : SessionEffects.NONE;
      case 's':
        if (t.isWord(from, "SET")) {
          int name = scopeEnd(t, from);
          return isParameter(t, name, "ROLE") || unicodeEscapedName(t, name) ? SessionEffects.IDENTITY : SessionEffects.NONE;
        }
        return t.isWord(from, "START") || t.isWord(from, "SAVEPOINT") ? SessionEffects.TRANSACTION : SessionEffects.NONE;
      case 't':
        // "TRUNCATE commits the transaction in which it is run" (probe 23b F4)
        return t.isWord(from, "TRUNCATE") ? SessionEffects.TRANSACTION | SessionEffects.UNDOES : SessionEffects.NONE;
      default:
        return SessionEffects.NONE;
    }
  }

  /**
   * Parses the statement made of tokens {@code [from, to)}, whose first token stands at
   * {@code line} and {@code column} of the script.
   */
  static RedshiftCommand parse(Tokens t, int from, int to, int line, int column) {
    CommandKind kind = classify(t, from, to);
    boolean authWords = t.hasAuthWordIn(from, to);
    int confusable = t.confusableIn(from, to);
    boolean trap = confusable >= 0 && (kind != CommandKind.OTHER || authWords || hidesCommand(t, from, to));
    if (kind == CommandKind.OTHER && !authWords && !trap) {
      return RedshiftCommand.OTHER;
    }
    CommandBuilder b = new CommandBuilder(t, kind);
    boolean ordinary = false; // an ALTER TABLE without any LOCATION
    b.origin(line, column, t.start(from));
    Cursor c = new Cursor(t, from, to);
    switch (kind) {
      case COPY -> CopyParser.parse(c, b);
      case UNLOAD -> UnloadParser.parse(c, b);
      case CREATE_LIBRARY -> LibraryParser.parse(c, b);
      case CREATE_EXTERNAL_SCHEMA, ALTER_EXTERNAL_SCHEMA -> ExternalSchemaParser.parse(c, b);
      case CREATE_EXTERNAL_FUNCTION -> ExternalFunctionParser.parse(c, b);
      case CREATE_MODEL, CREATE_EXTERNAL_MODEL -> ModelParser.parse(c, b);
      case CREATE_DATABASE -> DatabaseParser.parse(c, b);
      case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> AssumeRoleParser.parse(c, b);
      case CREATE_PROCEDURE -> ProcedureParser.parse(c, b);
      case DO_BLOCK -> DoBlockParser.parse(c, b);
      case SET_SESSION_AUTHORIZATION -> SessionAuthorizationParser.parse(c, b);
      case CREATE_IDENTITY_PROVIDER, ALTER_IDENTITY_PROVIDER -> IdentityProviderParser.parse(c, b);
      case CREATE_EXTERNAL_TABLE -> ExternalTableParser.create(c, b);
      case ALTER_EXTERNAL_TABLE -> {
        ExternalTableParser.alter(c, b);
        ordinary = !ExternalTableParser.hasLocation(b);
      }
      default -> { }
    }
    if (kind != CommandKind.OTHER && t.kind(to - 1).isUnterminated() && b.problems.isEmpty()) {
      b.problem(Problem.Kind.UNPARSEABLE, t.start(to - 1), "unterminated "
          + describe(t.kind(to - 1)) + ": the statement cannot be read to its end");
    }
    if (trap) {
      // the word itself is not shown: it may be a key written after a keyword
      b.problem(Problem.Kind.UNPARSEABLE, t.start(confusable), confusableReason(t, confusable));
    }
    if (authWords) {
      ShapeScan.scan(t, from, to, b, kind == CommandKind.OTHER
          && (t.isWord(from, "GRANT") || t.isWord(from, "REVOKE")));
    }
    if ((kind == CommandKind.OTHER || ordinary) && b.problems.isEmpty()) {
      return RedshiftCommand.OTHER;
    }
    return b.build();
  }

  /** Words that, seen as parts of a name holding a space-like character, suggest a hidden clause. */
  private static final String[] COMMAND_WORDS = {"COPY", "UNLOAD", "CREATE", "ALTER", "GRANT", "REVOKE", "SET", "RESET"};

  /** Why word {@code k}, which holds a space-like character, is a problem (the word itself is not shown). */
  static String confusableReason(Tokens t, int k) {
    return "a name holds " + describeConfusable(t, k) + ", which looks like a space but which Redshift reads as "
        + "part of the name; write a plain space";
  }

  /**
   * True when a part of a word that holds a space-like character is an auth word or starts an
   * auth-carrying command: whoever took that character for a space would read a clause there.
   */
  static boolean hidesCommand(Tokens t, int from, int to) {
    for (int k = t.confusableIn(from, to); k >= 0; k = t.confusableIn(k + 1, to)) {
      int[] parts = t.segments(k);
      for (int p = 0; p < parts.length; p += 2) {
        if (AuthWords.isAuthWord(t.source(), parts[p], parts[p + 1])) {
          return true;
        }
      }
      for (String word : COMMAND_WORDS) {
        if (t.hasSegment(k, word)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Names the first space-like character of word {@code k} by its code point (U+00A0). */
  private static String describeConfusable(Tokens t, int k) {
    for (int p = t.start(k); p < t.end(k); p++) {
      char c = t.source().charAt(p);
      if (c >= 0x80 && Lexer.isConfusable(c)) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
      }
    }
    return "a space-like character";
  }

  static String describe(TokenKind kind) {
    switch (kind) {
      case UNTERMINATED_STRING:
        return "string literal";
      case UNTERMINATED_IDENTIFIER:
        return "quoted identifier";
      case UNTERMINATED_DOLLAR_STRING:
        return "dollar-quoted literal";
      default:
        return "comment";
    }
  }
}
