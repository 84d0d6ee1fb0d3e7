package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Literal values over generated literals: each literal is built from pieces whose source form and
 * value are known one by one (an escape, a character at a UTF-8 length boundary, a doubled quote,
 * a continuation onto the next line), so the value the server reads is the pieces' values joined.
 * The literal stands inside a statement, so its token's span is checked too.
 */
class LiteralValueProperties {

  /**
   * One piece of a literal body: as written, as the server reads it, as option arguments keep it
   * ({@link Literals#optionText}), and whether it is a Unicode escape (a doubt for Redshift).
   */
  record Piece(String source, String value, String option, boolean unicode) {
    static Piece plain(String text) {
      return new Piece(text, text, text, false);
    }

    static Piece escape(String source, String value) {
      return new Piece(source, value, source, false);
    }
  }

  /** Characters read as themselves, among them every UTF-8 length boundary. */
  static final List<String> PLAIN = List.of(
      "a", "Z", "0", "7", " ", ";", "--", "/*", "*/", "$", "$$", "\"", "x", "-", "\t",
      "\u007f", "\u0080", "\u00e9", "\u07ff", "\u0800", "\u00a0", "\u20ac", "\u200b", "\ufeff", "\uffff",
      "\ud800\udc00", "\ud83d\ude00", "\udbff\udfff");

  static final List<Piece> ESCAPES = List.of(
      Piece.escape("\\b", "\b"), Piece.escape("\\f", "\f"), Piece.escape("\\n", "\n"), Piece.escape("\\r", "\r"),
      Piece.escape("\\t", "\t"), Piece.escape("\\q", "q"), Piece.escape("\\$", "$"), Piece.escape("\\\u00e9", "\u00e9"),
      Piece.escape("\\\ud83d\ude00", "\ud83d\ude00"),
      new Piece("\\\\", "\\", "\\", false), new Piece("\\'", "'", "'", false),
      // octal: at most three digits, the value of the low byte
      Piece.escape("\\101", "A"), Piece.escape("\\0101", "\b1"), Piece.escape("\\1011", "A1"),
      Piece.escape("\\7z", "\u0007z"), Piece.escape("\\12z", "\nz"), Piece.escape("\\177", "\u007f"),
      Piece.escape("\\501", "A"),
      // bytes that together are UTF-8 of two, three and four bytes
      Piece.escape("\\303\\251", "\u00e9"), Piece.escape("\\342\\202\\254", "\u20ac"),
      Piece.escape("\\360\\237\\230\\200", "\ud83d\ude00"), Piece.escape("\\xc3\\xA9", "\u00e9"),
      // hex: one or two digits
      Piece.escape("\\x41", "A"), Piece.escape("\\x4a", "J"), Piece.escape("\\x4F", "O"), Piece.escape("\\x414", "A4"),
      Piece.escape("\\x4g", "\u0004g"), Piece.escape("\\xfz", "\u000fz"), Piece.escape("\\xg", "xg"),
      Piece.escape("\\x9;", "\t;"), Piece.escape("\\x09", "\t"), Piece.escape("\\xA;", "\n;"),
      // Unicode escapes as PostgreSQL 9 reads them
      new Piece("\\u0041", "A", "\\u0041", true), new Piece("\\u00e9", "\u00e9", "\\u00e9", true),
      new Piece("\\u20AC", "\u20ac", "\\u20AC", true), new Piece("\\U0001F600", "\ud83d\ude00", "\\U0001F600", true),
      new Piece("\\ud83d\\ude00", "\ud83d\ude00", "\\ud83d\\ude00", true),
      new Piece("\\U0010FFFF", "\udbff\udfff", "\\U0010FFFF", true),
      new Piece("\\uFFFF", "\uffff", "\\uFFFF", true), new Piece("\\u0080", "\u0080", "\\u0080", true),
      new Piece("\\u07ff", "\u07ff", "\\u07ff", true), new Piece("\\u0800", "\u0800", "\\u0800", true));

  /** Pieces that end one part of a continued literal and open the next: no value of their own. */
  static final List<String> CONTINUATIONS = List.of(
      "'\n'", "' \n'", "'\t\r\n \f'", "'\r'", "'\n\n  \t'", "' -- c'\n'", "'\n-- ' x\n -- y\n'", "'  \n--\n'");

