package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GRANT ASSUMEROLE ON { 'role' [, ...] | DEFAULT | ALL } TO grantee [, ...] FOR command [, ...]}
 * and its {@code REVOKE ... FROM ...} twin.
 *
 * <p>Every part is required, and each FOR names one of the five commands: a statement without one,
 * or with anything after the FOR list, is refused by Redshift as a syntax error. Such a statement is
 * a problem here, so that {@code check} and the emulation on H2 refuse what Redshift refuses: a
 * setup script's {@code REVOKE ASSUMEROLE ON ALL FROM PUBLIC} without {@code FOR ALL} fails only
 * when the cluster runs it, and the users it meant to restrict keep every role.
 */
final class AssumeRoleParser {
  private AssumeRoleParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos += 2; // GRANT|REVOKE ASSUMEROLE
    String head = b.kind == CommandKind.GRANT_ASSUMEROLE ? "GRANT ASSUMEROLE" : "REVOKE ASSUMEROLE";
    String toOrFrom = b.kind == CommandKind.GRANT_ASSUMEROLE ? "TO" : "FROM";
    List<String> roles = new ArrayList<>(1);
    boolean onDefault = false;
    boolean onAll = false;
    if (!c.isWord("ON")) {
      syntax(c, b, head + " needs ON followed by quoted IAM roles, DEFAULT or ALL");
    }
    if (c.acceptWord("ON")) {
      onDefault = c.acceptWord("DEFAULT");
      onAll = !onDefault && c.acceptWord("ALL");
      if (onDefault || onAll) {
        AuthClauseParser.expressionAfterValue(c, b, "ASSUMEROLE ON " + (onDefault ? "DEFAULT" : "ALL"));
      }
      while (!onDefault && !onAll && !c.atEnd()) {
        int at = c.pos < c.tokens.count() ? c.tokens.start(c.pos) : c.tokens.source().length();
        String role = ClauseLoop.resourceLiteral(c, b, "ASSUMEROLE role");
        role = role == null ? null : AuthClauseParser.withoutSecrets(b, at, "ASSUMEROLE role", role);
        if (role != null) {
          AuthClauseParser.expressionAfterValue(c, b, "ASSUMEROLE role");
        }
        if (role == null || !c.accept(TokenKind.COMMA)) {
          if (role != null) {
            roles.add(role);
          }
          break;
        }
        roles.add(role);
      }
    }
    List<AssumeRoleGrant.Grantee> grantees = new ArrayList<>(1);
    if (!c.isWord(toOrFrom)) {
      syntax(c, b, head + " needs " + toOrFrom + " followed by the users, roles, groups or PUBLIC it names");
    }
    if (c.acceptWord("TO") || c.acceptWord("FROM")) {
      do {
        AssumeRoleGrant.Grantee grantee = c.isWord("FOR") ? null : grantee(c);
        if (grantee != null) {
          grantees.add(grantee);
        } else {
          syntax(c, b, head + " " + toOrFrom + " needs a user name, ROLE name, GROUP name or PUBLIC");
        }
      } while (c.accept(TokenKind.COMMA));
    }
    List<String> commands = new ArrayList<>(1);
    if (!c.isWord("FOR")) {
      syntax(c, b, head + " needs FOR followed by " + COMMANDS);
    }
    if (c.acceptWord("FOR")) {
      do {
        String command = command(c);
        if (command != null) {
          commands.add(command);
        } else {
          syntax(c, b, head + " FOR takes " + COMMANDS);
        }
      } while (c.accept(TokenKind.COMMA));
    }
    if (!c.atEnd()) {
      syntax(c, b, head + " ends with its FOR list");
    }
    b.grant = new AssumeRoleGrant(roles, onDefault, onAll, grantees, commands);
    ClauseLoop.run(c, b, null); // what follows is read too: an auth clause there may hold a secret to mask
  }

  private static final String COMMANDS = "ALL, COPY, UNLOAD, EXTERNAL FUNCTION or CREATE MODEL";

  /**
   * A part of the grammar is missing or wrong at the cursor: Redshift refuses the statement as a
   * syntax error. Only the first such part is a problem (what follows a missing part would each be one too).
   */
  private static void syntax(Cursor c, CommandBuilder b, String what) {
    if (b.problems.isEmpty()) {
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), what + "; " + (c.atEnd() ? "the statement ends here"
          : "here stands " + shown(c)) + ", which Redshift refuses as a syntax error");
    }
  }

  /** Words of this grammar, which a problem may print as written; any other token is named by its kind (it may be a secret). */
  private static final java.util.Set<String> GRAMMAR_WORDS = java.util.Set.of("ON", "DEFAULT", "ALL", "TO", "FROM",
      "ROLE", "GROUP", "PUBLIC", "FOR", "COPY", "UNLOAD", "EXTERNAL", "FUNCTION", "CREATE", "MODEL", "SELECT",
      "INSERT", "USAGE", "EXECUTE", "WITH", "GRANT", "OPTION");

  private static String shown(Cursor c) {
    TokenKind kind = c.kind();
    if (kind == TokenKind.WORD) {
      String word = c.tokens.upperWord(c.pos);
      return GRAMMAR_WORDS.contains(word) ? word : "a word";
    }
    return kind == TokenKind.COMMA ? "a comma" : "a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  /** The kind comes from the key word alone: a quoted name such as {@code "group:etl"} is a user. */
  private static AssumeRoleGrant.Grantee grantee(Cursor c) {
    if (c.acceptWord("PUBLIC")) {
      return AssumeRoleGrant.Grantee.EVERYONE;
    }
    AssumeRoleGrant.Grantee.Kind kind = c.acceptWord("ROLE") ? AssumeRoleGrant.Grantee.Kind.ROLE
        : c.acceptWord("GROUP") ? AssumeRoleGrant.Grantee.Kind.GROUP : AssumeRoleGrant.Grantee.Kind.USER;
    String name = identifier(c);
    return name == null ? null : new AssumeRoleGrant.Grantee(kind, name);
  }

  /**
   * Unquoted names fold to lower case as Redshift folds them, only their ASCII letters (Java's
   * Unicode folding would make the Kelvin sign a {@code k}); quoted ones keep their case.
   */
  static String identifier(Cursor c) {
    if (c.is(TokenKind.WORD)) {
      return AsciiCase.toLowerCase(c.tokens.text(c.pos++));
    }
    if (c.is(TokenKind.QUOTED_IDENTIFIER)) {
      String quoted = c.tokens.text(c.pos++);
      return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }
    return null;
  }

  /** One of the five commands a FOR names, the cursor moved past it; null (cursor unmoved) for anything else. */
  private static String command(Cursor c) {
    for (String[] words : new String[][] {
        {"ALL"}, {"COPY"}, {"UNLOAD"}, {"EXTERNAL", "FUNCTION"}, {"CREATE", "MODEL"}}) {
      if (c.acceptWords(words)) {
        return String.join(" ", words);
      }
    }
    return null;
  }
}
