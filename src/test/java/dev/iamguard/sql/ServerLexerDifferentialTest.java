package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle: generated multi-statement texts of {@code select <literal>} are sent
 * to a throwaway PostgreSQL 15 as one simple query ({@link SimpleQueryWire}: JDBC drivers split
 * such texts themselves), with {@code standard_conforming_strings=off} as Redshift
 * behaves, and the statements it answers, and the value of every literal, must be exactly what
 * iamguard's lexer reads. The literals mix the forms a reader can get wrong: characters above 127
 * (no-break and zero-width spaces, BOM, U+2028, emoji, accents) in literals, names and dollar-quote
 * tags, continued literals (across newlines and {@code --} comments), {@code E''}, {@code N''}
 * and bit strings, every backslash escape, doubled quotes, and comments between statements.
 *
 * <p>A literal the server refuses (an escape making bytes that are not UTF-8, a NUL, a malformed
 * {@code \\u}) must be one iamguard's lexer says is refused, and the other way round. Forms on
 * which Redshift and PostgreSQL 15 are known to differ ({@code #} names, {@code U&''}) are not
 * generated; the guard fails closed on them instead.
 */
class ServerLexerDifferentialTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Text inside a literal: every form a lexer can trip on, as the writer types it. */
  static final String[] CONTENT = {"a", "Z", "0", "7", " ", " ", ";", ";", "--", "/*", "*/", "$", "$$", "$a$",
      "\"", "\t", "\n", "\r", "\u00a0", "\u20ac", "\u00e9", "\ud83d\ude00", "\u200b", "\u2028", "\ufeff", "\u3000",
      "#", "&", "\u0085", "x", "'; select 'x", "$\u00a0$", "E", "b", "--'"};
  /** Escapes, for escape strings only ({@code '..'} and {@code E'..'} with backslash escapes). */
  static final String[] ESCAPES = {"\\\\", "\\'", "\\n", "\\t", "\\b", "\\f", "\\r", "\\q", "\\\"", "\\101", "\\7",
      "\\0101", "\\x41", "\\x4", "\\xg", "\\\u00e9", "\\\u00a0", "\\;", "\\$", "\\-", "\\303\\251", "\\u0041",
      "\\U0001F600", "\\ud83d\\ude00", "''", "''", "\\\n"};
  /** Escapes the server refuses: bytes that are not UTF-8, a NUL, a malformed Unicode escape. */
  static final String[] REFUSED = {"\\303", "\\000", "\\x00", "\\u12", "\\ud800", "\\xff"};
  static final String[] TAGS = {"", "", "a", "_1", "\u00e9", "\u20ac", "\u00a0", "\u200b", "\ud83d\ude00", "\ufeff",
      "x\u2028y", "A", "tag"};
  /** What may stand between tokens: the server's five whitespace characters and comments. */
  static final String[] SPACE = {" ", " ", " ", "\n", "\t", "\r\n", "\f", " /* c; ' $$ */ ", " -- c ; ' $$\n",
      "/* /* n; */ ' */", "\n--\n"};
  /** What may stand between the parts of a continued literal. */
  static final String[] CONTINUATION = {"\n", " \n ", "\r", "\r\n", "\t\n\t", " -- c ; ' $$ \n", "\n-- x\n  ",
      "\f\n", "\n\n"};
  static final String[] ALIASES = {"", "", "", " as x", " x\u20ac$$", " as a\u00a0b", " \"we;ird\"", " y$", " as \u00e9t\u00e9"};

  @Test
  void thousandsOfGeneratedScriptsLexExactlyAsTheServerDoes() throws IOException {
    compare(3_000, 20261129L);
  }

  /**
   * PostgreSQL's default, {@code standard_conforming_strings=on}, read by
   * {@link Lexer.Reading#POSTGRES_STANDARD} (which the ambiguity check follows): a backslash escapes
   * in {@code E''} only. The same generated scripts must split into the statements the server
   * answers. Values are not compared: the check needs where statements end, not what they hold.
   */
  @Test
  void withStandardConformingStringsOnTheScriptsSplitAsThePostgresReadingDoes() throws IOException {
    Random random = new Random(20261201L);
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      server.query("set standard_conforming_strings = on");
      assertThat(server.query("show standard_conforming_strings").values()).containsExactly("on");
      List<String> disagreements = new ArrayList<>();
      int answered = 0;
      int backslashes = 0;
      for (int i = 0; i < 3_000 && disagreements.size() < 10; i++) {
        String text = script(random);
        SimpleQueryWire.Answer reply = server.query(text);
        Tokens t = Lexer.tokenize(text, Lexer.Reading.POSTGRES_STANDARD);
        boolean unterminated = false;
        int statements = 0;
        int tokens = 0;
        for (int k = 0; k <= t.count(); k++) {
          if (k == t.count() || t.kind(k) == TokenKind.SEMICOLON) {
            statements += tokens > 0 ? 1 : 0;
            tokens = 0;
          } else {
            tokens++;
            unterminated |= t.kind(k) == TokenKind.UNTERMINATED_STRING || t.kind(k) == TokenKind.UNTERMINATED_DOLLAR_STRING;
          }
        }
        backslashes += text.indexOf('\\') >= 0 ? 1 : 0;
        if (reply.error() != null) {
          continue; // an escape the server refuses, or a literal left open: nothing split to compare
        }
        answered++;
        if (unterminated || statements != reply.values().size()) {
          disagreements.add("case " + i + ": " + SimpleQueryWire.printable(text) + "\n  iamguard: " + statements
              + " statements" + (unterminated ? " (a literal left open)" : "") + "\n  server:   " + reply.values().size());
        }
      }
      assertThat(disagreements).as("scripts the PostgreSQL reading splits otherwise than the server").isEmpty();
      assertThat(answered).isGreaterThan(1_000);
      assertThat(backslashes).isGreaterThan(1_000);
    }
  }

  /** {@code mvn -B -Pfuzz verify}: far more of them. */
  @Tag("long")
  @Test
  void manyMoreUnderTheFuzzProfile() throws IOException {
    compare(100_000, System.nanoTime());
  }

  private static void compare(int cases, long seed) throws IOException {
    Random random = new Random(seed);
    try (SimpleQueryWire server = connect()) {
      List<String> disagreements = new ArrayList<>();
      int statements = 0;
      int refused = 0;
      for (int i = 0; i < cases && disagreements.size() < 10; i++) {
        String text = script(random);
        Answer lexer = lexer(text);
        SimpleQueryWire.Answer reply = server.query(text);
        Answer answer = new Answer(reply.values(), reply.error() != null);
        statements += lexer.values.size();
        refused += lexer.refused ? 1 : 0;
        if (!lexer.equals(answer)) {
          disagreements.add("seed " + seed + " case " + i + ": " + SimpleQueryWire.printable(text) + "\n  iamguard: " + lexer
              + "\n  server:   " + answer);
        }
      }
      System.out.printf("server lexer differential: %d scripts, %d statements, %d refused by the server, "
          + "%d disagreements (seed %d)%n", cases, statements, refused, disagreements.size(), seed);
      assertThat(disagreements).as("scripts iamguard reads differently from the server").isEmpty();
      assertThat(statements).isGreaterThan(cases * 2);
      assertThat(refused).isGreaterThan(cases / 100);
    }
  }

  /** What a reader says about a script: the value of each statement's literal, or that it is refused. */
  record Answer(List<String> values, boolean refused) {
    @Override
    public String toString() {
      return refused ? "refused" : values.stream().map(SimpleQueryWire::printable).toList().toString();
    }
  }

  static Answer lexer(String text) {
    List<String> values = new ArrayList<>();
    boolean refused = false;
    for (SqlStatement statement : SqlScript.parse(text).statements()) {
      Tokens t = Lexer.tokenize(statement.text());
      if (t.count() < 2) {
        values.add("<no literal: " + statement.text() + ">");
        continue;
      }
      TokenKind kind = t.kind(1);
      if (kind == TokenKind.NUMBER) {
        values.add(t.text(1));
        continue;
      }
      Literals.Value value = t.literal(1);
      refused |= value.refused();
      boolean hex = kind == TokenKind.BIT_STRING && (t.source().charAt(t.start(1)) | 0x20) == 'x';
      values.add(hex ? bits(value.text()) : value.text());
    }
    return new Answer(refused ? List.of() : values, refused);
  }

  /** A script of 1 to 6 statements, each {@code select <literal>} (or a number), with odd space between. */
  static String script(Random random) {
    StringBuilder script = new StringBuilder();
    if (random.nextInt(4) == 0) {
      script.append(pick(random, SPACE));
    }
    int count = 1 + random.nextInt(6);
    for (int i = 0; i < count; i++) {
      script.append("select").append(pick(random, SPACE));
      script.append(random.nextInt(12) == 0 ? Integer.toString(random.nextInt(1000)) : literal(random));
      script.append(pick(random, ALIASES));
      if (i + 1 < count || random.nextBoolean()) {
        script.append(random.nextInt(3) == 0 ? pick(random, SPACE) : "").append(';');
        if (random.nextInt(10) == 0) {
          script.append(pick(random, SPACE)).append(';');
        }
        script.append(pick(random, SPACE));
      }
    }
    return script.toString();
  }

  static String literal(Random random) {
    switch (random.nextInt(10)) {
      case 0, 1:
        return dollar(random);
      case 2:
        return bitString(random);
      case 3, 4: {
        StringBuilder parts = new StringBuilder(quoted(random, random.nextBoolean() ? "E" : ""));
        for (int k = random.nextInt(3); k >= 0; k--) {
          parts.append(pick(random, CONTINUATION)).append(quoted(random, ""));
        }
        return parts.toString();
      }
      case 5:
        return quoted(random, random.nextBoolean() ? "e" : "N");
      default:
        return quoted(random, "");
    }
  }

  /** An escape string: content, escapes, now and then an escape the server refuses. */
  static String quoted(Random random, String prefix) {
    StringBuilder literal = new StringBuilder(prefix).append('\'');
    for (int k = random.nextInt(8); k > 0; k--) {
      int roll = random.nextInt(100);
      literal.append(roll < 55 ? pick(random, CONTENT).replace("'", "''")
          : roll < 99 ? pick(random, ESCAPES) : pick(random, REFUSED));
    }
    if (prefix.equalsIgnoreCase("N")) {
      literal.append('n'); // bpchar keeps no trailing space: end on a letter
    }
    return literal.append('\'').toString();
  }

  /** A dollar quote with an odd tag whose content never holds its closing tag. */
  static String dollar(Random random) {
    String tag = "$" + pick(random, TAGS) + "$";
    while (true) {
      StringBuilder content = new StringBuilder();
      for (int k = random.nextInt(8); k > 0; k--) {
        content.append(random.nextInt(4) == 0 ? pick(random, ESCAPES) : pick(random, CONTENT));
      }
      String body = content.toString();
      if ((body + tag).indexOf(tag) == body.length()) {
        return tag + body + tag;
      }
    }
  }

  static String bitString(Random random) {
    boolean hex = random.nextBoolean();
    String digits = hex ? "0123456789abcdefABCDEF" : "01";
    StringBuilder literal = new StringBuilder(hex ? "X'" : "B'");
    int parts = random.nextInt(4) == 0 ? 2 : 1;
    for (int part = 0; part < parts; part++) {
      if (part > 0) {
        literal.append("'").append(pick(random, CONTINUATION)).append("'");
      }
      for (int k = 1 + random.nextInt(6); k > 0; k--) {
        literal.append(digits.charAt(random.nextInt(digits.length())));
      }
    }
    return literal.append('\'').toString();
  }

  /** The bits a hex bit string stands for, as the server prints them. */
  static String bits(String hex) {
    StringBuilder bits = new StringBuilder();
    for (char c : hex.toCharArray()) {
      String nibble = new BigInteger(String.valueOf(c), 16).toString(2);
      bits.append("0".repeat(4 - nibble.length())).append(nibble);
    }
    return bits.toString();
  }

  static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** A simple-query connection with backslash escapes on (Redshift's reading). */
  static SimpleQueryWire connect() throws IOException {
    SimpleQueryWire wire = SimpleQueryWire.redshiftLike(POSTGRES);
    assertThat(wire.query("show standard_conforming_strings").values()).containsExactly("off");
    return wire;
  }
}
