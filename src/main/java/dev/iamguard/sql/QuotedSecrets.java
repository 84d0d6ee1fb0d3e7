package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The secret values a statement holds ({@link SecretSpans}), in every form a text may quote them:
 * as written, as read (a doubled quote as one, backslash escapes applied), and in the pieces a
 * database or a rule quotes apart. Shared by the redactor of the audit package (errors a database
 * returns) and by the rules, whose findings quote what the user wrote where a role or location
 * belongs: a value masked in the statement printed beside the finding must be masked in the
 * finding's sentence too.
 */
public final class QuotedSecrets {
  /** The shortest value searched for: a shorter one would mask ordinary words. */
  public static final int MIN_LENGTH = 3;

  private QuotedSecrets() {}

  /**
   * The secret values of {@code sql}, sent on its own after a statement ending with the secret
   * keyword {@code carried} ({@link SecretSpans#keywordAwaitingValue}; null: none), each as written
   * between its quotes and in the pieces a database may quote instead; values shorter than
   * {@value #MIN_LENGTH} characters are left out. Empty for a null {@code sql}.
   */
  public static List<String> after(String carried, String sql) {
    List<String> secrets = new ArrayList<>(0);
    if (sql == null) {
      return secrets;
    }
    for (Span span : SecretSpans.findAfter(carried, sql)) {
      String written = sql.substring(span.start(), span.end());
      secrets.add(written);
      addQuotedParts(written, secrets);
      addBlankParts(written, secrets);
      addEchoedForms(written, secrets);
    }
    secrets.removeIf(secret -> secret.length() < MIN_LENGTH);
    return secrets;
  }