  @Provide
  Arbitrary<List<Piece>> escapedBody() {
    Arbitrary<Piece> plain = Arbitraries.of(PLAIN).map(Piece::plain);
    Arbitrary<Piece> doubled = Arbitraries.just(new Piece("''", "'", "'", false));
    Arbitrary<Piece> continuation = Arbitraries.of(CONTINUATIONS).map(c -> new Piece(c, "", "", false));
    Arbitrary<Piece> unpaired = Arbitraries.of(
        new Piece("\udc00", "?", "?", false), new Piece("\ud83dx", "?x", "?x", false));
    return Arbitraries.frequencyOf(
            Tuple.of(6, plain), Tuple.of(6, Arbitraries.of(ESCAPES)),
            Tuple.of(1, doubled), Tuple.of(2, continuation),
            Tuple.of(1, unpaired))
        .list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<String> prefix() {
    return Arbitraries.of("", "E", "e", "N", "n");
  }

  @Property(tries = 1500)
  void aQuotedLiteralsValueIsItsPiecesValuesJoined(@ForAll("prefix") String prefix,
      @ForAll("escapedBody") List<Piece> body) {
    StringBuilder source = new StringBuilder(prefix).append('\'');
    StringBuilder value = new StringBuilder();
    StringBuilder option = new StringBuilder();
    boolean unicode = false;
    for (Piece piece : body) {
      source.append(piece.source());
      value.append(piece.value());
      option.append(piece.option());
      unicode |= piece.unicode();
    }
    String literal = source.append('\'').toString();
    String sql = "select " + literal + " x";
    Tokens t = Lexer.tokenize(sql);
    assertThat(t.count()).as(sql).isEqualTo(3);
    assertThat(t.kind(1)).isEqualTo(TokenKind.STRING);
    assertThat(t.start(1)).isEqualTo(7);
    assertThat(t.end(1)).isEqualTo(7 + literal.length());
    Literals.Value read = t.literal(1);
    assertThat(read.text()).as(sql).isEqualTo(value.toString());
    assertThat(read.refused()).as(sql).isFalse();
    assertThat(read.doubt() != null).as(sql).isEqualTo(unicode);
    assertThat(t.literalValue(1)).isEqualTo(value.toString());
    assertThat(t.optionText(1)).as(sql).isEqualTo(option.toString());
    assertThat(Literals.valueStart(sql, t.start(1), TokenKind.STRING)).isEqualTo(7 + prefix.length() + 1);
    // the statement scan finds the same single statement
    Lexer.Statements found = Lexer.statements(sql + ";select 2");
    assertThat(found.count()).isEqualTo(2);
    assertThat(found.end(0)).isEqualTo(sql.length());
    // unterminated, the literal yields what was written after its opening quote, decoded alike
    String open = "select " + literal.substring(0, literal.length() - 1);
    Tokens u = Lexer.tokenize(open);
    assertThat(u.count()).isEqualTo(2);
    assertThat(u.kind(1)).isEqualTo(TokenKind.UNTERMINATED_STRING);
    if (!body.isEmpty() && !body.get(body.size() - 1).source().endsWith("'")) {
      assertThat(u.literal(1).text()).as(open).isEqualTo(value.toString());
      assertThat(u.optionText(1)).as(open).isEqualTo(option.toString());
    }
  }

  /** A literal without escapes reads the same in every reading, and a dollar quote takes its body as written. */
  @Property(tries = 600)
  void withoutBackslashesEveryReadingAgreesAndDollarQuotesTakeTheBodyAsWritten(
      @ForAll("plainBody") List<String> body, @ForAll("tag") String tag) {
    String written = String.join("", body);
    String expected = written.replace("\ud800x", "?x");
    String quoted = "'" + written.replace("'", "''") + "'";
    for (Lexer.Reading reading : Lexer.Reading.values()) {
      Tokens t = Lexer.tokenize("select " + quoted, reading);
      assertThat(t.count()).isEqualTo(2);
      assertThat(t.literal(1)).isEqualTo(Literals.Value.of(expected));
    }
    String dollar = "$" + tag + "$" + written + "$" + tag + "$";
    Tokens d = Lexer.tokenize(dollar + " x");
    assertThat(d.count()).as(dollar).isEqualTo(2);
    assertThat(d.kind(0)).isEqualTo(TokenKind.DOLLAR_STRING);
    assertThat(d.end(0)).isEqualTo(dollar.length());
    assertThat(d.literal(0)).isEqualTo(Literals.Value.of(expected));
    assertThat(d.optionText(0)).isEqualTo(expected);
    assertThat(Literals.valueStart(dollar, 0, TokenKind.DOLLAR_STRING)).isEqualTo(tag.length() + 2);
    String open = "$" + tag + "$" + written;
    Tokens u = Lexer.tokenize(open);
    assertThat(u.count()).isEqualTo(1);
    assertThat(u.kind(0)).isEqualTo(TokenKind.UNTERMINATED_DOLLAR_STRING);
    assertThat(u.literal(0).text()).isEqualTo(expected);
  }

  @Provide
  Arbitrary<List<String>> plainBody() {
    return Arbitraries.oneOf(Arbitraries.of(PLAIN).filter(p -> !p.contains("$")),
        Arbitraries.of("'", "\n", "\ud800x", "\u00e9t\u00e9")).list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<String> tag() {
    return Arbitraries.of("", "a", "_", "t1", "\u00e9", "\u20ac", "\u00a0", "\ud83d\ude00", "a\u200bb", "Z_9");
  }

  /** Bit strings are taken as written: no escapes, and their first quote ends them. */
  @Property(tries = 200)
  void bitStringsAreTakenAsWritten(@ForAll("bitPrefix") String prefix, @ForAll("bits") String bits) {
    String sql = "select " + prefix + "'" + bits + "'";
    Tokens t = Lexer.tokenize(sql);
    assertThat(t.count()).isEqualTo(2);
    assertThat(t.kind(1)).isEqualTo(TokenKind.BIT_STRING);
    assertThat(t.literal(1)).isEqualTo(Literals.Value.of(bits));
    assertThat(t.optionText(1)).isEqualTo(bits);
  }

  @Provide
  Arbitrary<String> bitPrefix() {
    return Arbitraries.of("B", "b", "X", "x");
  }

  @Provide
  Arbitrary<String> bits() {
    return Arbitraries.strings().withChars("01abcdefABCDEF").ofMaxLength(12);
  }

  /** Escapes that make bytes which are not UTF-8, or a NUL: the server refuses the literal. */
  @Example
  void bytesThatAreNotUtf8OrANulAreRefused() {
    for (String body : List.of("\\303", "\\377", "\\777", "\\xff", "\\x80", "a\\200b", "\\355\\240\\200",
        "\\360\\237\\230")) {
      Literals.Value read = Lexer.tokenize("'" + body + "'").literal(0);
      assertThat(read.refused()).as(body).isTrue();
      assertThat(read.doubt()).as(body).contains("not UTF-8");
    }
    for (String body : List.of("\\000", "a\\0b", "\\x0", "\\x00", "\\400")) {
      Literals.Value read = Lexer.tokenize("'" + body + "'").literal(0);
      assertThat(read.refused()).as(body).isTrue();
      assertThat(read.doubt()).as(body).contains("NUL");
    }
  }

  /** Unicode escapes that PostgreSQL refuses: too few digits, a lone or reversed surrogate, NUL, beyond U+10FFFF. */
  @Example
  void malformedUnicodeEscapesAreRefused() {
    for (String body : List.of("\\u12", "\\u123", "\\u12g4", "\\U0001F60", "\\ud83d", "\\ud83dx", "\\ud83d\\u0041",
        "\\ude00", "\\u0000", "\\U00110000", "\\UFFFFFFFF", "\\ud83d\\ud83d", "\\ud83d\\U0001F600")) {
      Literals.Value read = Lexer.tokenize("'" + body + "'").literal(0);
      assertThat(read.refused()).as(body).isTrue();
      assertThat(read.doubt()).as(body).contains("\\u");
    }
    assertThat(Lexer.tokenize("'\\u12'").literal(0).text()).isEqualTo("u12");
    assertThat(Lexer.tokenize("'\\ud83d\\u0041'").literal(0).text()).isEqualTo("A");
  }

  @Property(tries = 100)
  void aLiteralWithAUnicodeEscapeOfAnyCodePointReadsThatCodePoint(
      @ForAll("codePoints") int codePoint) {
    String body = String.format("\\U%08X", codePoint);
    Literals.Value read = Lexer.tokenize("'" + body + "'").literal(0);
    assertThat(read.text()).isEqualTo(new String(Character.toChars(codePoint)));
    assertThat(read.refused()).isFalse();
    if (codePoint <= 0xFFFF) {
      Literals.Value four = Lexer.tokenize(String.format("'\\u%04x'", codePoint)).literal(0);
      assertThat(four.text()).isEqualTo(new String(Character.toChars(codePoint)));
    }
  }

  @Provide
  Arbitrary<Integer> codePoints() {
    return Arbitraries.oneOf(Arbitraries.integers().between(1, 0xD7FF), Arbitraries.integers().between(0xE000, 0x10FFFF),
        Arbitraries.of(1, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF));
  }
}
