package dev.iamguard.sql;

/**
 * Whether the server reads a routine's code (a procedure body, a {@code DO} block's code) as the
 * guard does. The server lexes the code with its own settings when it runs it, and PostgreSQL with
 * {@code standard_conforming_strings=on} (its default) reads a backslash in a literal as itself
 * where Redshift's reading (the guard's) escapes with it: {@code perform 'x\'; COPY ...; -- '} is
 * one literal to Redshift and a COPY to that server. Code whose literals the readings place
 * differently is refused, whatever it holds: there is no statement list both readings share.
 */
final class ReadingsOfCode {
  static final String DISAGREE = "the code holds a literal with a backslash before a quote (or a bit string, or"
      + " '#' before '$') that PostgreSQL with standard_conforming_strings=on ends elsewhere than Redshift, so the"
      + " statements the server runs from it are not those the guard reads; write the literal without backslash"
      + " escapes ('it''s', not 'it\\'s')";
  static final String QUOTED_BACKSLASH = "the code is a quoted literal holding a backslash, which PostgreSQL with"
      + " standard_conforming_strings=on decodes otherwise than Redshift, so the statements the server runs from it"
      + " are not those the guard reads; write the code dollar-quoted ($$...$$) or as E'...'";

  private ReadingsOfCode() {}

  /**
   * The offset in {@code code} of the first literal, quoted name or statement end that the two
   * readings place differently, or -1 when they place all alike (words and operators may differ:
   * {@code #temp} is one name to Redshift and an operator and a name to PostgreSQL).
   */
  static int firstDisagreement(String code) {
    Tokens own = Lexer.tokenize(code);
    Tokens server = Lexer.tokenize(code, Lexer.Reading.POSTGRES_STANDARD);
    int i = shaping(own, 0);
    int j = shaping(server, 0);
    while (i < own.count() && j < server.count()) {
      if (own.start(i) != server.start(j) || own.end(i) != server.end(j) || own.kind(i) != server.kind(j)) {
        return Math.min(own.start(i), server.start(j));
      }
      i = shaping(own, i + 1);
      j = shaping(server, j + 1);
    }
    return i < own.count() ? own.start(i) : j < server.count() ? server.start(j) : -1;
  }

  /**
   * True when the quoted literal {@code i} (code, not written {@code E'...'}) holds a backslash: the
   * readings decode it differently, and not only where it ends. Redshift turns {@code \047} into a
   * quote that may open a literal hiding what follows; PostgreSQL keeps the four characters, which
   * PL/pgSQL only parses when it runs that statement, so {@code if false then perform \047x; end if;
   * COPY ...} runs the COPY there.
   */
  static boolean decodedOtherwise(Tokens t, int i) {
    String source = t.source();
    int start = t.start(i);
    if ((source.charAt(start) | 0x20) == 'e') {
      return false; // E'...' escapes in both readings ('...' and N'...' only in Redshift's)
    }
    return source.indexOf('\\', start) >= 0 && source.indexOf('\\', start) < t.end(i);
  }

  /** The first token at or after {@code k} that shapes statements: a literal, a quoted name, a semicolon. */
  private static int shaping(Tokens t, int k) {
    while (k < t.count()) {
      TokenKind kind = t.kind(k);
      if (kind != TokenKind.WORD && kind != TokenKind.OPERATOR && kind != TokenKind.NUMBER
          && kind != TokenKind.PARAMETER && kind != TokenKind.LEFT_PAREN && kind != TokenKind.RIGHT_PAREN
          && kind != TokenKind.COMMA && kind != TokenKind.DOT) {
        return k;
      }
      k++;
    }
    return k;
  }
}