  /**
   * {@code text} with every occurrence of each of {@code values} replaced by {@code mask}, longest
   * first (a value may hold a shorter one); the same instance when none occurs. For the few values
   * of one statement: a text is searched once per value.
   */
  public static String masked(String text, List<String> values, String mask) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    List<String> longestFirst = new ArrayList<>(values);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    String masked = text;
    for (String value : longestFirst) {
      if (value.length() >= MIN_LENGTH && masked.contains(value)) {
        masked = masked.replace(value, mask);
      }
    }
    return masked;
  }

  /**
   * The value in the forms a database echoes it when it was not sent as written: as Redshift reads
   * its backslash escapes (what the local H2 emulation is sent: {@code 'a\0042b'} as {@code a},
   * U+0004, {@code 2b}), with the Unicode escapes of a {@code U&'..'} applied (PostgreSQL's reading,
   * and H2's of the text it is sent), and each of those as H2 quotes a value in its messages
   * ({@link #h2Quoted}). The pieces between the characters H2 writes as escapes are searched for too:
   * H2 may mark a place inside the value ({@code "ab\\c[*]d"}), and a piece is masked even where its
   * reading of a character differs from ours.
   */
  private static void addEchoedForms(String written, List<String> secrets) {
    List<String> read = new ArrayList<>(4);
    read.add(written);
    if (written.indexOf('\\') >= 0) {
      read.add(Literals.value("E'" + written + "'", 0, written.length() + 3, TokenKind.STRING));
      read.add(unicodeEscaped(written));
      read.add(unicodeEscaped(read.get(1)));
    }
    for (String value : read) {
      if (!value.equals(written)) {
        secrets.add(value); // the value as written is there already
      }
      String quoted = h2Quoted(value);
      if (!quoted.equals(value)) {
        secrets.add(quoted);
        for (String piece : quoted.split("\\\\(?:\\+[0-9a-f]{6}|[0-9a-f]{4}|\\\\)")) {
          secrets.add(piece);
        }
      }
    }
  }

  /**
   * {@code value} as H2 quotes a value in its messages ({@code Data conversion error converting
   * "..."}, the statement of a syntax error): each backslash doubled, and each character that is
   * no space but a blank, a control, format, private-use, unassigned or unpaired surrogate one written
   * {@code \XXXX} (above U+FFFF {@code \+XXXXXX}), in lower-case hex.
   */
  static String h2Quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c != ' ' && isEscapedByH2(c)) {
        out.append(c > 0xffff ? String.format(Locale.ROOT, "\\+%06x", c) : String.format(Locale.ROOT, "\\%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    }
    return out.toString();
  }

  private static boolean isEscapedByH2(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
          Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      default -> false;
    };
  }

  /**
   * {@code value} with the escapes of a {@code U&'..'} literal applied ({@code \XXXX},
   * {@code \+XXXXXX}, {@code \\}); an escape that names no character is left as written.
   */
  static String unicodeEscaped(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int digits = c != '\\' ? 0 : value.startsWith("+", i + 1) ? 6 : 4;
      int from = i + 1 + (digits == 6 ? 1 : 0);
      int code = digits == 0 || from + digits > value.length() ? -1 : hex(value, from, from + digits);
      if (c == '\\' && value.startsWith("\\", i + 1)) {
        out.append('\\');
        i++;
      } else if (code >= 0 && Character.isValidCodePoint(code)) {
        out.appendCodePoint(code);
        i = from + digits - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The hexadecimal number {@code text[from, to)}, or -1 when a character there is no ASCII hex digit
   * (a fullwidth one is none: the server reads no such escape).
   */
  private static int hex(String text, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0 || text.charAt(i) > 'f') {
        return -1;
      }
      n = n * 16 + digit;
    }
    return n;
  }

  /**
   * The pieces of a value between the Unicode blanks it holds ({@link SecretSpans#isUnicodeBlank}): a
   * value read both with such a blank as a name character and as a space is masked from the blank
   * on (a no-break space before {@code $k$} in {@code "master_symmetric_key" $k$x$k$}), and a
   * database quotes the blank in its own way (H2: {@code \00a0$k$x$k$}), so the text after it is
   * searched for on its own.
   */
  private static void addBlankParts(String written, List<String> secrets) {
    int from = 0;
    for (int i = 0; i <= written.length(); i++) {
      if (i == written.length() || SecretSpans.isUnicodeBlank(written.charAt(i))) {
        if (from > 0 || i < written.length()) { // a part, not the value whole
          String part = written.substring(from, i).strip();
          if (!part.isEmpty()) {
            secrets.add(part);
          }
        }
        from = i + 1;
      }
    }
  }

  /**
   * The pieces of a value a database may quote apart from the value as written: a doubled quote
   * read as one ({@code a''b} is {@code a'b}), and each part of a literal continued across lines
   * ({@code a'\n'b}: the span covers both parts and the quotes between them).
   */
  private static void addQuotedParts(String written, List<String> secrets) {
    if (written.indexOf('\\') >= 0) {
      addReadParts(written, secrets);
    }
    if (written.indexOf('\'') < 0) {
      return;
    }
    secrets.add(written.replace("''", "'"));
    for (String part : written.split("'")) {
      if (!part.isBlank()) {
        secrets.add(part);
      }
    }
  }

  /**
   * The value as Redshift reads a literal with backslash escapes, and its pieces: a target that
   * runs the text in another dialect is sent that value (the local H2 emulation writes {@code 'a\\'b'}
   * as {@code 'a''b'}) and quotes what it was sent, with the quote doubled, or a line of it.
   */
  private static void addReadParts(String written, List<String> secrets) {
    StringBuilder read = new StringBuilder(written.length());
    for (int i = 0; i < written.length(); i++) {
      char c = written.charAt(i);
      if (c != '\\' || i + 1 == written.length()) {
        read.append(c);
        continue;
      }
      char next = written.charAt(++i);
      read.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next == 'b' ? '\b'
          : next == 'f' ? '\f' : next);
    }
    String value = read.toString();
    secrets.add(value);
    secrets.add(value.replace("'", "''"));
    for (String part : value.split("['\\r\\n]")) {
      if (!part.isBlank()) {
        secrets.add(part);
      }
    }
  }
}
