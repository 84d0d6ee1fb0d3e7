package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A secret keyword and its value separated by a blank that is no ASCII space (a no-break space
 * pasted from a wiki or a chat, U+2003, U+3000, a zero-width space, a BOM), alone or next to
 * ASCII spaces, comments, line breaks, {@code =}, {@code AS}, {@code :=}, {@code (} or a
 * {@code ;}: the server reads such a character as part of a name, so a name stood between the
 * keyword and its value, and the value was printed whole in the audit line, the JSON audit file and
 * a database's error quoting the statement (reported: "quoted keyword + no-break space + ';'";
 * in a first probe, 8,910 of 27,300 such texts were printed with the value on the code before the
 * fix, the quoted keyword and the unquoted one alike).
 *
 * <p>Every combination of keyword (quoted or not, in a random case), blank run and separator, each
 * with two random picks (seeded) of a second blank run and a literal form (plain, E'' with an escaped quote, dollar quotes with and
 * without a tag, a literal continued on the next line, U&amp;'', N'', a doubled quote, an
 * unterminated one ending the text), in statements Redshift reads and ones it refuses, ended by
 * {@code ;}, by more statements or by nothing. The oracle is the value itself: a distinctive
 * random string, which no output may hold, nor its parts on either side of an escape or a line.
 */
class UnicodeBlankSecretsTest {
  private static final String[] KEYWORDS = {"secret_access_key", "session_token", "access_key_id", "password",
      "master_symmetric_key"};
  /** Blanks the server reads as name characters, alone and with the ASCII ones around them. */
  private static final String[] GAPS = {"\u00a0", " \u00a0", "\u00a0 ", "\u00a0\u00a0", "\u2003", "\u3000", "\u202f",
      "\u2007", "\u200b", "\ufeff", "\u2060", "\n\u00a0", "\u00a0\n", "/*c*/\u00a0", "\u00a0--c\n", "\u00a0/* x */ ",
      "\t\u00a0\r\n", "\u1680", "\u205f", String.valueOf((char) 0x2028)};
  private static final String[] SEPARATORS = {"", ";", ";\n", "=", " = ", "AS ", "as\u00a0", ":=", "=>", "(",
      "\u00a0=\u00a0", "=\u00a0", "\u00a0;\u00a0"};
  private static final String[] SECOND_GAPS = {"", " ", "\u00a0", "\u200b", "\n\u00a0"};
  /** Statement starts: read by Redshift, and refused (a typo, an unknown command, a keyword out of place). */
  private static final String[] STARTS = {"copy venue from 's3://acmedata/redshift/v' ",
      "unload ('select 1') to 's3://acmedata/redshift/u/' ", "create user bob ", "alter user bob with ",
      "copy venue frm 's3://acmedata/redshift/v' ", "frobnicate ", "select 1 where x = "};
  private static final String[] ENDS = {"", ";", ";\nselect 1;", "\n"};
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** One generated text and the strings (the value and its parts) no output may hold. */
  record Case(String sql, List<String> secrets) {}

  private final Random random = new Random(20261205L);

  @Test
  void noOutputOfAnySpellingHoldsTheValue() {
    List<Case> cases = cases();
    assertThat(cases).hasSize(KEYWORDS.length * 2 * GAPS.length * SEPARATORS.length * FORMS_EACH);
    List<String> leaks = new ArrayList<>();
    int leaking = 0;
    for (Case c : cases) {
      boolean leaked = false;
      for (String output : outputs(c.sql())) {
        for (String secret : c.secrets()) {
          if (output.contains(secret) && !leaked) {
            leaked = true;
            if (leaks.size() < 10) {
              leaks.add(escaped(c.sql()) + "  ->  " + escaped(output));
            }
          }
        }
      }
      leaking += leaked ? 1 : 0;
    }
    assertThat(leaking).as(cases.size() + " texts, these among those printing their value: " + leaks).isZero();
  }

