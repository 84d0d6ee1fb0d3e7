package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
