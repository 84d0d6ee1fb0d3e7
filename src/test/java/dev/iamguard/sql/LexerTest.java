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
    // the value is what the server reads; option arguments keep other escapes for COPY to interpret
    assertThat(Lexer.tokenize("'\\t'").literalValue(0)).isEqualTo("\t");
    assertThat(Lexer.tokenize("'\\t'").optionText(0)).isEqualTo("\\t");
  }

  @Test
  void backslashBeforeClosingQuoteKeepsLiteralOpen() {
    assertThat(tokens("'abc\\'; copy")).containsExactly("UNTERMINATED_STRING:'abc\\'; copy");
  }

  @Test
  void standardConformingLexerReadsBackslashLiterally() {
    Tokens t = Lexer.tokenize("'a\\' b", Lexer.Reading.NO_ESCAPES);
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

  /** PostgreSQL's scan.l: every byte >= 0x80 is name material; the server sees UTF-8, all such bytes. */
  @Test
  void charactersAbove127AreNameMaterialNotSpaces() {
    assertThat(tokens("iam_role\u00a0'x'")).containsExactly("WORD:iam_role\u00a0", "STRING:'x'");
    assertThat(tokens("\uFEFFcopy")).containsExactly("WORD:\uFEFFcopy");
    assertThat(tokens("a\u200bb c\u2028d")).containsExactly("WORD:a\u200bb", "WORD:c\u2028d");
    assertThat(tokens("\u20ac$$ x")).as("€ then $$ is one name, as ident_cont holds $")
        .containsExactly("WORD:\u20ac$$", "WORD:x");
    assertThat(tokens("caf\u00e9 \ud83d\ude00x")).containsExactly("WORD:caf\u00e9", "WORD:\ud83d\ude00x");
  }

  @Test
  void onlyTheServersFiveWhitespaceCharactersSeparate() {
    assertThat(tokens("a \tb\nc\rd\fe")).containsExactly("WORD:a", "WORD:b", "WORD:c", "WORD:d", "WORD:e");
    assertThat(tokens("a\u000bb")).as("a vertical tab is not whitespace to scan.l")
        .containsExactly("WORD:a", "OPERATOR:\u000b", "WORD:b");
    assertThat(Lexer.isWhitespace('\u000b')).isFalse();
    assertThat(Lexer.isWhitespace('\u00a0')).isFalse();
  }

  @Test
  void wordsWithSpaceLikeCharactersAreMarked() {
    Tokens t = Lexer.tokenize("select a\u00a0b, c, \u200bd");
    assertThat(t.confusableIn(0, t.count())).isEqualTo(1);
    assertThat(t.confusableIn(2, t.count())).isEqualTo(5);
    assertThat(t.confusableIn(2, 5)).isEqualTo(-1);
    assertThat(Lexer.isConfusable('\u00a0')).isTrue();
    assertThat(Lexer.isConfusable('\ufeff')).isTrue();
    assertThat(Lexer.isConfusable('\u00e9')).isFalse();
  }

  @Test
  void dollarQuoteTagsTakeEveryCharacterAbove127() {
    assertThat(tokens("$\u00a0$ ; copy $\u00a0$ x")).containsExactly("DOLLAR_STRING:$\u00a0$ ; copy $\u00a0$", "WORD:x");
    assertThat(tokens("$\u20ac$;$\u20ac$")).containsExactly("DOLLAR_STRING:$\u20ac$;$\u20ac$");
    assertThat(tokens("$\ud83d\ude00$ a $\ud83d\ude00$")).containsExactly("DOLLAR_STRING:$\ud83d\ude00$ a $\ud83d\ude00$");
    assertThat(tokens("$a1$ x $a1$")).containsExactly("DOLLAR_STRING:$a1$ x $a1$");
    assertThat(tokens("$1a$")).as("a tag cannot start with a digit").containsExactly("PARAMETER:$1", "WORD:a$");
    assertThat(Lexer.tokenize("$\u00e9$v$\u00e9$").literalValue(0)).isEqualTo("v");
  }

  @Test
  void anUnpairedSurrogateIsReadAsTheQuestionMarkDriversSendForIt() {
    assertThat(tokens("a\ud800b")).containsExactly("WORD:a", "PARAMETER:\ud800", "WORD:b");
    assertThat(tokens("$\udc00$ x")).containsExactly("OPERATOR:$", "PARAMETER:\udc00", "OPERATOR:$", "WORD:x");
    assertThat(Lexer.tokenize("'a\ud800'").literalValue(0)).isEqualTo("a?");
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
  void prefixedLiterals() {
    assertThat(tokens("E'x' n'y' B'01' X'ff' be'z'")).containsExactly(
        "STRING:E'x'", "STRING:n'y'", "BIT_STRING:B'01'", "BIT_STRING:X'ff'", "WORD:be", "STRING:'z'");
    assertThat(Lexer.tokenize("e'a\\'b'").literalValue(0)).isEqualTo("a'b");
    assertThat(tokens("B'1\\' x")).as("no escapes in a bit string: its first quote ends it")
        .containsExactly("BIT_STRING:B'1\\'", "WORD:x");
    assertThat(tokens("b'a''b'")).containsExactly("BIT_STRING:b'a'", "STRING:'b'");
    assertThat(tokens("U&'x'")).as("U& is PostgreSQL 8.4+: Redshift reads a name, an operator, a literal")
        .containsExactly("WORD:U", "OPERATOR:&", "STRING:'x'");
  }

  @Test
  void literalsContinueAcrossANewline() {
    assertThat(tokens("'a'\n'b' c")).containsExactly("STRING:'a'\n'b'", "WORD:c");
    assertThat(tokens("'a' -- note\n  'b'")).containsExactly("STRING:'a' -- note\n  'b'");
    assertThat(tokens("'a'\r\f\t'b'")).containsExactly("STRING:'a'\r\f\t'b'");
    assertThat(tokens("'a' 'b'")).as("no newline: two literals").containsExactly("STRING:'a'", "STRING:'b'");
    assertThat(tokens("'a'\n/* c */'b'")).as("a block comment does not continue a literal")
        .containsExactly("STRING:'a'", "STRING:'b'");
    assertThat(tokens("'a'\u000b\n'b'")).containsExactly("STRING:'a'", "OPERATOR:\u000b", "STRING:'b'");
    assertThat(Lexer.tokenize("E'a\\t'\n'\\n'\n -- x\n'c'").literalValue(0)).isEqualTo("a\t\nc");
    assertThat(Lexer.tokenize("B'01'\n'1\\'").kind(0)).isEqualTo(TokenKind.BIT_STRING);
    assertThat(tokens("'a'\n'b")).containsExactly("UNTERMINATED_STRING:'a'\n'b");
  }

  @Test
  void everyEscapeTheServerApplies() {
    assertThat(Lexer.tokenize("'\\b\\f\\n\\r\\t\\q\\\\\\''").literalValue(0)).isEqualTo("\b\f\n\r\tq\\'");
    assertThat(Lexer.tokenize("'\\101\\x42\\x4a\\7\\0101'").literalValue(0)).isEqualTo("ABJ\u0007\b1");
    assertThat(Lexer.tokenize("'\\xg'").literalValue(0)).isEqualTo("xg");
    assertThat(Lexer.tokenize("'\\303\\251'").literalValue(0)).isEqualTo("\u00e9");
    Literals.Value bad = Lexer.tokenize("'\\303'").literal(0);
    assertThat(bad.refused()).isTrue();
    assertThat(bad.doubt()).contains("not UTF-8");
    assertThat(Lexer.tokenize("'\\000'").literal(0).doubt()).contains("NUL");
    Literals.Value unicode = Lexer.tokenize("'\\u0041\\U0001F600'").literal(0);
    assertThat(unicode.text()).isEqualTo("A\ud83d\ude00");
    assertThat(unicode.doubt()).contains("\\u");
    assertThat(unicode.refused()).isFalse();
    assertThat(Lexer.tokenize("'\\ud83d\\ude00'").literalValue(0)).isEqualTo("\ud83d\ude00");
    assertThat(Lexer.tokenize("'\\u12'").literal(0).refused()).isTrue();
    assertThat(Lexer.tokenize("'ok'").literal(0)).isEqualTo(Literals.Value.of("ok"));
  }

  @Test
  void hashBeforeDollarIsReadBothWays() {
    assertThat(tokens("#t$$ x")).containsExactly("WORD:#t$$", "WORD:x");
    assertThat(Lexer.tokenize("select #$$ x $$").readingsMayDiffer).isTrue();
    assertThat(Lexer.tokenize("select a#$b").readingsMayDiffer).isTrue();
    assertThat(Lexer.tokenize("select #t, a$").readingsMayDiffer).isFalse();
    assertThat(Lexer.tokenize("select B'\\'").readingsMayDiffer).isTrue();
    Tokens alternative = Lexer.tokenize("#$$ x $$", Lexer.Reading.ESCAPES_EVERYWHERE);
    assertThat(alternative.kind(0)).isEqualTo(TokenKind.OPERATOR);
    assertThat(alternative.kind(1)).isEqualTo(TokenKind.DOLLAR_STRING);
  }

  /** A dollar quote whose closing tag ends the text (or a procedure body's region) is complete. */
  @Test
  void aDollarQuoteClosedAtTheVeryEndIsTerminated() {
    assertThat(tokens("select $$x$$")).containsExactly("WORD:select", "DOLLAR_STRING:$$x$$");
    assertThat(tokens("$a$ ; $a$")).containsExactly("DOLLAR_STRING:$a$ ; $a$");
    assertThat(tokens("$a$x$a")).containsExactly("UNTERMINATED_DOLLAR_STRING:$a$x$a");
    Tokens body = Lexer.tokenize("$$ select $q$x$q$ $$", 2, 18);
    assertThat(body.count()).isEqualTo(2);
    assertThat(body.kind(1)).isEqualTo(TokenKind.DOLLAR_STRING);
  }
  /**
   * A text's token arrays are presized for a token every 4 chars only up to 1 MB of text; past that
   * they grow with the tokens found. A 100 MB comment sent through the driver presized 25 million
   * tokens (225 MB) and ran a heap out of memory that the target's driver got by in.
   */
  @Test
  void tokenArraysGrowWithTheTokensNotTheText() {
    String comment = "select 1 /*" + "x".repeat(20 << 20) + "*/";
    Tokens tokens = Lexer.tokenize(comment, Lexer.Reading.REDSHIFT);
    assertThat(tokens.count()).as("select and 1: a comment is no token").isEqualTo(2);
    assertThat(tokens.capacity()).isEqualTo(Lexer.PRESIZED_TOKENS);

    StringBuilder words = new StringBuilder();
    while (words.length() < (3 << 20)) {
      words.append("a b c d e f g h ");
    }
    Tokens many = Lexer.tokenize(words.toString(), Lexer.Reading.REDSHIFT);
    assertThat(many.count()).isEqualTo(words.length() / 2);
    assertThat(many.capacity()).isGreaterThanOrEqualTo(many.count());
    assertThat(Lexer.tokenize("select 1", Lexer.Reading.REDSHIFT).capacity()).isEqualTo(16);
  }
}