  /** Every output that shows a statement's text: the redacted SQL, the audit line, the JSON audit line, databases' errors. */
  private static List<String> outputs(String sql) {
    AuditEvent event = new AuditEvent("pool", "DENY", "enforce", "etl", "dev-cluster", 1, 1, "COPY",
        List.of("AUTH_UNPARSEABLE"), "iamguard: denied", sql);
    // what PostgreSQL and Redshift print of a refused text: the token they stopped at, and the text
    String error = "ERROR: syntax error at or near \"\u00a0\"\n  Position: 30\n  Statement: " + sql
        + "\n  Detail: invalid value \"" + sql.replace("'", "") + "\"";
    // H2 quotes the statement with every character above 127 as \XXXX, and quotes doubled
    String h2 = "Syntax error in SQL statement \"" + h2Escaped(sql).replace("\"", "\"\"") + "\"; expected \"PASSWORD\"";
    return List.of(Redactor.redact(sql), Redactor.redactMessage(sql), AuditLog.format(event),
        JsonLinesAuditFile.format(event, Instant.EPOCH), Redactor.redactMessage(error, Redactor.secretsOf(sql)),
        Redactor.redactMessage(h2, Redactor.secretsOf(sql)));
  }

  private static String h2Escaped(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    for (char c : sql.toCharArray()) {
      out.append(c > 127 ? String.format("\\%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String keyword : KEYWORDS) {
      for (boolean quoted : new boolean[] {false, true}) {
        for (String gap : GAPS) {
          for (String separator : SEPARATORS) {
            for (int k = 0; k < FORMS_EACH; k++) { // every form, start, end and second gap many times over
              String second = SECOND_GAPS[random.nextInt(SECOND_GAPS.length)];
              int form = random.nextInt(LITERAL_FORMS);
              String start = STARTS[random.nextInt(STARTS.length)];
              String end = ENDS[random.nextInt(ENDS.length)];
              cases.add(make(start, keyword, quoted, gap + separator + second, form, end));
            }
          }
        }
      }
    }
    return cases;
  }

  private static final int LITERAL_FORMS = 10;
  /** Random literal forms (with start, end and second gap) per keyword, quoting, gap and separator. */
  private static final int FORMS_EACH = 2;

  private Case make(String start, String keyword, boolean quoted, String between, int form, String end) {
    String value = value();
    String cased = switch (random.nextInt(3)) {
      case 0 -> keyword;
      case 1 -> keyword.toUpperCase(Locale.ROOT);
      default -> mixedCase(keyword);
    };
    String written = quoted ? "\"" + cased + "\"" : cased;
    String half = value.substring(0, 9);
    String rest = value.substring(9);
    String literal = switch (form) {
      case 0 -> "'" + value + "'";
      case 1 -> "E'" + half + "\\'" + rest + "'";
      case 2 -> "$$" + value + "$$";
      case 3 -> "$k$" + value + "$k$";
      case 4 -> "'" + half + "'\n'" + rest + "'";
      case 5 -> "U&'" + value + "'";
      case 6 -> "N'" + value + "'";
      case 7 -> "'" + half + "''" + rest + "'";
      case 8 -> "e'" + half + "\\n" + rest + "'";
      default -> "'" + value; // unterminated: the value ends the text
    };
    String sql = start + written + between + literal + (form == 9 ? "" : end);
    List<String> secrets = form == 0 || form == 2 || form == 3 || form == 5 || form == 6 || form == 9
        ? List.of(value) : List.of(half, rest);
    return new Case(sql, secrets);
  }

  /** A distinctive value: 24 random letters and digits, never a word the text holds otherwise. */
  private String value() {
    StringBuilder value = new StringBuilder("Zq");
    for (int i = 0; i < 22; i++) {
      value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return value.toString();
  }

  private String mixedCase(String word) {
    StringBuilder mixed = new StringBuilder(word.length());
    for (char c : word.toCharArray()) {
      mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return mixed.toString();
  }

  private static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      out.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
