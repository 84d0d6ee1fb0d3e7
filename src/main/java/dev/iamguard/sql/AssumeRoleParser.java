package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GRANT ASSUMEROLE ON { 'role' [, ...] | DEFAULT | ALL } TO grantee [, ...] FOR command [, ...]}
 * and its {@code REVOKE ... FROM ...} twin.
 */
final class AssumeRoleParser {
  private AssumeRoleParser() {}

  static void parse(Cursor c, CommandBuilder b) {
    c.pos += 2; // GRANT|REVOKE ASSUMEROLE
    List<String> roles = new ArrayList<>(1);
    boolean onDefault = false;
    boolean onAll = false;
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
    if (c.acceptWord("TO") || c.acceptWord("FROM")) {
      do {
        AssumeRoleGrant.Grantee grantee = grantee(c);
        if (grantee != null) {
          grantees.add(grantee);
        }
      } while (c.accept(TokenKind.COMMA));
    }
    List<String> commands = new ArrayList<>(1);
    if (c.acceptWord("FOR")) {
      do {
        String command = command(c);
        if (command != null) {
          commands.add(command);
        }
      } while (c.accept(TokenKind.COMMA));
    }
    b.grant = new AssumeRoleGrant(roles, onDefault, onAll, grantees, commands);
    ClauseLoop.run(c, b, null);
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
      return asciiLowerCase(c.tokens.text(c.pos++));
    }
    if (c.is(TokenKind.QUOTED_IDENTIFIER)) {
      String quoted = c.tokens.text(c.pos++);
      return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }
    return null;
  }

  private static String asciiLowerCase(String word) {
    StringBuilder folded = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char ch = word.charAt(i);
      folded.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch);
    }
    return folded.toString();
  }

  private static String command(Cursor c) {
    for (String[] words : new String[][] {
        {"ALL"}, {"COPY"}, {"UNLOAD"}, {"EXTERNAL", "FUNCTION"}, {"CREATE", "MODEL"}}) {
      if (c.acceptWords(words)) {
        return String.join(" ", words);
      }
    }
    if (c.is(TokenKind.WORD)) {
      return c.tokens.upperWord(c.pos++);
    }
    return null;
  }
}
