package dev.iamguard.sql;

import static dev.iamguard.sql.LexerTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The edges of the lexer's character classes and forms, each as PostgreSQL's scan.l reads it:
 * cases mutation testing (-Pmutation) showed the other lexer tests did not pin.
 */
class LexerEdgesTest {
  @Test
  void theFirstAndLastCharactersAbove127AreNameMaterial() {
    // ident_start/ident_cont hold every byte \200-\377: U+0080 and U+FFFF are UTF-8 bytes >= 0x80
    assertThat(tokens("select a\u0080b")).containsExactly("WORD:select", "WORD:a\u0080b");
    assertThat(tokens("select \u0080")).containsExactly("WORD:select", "WORD:\u0080");
    assertThat(tokens("select a\uffffb")).containsExactly("WORD:select", "WORD:a\uffffb");
    assertThat(tokens("select \uffff")).containsExactly("WORD:select", "WORD:\uffff");
    // DEL (\177) is below them: not a name character, a token of its own
    assertThat(tokens("a\u007fb")).containsExactly("WORD:a", "OPERATOR:\u007f", "WORD:b");
  }

  @Test
  void anExponentNeedsADigitElseTheNumberEndsBeforeTheE() {
    // realfail1/realfail2 of scan.l: the scanner gives back the 'e' (and its sign)
    assertThat(tokens("select 1e5")).containsExactly("WORD:select", "NUMBER:1e5");
    assertThat(tokens("select 1E-5")).containsExactly("WORD:select", "NUMBER:1E-5");
    assertThat(tokens("select 1e+5")).containsExactly("WORD:select", "NUMBER:1e+5");
    assertThat(tokens("select 1e")).containsExactly("WORD:select", "NUMBER:1", "WORD:e");
    assertThat(tokens("select 1e+")).containsExactly("WORD:select", "NUMBER:1", "WORD:e", "OPERATOR:+");
    assertThat(tokens("select 1ex")).containsExactly("WORD:select", "NUMBER:1", "WORD:ex");
    assertThat(tokens("select .5e2")).containsExactly("WORD:select", "NUMBER:.5e2");
  }

  @Test
  void aLiteralContinuesOnlyAcrossALineEnd() {
    assertThat(tokens("'a'\r'b' x")).containsExactly("STRING:'a'\r'b'", "WORD:x");
    assertThat(tokens("'a' \t\f\n \t'b' x")).containsExactly("STRING:'a' \t\f\n \t'b'", "WORD:x");
    assertThat(tokens("'a' -- c\n'b' x")).containsExactly("STRING:'a' -- c\n'b'", "WORD:x");
    assertThat(tokens("'a' \t\f'b'")).containsExactly("STRING:'a'", "STRING:'b'");
    assertThat(tokens("'a'\n x")).containsExactly("STRING:'a'", "WORD:x");
    assertThat(tokens("'a'\n")).containsExactly("STRING:'a'");
    assertThat(tokens("'a' -")).containsExactly("STRING:'a'", "OPERATOR:-");
    assertThat(tokens("'a'\n-'b'")).containsExactly("STRING:'a'", "OPERATOR:-", "STRING:'b'");
    assertThat(Lexer.tokenize("'a'\n'b'\r\n'c'").literalValue(0)).isEqualTo("abc");
  }

  @Test
  void dollarQuoteTagsAndParameters() {
    assertThat(tokens("select $1, $23")).containsExactly("WORD:select", "PARAMETER:$1", "COMMA:,", "PARAMETER:$23");
    assertThat(tokens("select $a1$ x $a1$ y")).containsExactly("WORD:select", "DOLLAR_STRING:$a1$ x $a1$", "WORD:y");
    assertThat(tokens("select $_$x$_$")).containsExactly("WORD:select", "DOLLAR_STRING:$_$x$_$");
    // a tag cannot start with a digit: $1 is a parameter, then a name
    assertThat(tokens("$1a$")).containsExactly("PARAMETER:$1", "WORD:a$");
    assertThat(tokens("select $ x")).containsExactly("WORD:select", "OPERATOR:$", "WORD:x");
    assertThat(tokens("select $a")).containsExactly("WORD:select", "OPERATOR:$", "WORD:a");
    assertThat(tokens("select $a$ x")).containsExactly("WORD:select", "UNTERMINATED_DOLLAR_STRING:$a$ x");
    assertThat(tokens("select $\u00e9$x$\u00e9$")).containsExactly("WORD:select", "DOLLAR_STRING:$\u00e9$x$\u00e9$");
  }

  @Test
  void nestedBlockCommentsAndLineComments() {
    assertThat(tokens("/* a /* b */ c */ x")).containsExactly("WORD:x");
    assertThat(tokens("/* a /* b */ c x")).containsExactly("UNTERMINATED_COMMENT:/* a /* b */ c x");
    assertThat(tokens("a/**/b")).containsExactly("WORD:a", "WORD:b");
    assertThat(tokens("a -- c\rb")).containsExactly("WORD:a", "WORD:b");
    assertThat(tokens("a - b / c")).containsExactly("WORD:a", "OPERATOR:-", "WORD:b", "OPERATOR:/", "WORD:c");
    assertThat(tokens("/")).containsExactly("OPERATOR:/");
  }

  @Test
  void quotedIdentifiers() {
    assertThat(tokens("\"a\"\"b\" x")).containsExactly("QUOTED_IDENTIFIER:\"a\"\"b\"", "WORD:x");
    assertThat(tokens("\"a\"\"")).containsExactly("UNTERMINATED_IDENTIFIER:\"a\"\"");
    assertThat(tokens("\"\"")).containsExactly("QUOTED_IDENTIFIER:\"\"");
  }

  @Test
  void aRegionIsLexedAsIfTheTextEndedWithIt() {
    // a procedure body: a quote or a backslash at or past the region's end belongs to the outer text
    Tokens t = Lexer.tokenize("'ab' 'cd'", 0, 3);
    assertThat(t.count()).isEqualTo(1);
    assertThat(t.kind(0)).isEqualTo(TokenKind.UNTERMINATED_STRING);
    assertThat(t.end(0)).isEqualTo(3);
    Tokens q = Lexer.tokenize("x \"ab\" y", 0, 5);
    assertThat(q.kind(1)).isEqualTo(TokenKind.UNTERMINATED_IDENTIFIER);
    assertThat(q.end(1)).isEqualTo(5);
  }

  @Test
  void moreNameAndTagCharacters() {
    // '#' continues a name in Redshift (#temp tables)
    assertThat(tokens("select a#b")).containsExactly("WORD:select", "WORD:a#b");
    // a name above 127 that looks like nothing unusual is no reason to inspect
    assertThat(Lexer.needsInspection("select caf\u00e9 from t")).isFalse();
    assertThat(Lexer.needsInspection("select caf\u00a0e from t")).isTrue();
    for (String tag : new String[] {"a", "z", "A", "Z", "_", "\u0080", "a9"}) {
      String quoted = "$" + tag + "$x$" + tag + "$";
      assertThat(tokens("select " + quoted)).as(tag).containsExactly("WORD:select", "DOLLAR_STRING:" + quoted);
    }
    // a closing tag past the region's end does not close a quote inside it
    Tokens t = Lexer.tokenize("$a$x $a$", 0, 5);
    assertThat(t.kind(0)).isEqualTo(TokenKind.UNTERMINATED_DOLLAR_STRING);
    assertThat(Lexer.tokenize("$a$x$a$ y", 0, 7).kind(0)).isEqualTo(TokenKind.DOLLAR_STRING);
  }
}
