package dev.iamguard.sql;

import java.util.List;

/**
 * Reads the authorization clause shared by COPY, UNLOAD, CREATE LIBRARY and the DDL that names a
 * role: {@code IAM_ROLE}, {@code [WITH] CREDENTIALS [AS]}, {@code ACCESS_KEY_ID},
 * {@code SECRET_ACCESS_KEY}, {@code SESSION_TOKEN}, plus {@code CATALOG_ROLE} and
 * {@code MASTER_SYMMETRIC_KEY}. Every value is required to be one complete single-quoted literal
 * ({@code E'..'}, {@code N'..'} and a literal continued across lines are such literals to the
 * server, and their value is what it reads); anything else, and a value whose escapes Redshift
 * may read otherwise, becomes a {@link Problem} rather than a guess. Key values are never kept.
 */
final class AuthClauseParser {
  private static final List<String> CREDENTIAL_KEYS = List.of(
      "aws_iam_role", "aws_access_key_id", "aws_secret_access_key", "token", "master_symmetric_key");

  private AuthClauseParser() {}

  /**
   * Reads one auth clause when the cursor is on one; returns false (cursor unmoved) otherwise.
   */
  static boolean read(Cursor c, CommandBuilder b) {
    if (c.isWord("WITH") && c.isWordAt(1, AuthWords.CREDENTIALS)) {
      c.pos++;
    }
    if (!AuthWords.isAuthWord(c.tokens, c.pos) || c.pos >= c.limit) {
      return false;
    }
    String keyword = keyword(c);
    int keywordIndex = c.pos;
    b.consumedAuthWord(keywordIndex);
    c.pos++;
    switch (keyword) {
      case AuthWords.IAM_ROLE:
        iamRole(c, b, keywordIndex);
        break;
      case AuthWords.CREDENTIALS:
        credentials(c, b, keywordIndex);
        break;
      case AuthWords.CATALOG_ROLE:
        catalogRole(c, b, keywordIndex);
        break;
      case AuthWords.MASTER_SYMMETRIC_KEY: {
        // an option whose value is a secret: recorded by name only, never by value
        int valueIndex = c.pos;
        boolean present = requireLiteral(c, b, keyword);
        b.option(keyword, List.of(), c.tokens.start(keywordIndex),
            c.tokens.end(present ? valueIndex : keywordIndex));
        break;
      }
      default: // ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN
        record(b, keyword, AuthForm.ACCESS_KEYS, keywordIndex);
        int valueIndex = c.pos;
        if (requireLiteral(c, b, keyword)) {
          b.authCovers(c.tokens.start(keywordIndex), c.tokens.end(valueIndex));
        }
    }
    // the message is built only for a statement that has the problem: most clauses end at their value
    if (c.pos > keywordIndex + 1 && expressionFollows(c)) {
      expressionAfterValue(c, b, keyword + " value");
    }
    return true;
  }

