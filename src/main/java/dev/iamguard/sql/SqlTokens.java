package dev.iamguard.sql;

/**
 * A read-only view of the tokens of one SQL text as Redshift reads it (backslash escapes inside
 * literals), for code outside this package that must rewrite SQL without ever touching a literal,
 * a comment or a quoted identifier: whatever lies between tokens (whitespace, comments) and every
 * literal is copied by offsets, never re-read.
 */
public final class SqlTokens {
  /** What a token is. */
  public enum Kind {
    /** An unquoted identifier or keyword ({@code copy}, {@code #temp}). */
    WORD,
    /** A double-quoted identifier. */
    QUOTED_IDENTIFIER,
    /** A single-quoted or dollar-quoted literal. */
    STRING,
    NUMBER,
    /** {@code ?} or {@code $1}. */
    PARAMETER,
    SEMICOLON,
    LEFT_PAREN,
    RIGHT_PAREN,
    COMMA,
    DOT,
    /** One operator character. */
    OPERATOR,
    /** A literal, quoted identifier or comment that runs to the end of the text. */
    UNTERMINATED
  }

  private final Tokens tokens;

  private SqlTokens(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The tokens of {@code sql}. */
  public static SqlTokens of(String sql) {
    return new SqlTokens(Lexer.tokenize(sql));
  }

  /** The text the offsets refer to. */
  public String source() {
    return tokens.source();
  }

  public int count() {
    return tokens.count();
  }

  /** The kind of token {@code i}. */
  public Kind kind(int i) {
    TokenKind kind = tokens.kind(i);
    return switch (kind) {
      case WORD -> Kind.WORD;
      case QUOTED_IDENTIFIER -> Kind.QUOTED_IDENTIFIER;
      case STRING, DOLLAR_STRING -> Kind.STRING;
      case NUMBER -> Kind.NUMBER;
      case PARAMETER -> Kind.PARAMETER;
      case SEMICOLON -> Kind.SEMICOLON;
      case LEFT_PAREN -> Kind.LEFT_PAREN;
      case RIGHT_PAREN -> Kind.RIGHT_PAREN;
      case COMMA -> Kind.COMMA;
      case DOT -> Kind.DOT;
      case OPERATOR -> Kind.OPERATOR;
      default -> Kind.UNTERMINATED;
    };
  }

  /** True when token {@code i} exists and is of {@code kind}. */
  public boolean is(int i, Kind kind) {
    return i >= 0 && i < count() && kind(i) == kind;
  }

  /** Start offset of token {@code i} in {@link #source()}. */
  public int start(int i) {
    return tokens.start(i);
  }

  /** End offset (exclusive) of token {@code i}. */
  public int end(int i) {
    return tokens.end(i);
  }

  /** The token as written, quotes included. */
  public String text(int i) {
    return tokens.text(i);
  }

  /** True when token {@code i} is the unquoted word {@code upperCaseWord}, in any case. */
  public boolean isWord(int i, String upperCaseWord) {
    return tokens.isWord(i, upperCaseWord);
  }

  /** The word folded to upper case, or null when token {@code i} is not an unquoted word. */
  public String upperWord(int i) {
    return i >= 0 && i < count() ? tokens.upperWord(i) : null;
  }

  /** The value of a literal token: quotes removed, escapes as Redshift reads them. */
  public String literalValue(int i) {
    return tokens.literalValue(i);
  }
}
