package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LexerTest {

  /** Tokens as KIND:text, to compare whole token streams at a glance. */
  static List<String> tokens(String sql) {
    Tokens t = Lexer.tokenize(sql);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.count(); i++) {
      out.add(t.kind(i) + ":" + t.text(i));
    }
    return out;
  }

  @Test
  void singleQuotedLiteralWithDoubledQuote() {
    assertThat(tokens("select 'it''s' x")).containsExactly(
        "WORD:select", "STRING:'it''s'", "WORD:x");
    Tokens t = Lexer.tokenize("'it''s'");
    assertThat(t.literalValue(0)).isEqualTo("it's");
  }

  @Test
  void backslashEscapesInsideLiteral() {
    // Redshift: a backslash always escapes, so \' does not end the literal
    assertThat(tokens("'a\\'b' c")).containsExactly("STRING:'a\\'b'", "WORD:c");
    assertThat(Lexer.tokenize("'a\\'b'").literalValue(0)).isEqualTo("a'b");
    assertThat(Lexer.tokenize("'a\\\\'").literalValue(0)).isEqualTo("a\\");
    // other escapes are kept for COPY options to interpret
    assertThat(Lexer.tokenize("'\\t'").literalValue(0)).isEqualTo("\\t");
  }

  @Test
  void backslashBeforeClosingQuoteKeepsLiteralOpen() {
    assertThat(tokens("'abc\\'; copy")).containsExactly("UNTERMINATED_STRING:'abc\\'; copy");
  }

  @Test
  void standardConformingLexerReadsBackslashLiterally() {
    Tokens t = Lexer.tokenizeStandardConforming("'a\\' b");
    assertThat(t.kind(0)).isEqualTo(TokenKind.STRING);
    assertThat(t.text(0)).isEqualTo("'a\\'");
    assertThat(t.kind(1)).isEqualTo(TokenKind.WORD);
  }

  @Test
  void quotedIdentifierWithDoubledQuote() {
    assertThat(tokens("select \"a\"\"b;c\" from t")).containsExactly(
        "WORD:select", "QUOTED_IDENTIFIER:\"a\"\"b;c\"", "WORD:from", "WORD:t");
  }

  @Test
  void dollarQuotes() {
    assertThat(tokens("$$ it's; -- no $$ x")).containsExactly("DOLLAR_STRING:$$ it's; -- no $$", "WORD:x");
    assertThat(tokens("$body$ a $$ b $body$")).containsExactly("DOLLAR_STRING:$body$ a $$ b $body$");
    assertThat(Lexer.tokenize("$t$ v $t$").literalValue(0)).isEqualTo(" v ");
  }

  @Test
  void positionalParameterIsNotADollarQuote() {
    assertThat(tokens("where a = $1 and b = ?")).containsExactly(
        "WORD:where", "WORD:a", "OPERATOR:=", "PARAMETER:$1", "WORD:and", "WORD:b", "OPERATOR:=",
        "PARAMETER:?");
  }

  @Test
  void dollarInsideIdentifierIsPartOfIt() {
    assertThat(tokens("a$b$ c")).containsExactly("WORD:a$b$", "WORD:c");
  }

  @Test
  void lineCommentEndsAtLineEnd() {
    assertThat(tokens("a -- c; 'x\nb")).containsExactly("WORD:a", "WORD:b");
  }

  @Test
  void dashesInsideLiteralAreNotAComment() {
    assertThat(tokens("'--x' y")).containsExactly("STRING:'--x'", "WORD:y");
  }

  @Test
  void nestedBlockComments() {
    assertThat(tokens("a /* x /* y */ z */ b")).containsExactly("WORD:a", "WORD:b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'abc", "\"abc", "$$abc", "$q$abc $$", "/* a /* b */"})
  void unterminatedFormsRunToTheEnd(String sql) {
    Tokens t = Lexer.tokenize("x " + sql);
    assertThat(t.count()).isEqualTo(2);
    assertThat(t.kind(1).isUnterminated()).isTrue();
    assertThat(t.start(1)).isEqualTo(2);
    assertThat(t.end(1)).isEqualTo(2 + sql.length());
  }

  @Test
  void offsetsAreExact() {
    String sql = "copy  t\n\tfrom 's3://b/k';";
    Tokens t = Lexer.tokenize(sql);
    for (int i = 0; i < t.count(); i++) {
      assertThat(sql.substring(t.start(i), t.end(i))).isEqualTo(t.text(i));
    }
    assertThat(t.start(2)).isEqualTo(sql.indexOf("from"));
    assertThat(t.start(3)).isEqualTo(sql.indexOf("'s3"));
    assertThat(t.end(3)).isEqualTo(sql.indexOf(";"));
  }

  @Test
  void punctuationKinds() {
    assertThat(tokens("a.b(c,d);")).containsExactly(
        "WORD:a", "DOT:.", "WORD:b", "LEFT_PAREN:(", "WORD:c", "COMMA:,", "WORD:d", "RIGHT_PAREN:)",
        "SEMICOLON:;");
  }

  @Test
  void numbers() {
    assertThat(tokens("1 2.5 .5 1e10 3E-2")).containsExactly(
        "NUMBER:1", "NUMBER:2.5", "NUMBER:.5", "NUMBER:1e10", "NUMBER:3E-2");
  }

  @Test
  void unicodeSpacesSeparateTokens() {
    assertThat(tokens("iam_role\u00a0'x'")).containsExactly("WORD:iam_role", "STRING:'x'");
    assertThat(tokens("\uFEFFcopy")).containsExactly("WORD:copy");
  }

  static boolean hasAuthWord(String sql) {
    Tokens t = Lexer.tokenize(sql);
    return t.hasAuthWordIn(0, t.count());
  }

  @Test
  void authWordsAreFlaggedWhateverTheirCase() {
    assertThat(hasAuthWord("select 1")).isFalse();
    assertThat(hasAuthWord("x Iam_Role y")).isTrue();
    assertThat(hasAuthWord("x 'iam_role' y")).isFalse();
    assertThat(hasAuthWord("secret_access_key")).isTrue();
    assertThat(hasAuthWord("iam_roles")).isFalse();
    assertThat(Lexer.tokenize("a b iam_role c").isAuthWord(2)).isTrue();
    assertThat(Lexer.tokenize("a b iam_role c").isAuthWord(1)).isFalse();
  }

  @Test
  void theScanSaysWhetherATextNeedsInspection() {
    assertThat(Lexer.needsInspection("select 1; insert into t values ('copy t from x iam_role y')")).isFalse();
    assertThat(Lexer.needsInspection("select 1; copy t from 's3://b' iam_role default")).isTrue();
    assertThat(Lexer.needsInspection("select iam_role from t")).isTrue();
    assertThat(Lexer.needsInspection("select 'a\\b'")).as("a backslash in a literal needs the ambiguity check").isTrue();
    assertThat(Lexer.needsInspection("create or replace external function f() returns int")).isTrue();
  }

  @Test
  void eStringsAreAnIdentifierFollowedByALiteral() {
    assertThat(tokens("E'x'")).containsExactly("WORD:E", "STRING:'x'");
  }
}
