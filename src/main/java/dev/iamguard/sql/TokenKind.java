package dev.iamguard.sql;

/** The kinds of token the Redshift lexer produces. Comments and whitespace produce no token. */
enum TokenKind {
  /** An unquoted identifier or keyword (`copy`, `IAM_ROLE`, `#temp`). */
  WORD,
  /** A double-quoted identifier; `""` inside stands for one quote. */
  QUOTED_IDENTIFIER,
  /**
   * A single-quoted literal, also {@code E'..'} and {@code N'..'}, continued across newlines
   * ({@code 'a'\n'b'}); `''` and a backslash escape the next character.
   */
  STRING,
  /** A `$$...$$` or `$tag$...$tag$` literal. */
  DOLLAR_STRING,
  /** A bit string {@code B'..'} or {@code X'..'}: no escapes, its first quote ends it (it may continue). */
  BIT_STRING,
  /** A numeric literal. */
  NUMBER,
  /** A bind parameter: `?` or `$1`. */
  PARAMETER,
  SEMICOLON,
  LEFT_PAREN,
  RIGHT_PAREN,
  COMMA,
  DOT,
  /** Any other character or operator. */
  OPERATOR,
  /** A single-quoted literal (or bit string) without its closing quote: it runs to the end of the input. */
  UNTERMINATED_STRING,
  /** A quoted identifier without its closing quote: it runs to the end of the input. */
  UNTERMINATED_IDENTIFIER,
  /** A dollar-quoted literal without its closing tag: it runs to the end of the input. */
  UNTERMINATED_DOLLAR_STRING,
  /** A block comment without its closing `*&#47;`: it runs to the end of the input. */
  UNTERMINATED_COMMENT;

  boolean isUnterminated() {
    return ordinal() >= UNTERMINATED_STRING.ordinal();
  }

  /** Literal kinds that can carry a value (role, key, location). */
  boolean isLiteral() {
    return this == STRING || this == DOLLAR_STRING;
  }
}