  /**
   * A value the grammar gives as {@code DEFAULT} or one literal, made an expression by what follows
   * it: a cast ({@code DEFAULT::text}, {@code 'arn'::varchar}), a collation, an operator, a
   * subscript or a field. Redshift documents none of these there; whether it refuses them or reads
   * {@code DEFAULT::text} as the default role or as the text {@code default} is not known, so the
   * statement is not judged (and an alias is not rewritten with the cast kept).
   */
  static void expressionAfterValue(Cursor c, CommandBuilder b, String what) {
    if (expressionFollows(c)) {
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), what + " is followed by "
          + (c.isWord("COLLATE") ? "COLLATE" : "an operator (" + operatorText(c) + ")")
          + ", which makes it an expression the documented grammar does not allow; what Redshift would read is not"
          + " known: write DEFAULT or the quoted value alone");
    }
  }

  /** Whether what stands at the cursor makes the value before it an expression (see {@link #expressionAfterValue}). */
  private static boolean expressionFollows(Cursor c) {
    return c.pos < c.limit && (c.is(TokenKind.OPERATOR) || c.is(TokenKind.DOT) || c.isWord("COLLATE"));
  }

  /** The operator at the cursor with the operators written right after it ({@code ::}), cut short: it is printed, never a value. */
  private static String operatorText(Cursor c) {
    int last = c.pos;
    while (last + 1 < c.limit && c.tokens.is(last + 1, TokenKind.OPERATOR) && c.tokens.start(last + 1) == c.tokens.end(last)) {
      last++;
    }
    String text = c.tokens.source().substring(c.tokens.start(c.pos), c.tokens.end(last));
    return text.length() > 3 ? text.substring(0, 3) : text;
  }

  /** The auth word at the cursor, as its shared constant (auth words are {@link Keywords}). */
  private static String keyword(Cursor c) {
    return AuthWords.word(c.tokens.source(), c.tokens.start(c.pos), c.tokens.end(c.pos));
  }

  private static void iamRole(Cursor c, CommandBuilder b, int keywordIndex) {
    record(b, AuthWords.IAM_ROLE, AuthForm.IAM_ROLE, keywordIndex);
    if (c.isWord("DEFAULT")) {
      b.isDefault = true;
      b.valueSpan = c.span();
      b.authCovers(c.tokens.start(keywordIndex), c.tokens.end(c.pos));
      c.pos++;
      literalAfterDefault(c, b);
      return;
    }
    int first = c.pos;
    if (!requireLiteral(c, b, AuthWords.IAM_ROLE)) {
      return;
    }
    String value = withoutSecrets(b, c.tokens.start(first), AuthWords.IAM_ROLE,
        b.decisionValue(first, AuthWords.IAM_ROLE + " value"));
    b.roleText = value;
    b.valueSpan = new Span(c.tokens.start(first), c.tokens.end(first));
    if (value.isEmpty()) {
      b.problem(Problem.Kind.UNPARSEABLE, c.tokens.start(first), "IAM_ROLE value is empty");
    } else {
      splitChain(value, b.rolesToFill());
    }
    b.roleLiterals = 1 + moreLiterals(c, b, b.rolesToFill());
    b.authCovers(c.tokens.start(keywordIndex), c.tokens.end(c.pos - 1));
  }

  /**
   * {@code IAM_ROLE DEFAULT 'x'} (a comment or a line end between them too): the grammar takes DEFAULT or one
   * literal, never both, so Redshift refuses it as a syntax error. It is no statement to allow, and a rewrite of
   * DEFAULT to {@code 'arn'} would make the two one literal continued across the line (role {@code ...Good-x}),
   * a role nobody checked. The literal is not quoted in the message: it may be a secret.
   */
  private static void literalAfterDefault(Cursor c, CommandBuilder b) {
    TokenKind kind = c.kind();
    if (kind == TokenKind.STRING || kind == TokenKind.DOLLAR_STRING || kind == TokenKind.BIT_STRING
        || kind == TokenKind.UNTERMINATED_STRING || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
      b.problem(Problem.Kind.UNPARSEABLE, c.offset(), "IAM_ROLE DEFAULT is followed by a quoted literal, which the"
          + " grammar does not allow (Redshift refuses it as a syntax error) and which would join the role ARN if"
          + " DEFAULT were rewritten; write IAM_ROLE DEFAULT or IAM_ROLE '<ARN>' alone");
    }
  }

  private static void catalogRole(Cursor c, CommandBuilder b, int keywordIndex) {
    // a second CATALOG_ROLE would otherwise lengthen the chain of the first
    b.once(AuthWords.CATALOG_ROLE, c.tokens.start(keywordIndex));
    b.catalogRoleAt = c.tokens.start(keywordIndex);
    int first = c.pos;
    if (!requireLiteral(c, b, AuthWords.CATALOG_ROLE)) {
      return;
    }
    splitChain(withoutSecrets(b, c.tokens.start(first), AuthWords.CATALOG_ROLE,
        b.decisionValue(first, AuthWords.CATALOG_ROLE + " value")), b.catalogRolesToFill());
    if (moreLiterals(c, b, b.catalogRolesToFill()) > 0) {
      b.problem(Problem.Kind.UNPARSEABLE, c.tokens.start(first),
          "CATALOG_ROLE chain is split over several literals; write it as one quoted string");
    }
  }

  /** The wrong CREDENTIALS parts named one by one; the rest are counted. */
  static final int LISTED_PARTS = 10;

  private static void credentials(Cursor c, CommandBuilder b, int keywordIndex) {
    record(b, AuthWords.CREDENTIALS, AuthForm.CREDENTIALS, keywordIndex);
    c.acceptWord("AS");
    int valueIndex = c.pos;
    if (!requireLiteral(c, b, AuthWords.CREDENTIALS)) {
      return;
    }
    b.authCovers(c.tokens.start(keywordIndex), c.tokens.end(valueIndex));
    String value = b.decisionValue(valueIndex, AuthWords.CREDENTIALS + " value");
    int offset = c.tokens.start(valueIndex);
    if (value.isEmpty()) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, "CREDENTIALS value is empty");
      return;
    }
    int part = 0;
    int wrongParts = 0; // each is named up to LISTED_PARTS: a literal of a million ';' was a million problems
    for (String pair : value.split(";", -1)) {
      part++;
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        if (++wrongParts <= LISTED_PARTS) {
          b.problem(Problem.Kind.UNPARSEABLE, offset, "CREDENTIALS part " + part
              + " is not of the form key=value (keys: " + String.join(", ", CREDENTIAL_KEYS) + ")");
        }
        continue;
      }
      String key = pair.substring(0, equals);
      if (!CREDENTIAL_KEYS.contains(key)) {
        if (++wrongParts <= LISTED_PARTS) {
          b.problem(Problem.Kind.UNPARSEABLE, offset, "CREDENTIALS part " + part + " has "
              + describeKey(key) + "; keys are case-sensitive, take no spaces, and are one of "
              + String.join(", ", CREDENTIAL_KEYS));
        }
        continue;
      }
      b.addCredentialKey(key);
      if (key.equals("aws_iam_role")) {
        String roles = withoutSecrets(b, offset, "CREDENTIALS aws_iam_role", pair.substring(equals + 1));
        b.roleText = roles;
        splitChain(roles, b.rolesToFill());
        b.roleLiterals = 1;
      }
    }
    if (wrongParts > LISTED_PARTS) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, "CREDENTIALS has " + (wrongParts - LISTED_PARTS) + " more parts "
          + "that are not key=value with one of its keys, not listed");
    }
    if (moreLiterals(c, b, null) > 0) {
      b.problem(Problem.Kind.UNPARSEABLE, offset,
          "CREDENTIALS value is split over several literals; write it as one quoted string");
    }
  }

  /**
   * {@code roles} with the values of its key, secret and token parts masked ({@link RoleTextSecrets}),
   * recording that such a text is no role; {@code roles} itself when it holds none.
   */
  static String withoutSecrets(CommandBuilder b, int offset, String what, String roles) {
    String masked = RoleTextSecrets.masked(roles);
    if (masked != roles) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, what + " value holds a key, secret or token (name=value), which"
          + " is no role; name the role alone, and pass keys, if at all, with ACCESS_KEY_ID and SECRET_ACCESS_KEY");
    }
    String bare = BareCredentials.masked(masked);
    if (bare != masked) { // the name is joined only for a value that holds one: every role text passes here
      b.bareCredentials(offset, what + " value");
    }
    return bare;
  }

  /**
   * Describes an unknown key without echoing it (a mistyped line may hold a secret), suggesting
   * the known key it is closest to.
   */
  private static String describeKey(String key) {
    return "an unknown key" + Spelling.nearest(key.strip(), CREDENTIAL_KEYS)
        .map(known -> " (did you mean " + known + "?)").orElse("");
  }

  private static void record(CommandBuilder b, String keyword, AuthForm form, int keywordIndex) {
    if (b.authKeywords.isEmpty()) {
      b.authForm = form;
    }
    b.addAuthKeyword(keyword);
    b.authCovers(b.tokens.start(keywordIndex), b.tokens.end(keywordIndex));
  }

  /**
   * Requires the value after {@code keyword} to be one complete single-quoted literal and moves
   * past it; otherwise records why (parameter, dollar quote, unterminated, missing) and returns
   * false.
   */
  private static boolean requireLiteral(Cursor c, CommandBuilder b, String keyword) {
    int offset = c.offset();
    TokenKind kind = c.kind();
    if (kind == TokenKind.STRING) {
      c.pos++;
      return true;
    }
    if (kind == TokenKind.PARAMETER) {
      b.problem(Problem.Kind.PARAMETER, offset, keyword
          + " value is a bind parameter; its value cannot be checked before it is sent. Write the value in the SQL text");
      c.pos++;
    } else if (kind == TokenKind.DOLLAR_STRING || kind == TokenKind.BIT_STRING) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, keyword + " value is "
          + (kind == TokenKind.BIT_STRING ? "a bit string" : "dollar-quoted") + "; write it as a single-quoted literal");
      c.pos++;
    } else if (kind != null && kind.isUnterminated()) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, keyword + " value is an unterminated "
          + (kind == TokenKind.UNTERMINATED_COMMENT ? "comment" : "literal"));
    } else if (kind == null) {
      b.problem(Problem.Kind.UNPARSEABLE, offset, keyword + " has no value");
    } else {
      b.problem(Problem.Kind.UNPARSEABLE, offset, keyword + " must be followed by "
          + (keyword.equals(AuthWords.IAM_ROLE) ? "DEFAULT or " : "")
          + "a single-quoted literal, not " + describe(c, !keyword.equals(AuthWords.IAM_ROLE)
              && !keyword.equals(AuthWords.CATALOG_ROLE)));
      skipMisplacedValue(c);
    }
    return false;
  }

  /**
   * After a malformed clause such as {@code SECRET_ACCESS_KEY AS '..'}, moves past the value so it
   * is not read as an option later: a secret must never end up among the printable options.
   */
  private static void skipMisplacedValue(Cursor c) {
    while (!c.atEnd() && (c.isWord("AS") || c.is(TokenKind.OPERATOR))
        && c.pos + 1 < c.limit && c.tokens.kind(c.pos + 1).isLiteral()) {
      c.pos += 2;
    }
  }

  /**
   * Names what stands where a value should be; after a key, token or CREDENTIALS keyword
   * ({@code secret}) the text itself is not shown: an unquoted word there is a secret value.
   */
  private static String describe(Cursor c, boolean secret) {
    String word = c.wordText();
    if (word != null) {
      // a word of one case is a misspelt keyword or a name; a mixed-case one may be a key's first part
      return secret || !word.equals(word.toLowerCase(java.util.Locale.ROOT)) && !word.equals(word.toUpperCase(java.util.Locale.ROOT))
          || BareCredentials.looksLike(word) ? "an unquoted word" : "the word " + word;
    }
    switch (c.kind()) {
      case QUOTED_IDENTIFIER:
        return "a double-quoted identifier";
      case NUMBER:
        return "a number";
      default:
        return secret ? "a " + c.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " token"
            : "'" + c.tokens.text(c.pos) + "'";
    }
  }

  /** Counts literals that continue a value: adjacent ones or ones after a comma; moves past them. */
  private static int moreLiterals(Cursor c, CommandBuilder b, List<String> into) {
    int extra = 0;
    while (true) {
      if (c.isString()) {
        if (into != null) {
          splitChain(b.decisionValue(c.pos, "a role literal"), into);
        }
        c.pos++;
        extra++;
      } else if (c.is(TokenKind.COMMA) && c.pos + 1 < c.limit && c.tokens.kind(c.pos + 1) == TokenKind.STRING) {
        c.pos++;
      } else {
        return extra;
      }
    }
  }

  /**
   * Splits a role chain as written at the commas that start a new ARN ({@code ,arn:}, optionally
   * with spaces before {@code arn:}), adding the elements to {@code parts}; role names may
   * themselves contain commas.
   */
  static void splitChain(String value, List<String> parts) {
    int from = 0;
    for (int comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
      int next = comma + 1;
      while (next < value.length() && Character.isWhitespace(value.charAt(next))) {
        next++;
      }
      if (startsArn(value, next)) {
        parts.add(value.substring(from, comma));
        from = comma + 1;
      }
    }
    parts.add(value.substring(from));
  }

  /**
   * {@code value.regionMatches(true, at, "arn:", 0, 4)} without its case folding per char: only
   * {@code A} and {@code a} (and so on) fold to the letters of {@code arn}, and {@code c | 0x20}
   * matches exactly those ({@code SplitChainProperties} holds both to it).
   */
  private static boolean startsArn(String value, int at) {
    return at + 4 <= value.length() && (value.charAt(at) | 0x20) == 'a' && (value.charAt(at + 1) | 0x20) == 'r'
        && (value.charAt(at + 2) | 0x20) == 'n' && value.charAt(at + 3) == ':';
  }
}
