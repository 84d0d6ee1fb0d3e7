package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * COPY's data format clause for JSON and Avro in every spelling the grammar allows: {@code [FORMAT
 * [AS]] { JSON | AVRO } [AS] 'option'} ("FORMAT [AS]", "AVRO [AS] 'avro_option'", "JSON [AS]
 * 'json_option'" of the COPY reference's data format parameters; the corpus has {@code FORMAT AS
 * { AVRO | JSON } 's3://jsonpaths_file'}, {@code format avro 's3://..'}, {@code json 'auto
 * ignorecase'}, {@code FORMAT JSON 'noshred'}), keywords in upper, lower and mixed case, tokens
 * apart by a space, a block comment or a line comment. Shared by the parser's, the guard's and the
 * emulation's tests of these forms.
 */
public final class CopyFormatClauses {
  /** The separators written between the clause's tokens. */
  public static final List<String> SEPARATORS = List.of(" ", " /* c */ ", "/*c*/", "\n-- c\n ");

  /**
   * One spelling.
   *
   * @param sql the clause, starting with a space
   * @param format {@code JSON} or {@code AVRO}
   * @param formatWord whether {@code FORMAT} leads it
   * @param option the option's value as written between the quotes
   */
  public record Clause(String sql, String format, boolean formatWord, String option) {
    @Override
    public String toString() {
      return sql.replace("\n", "\\n");
    }
  }

  private CopyFormatClauses() {}

  /**
   * Every spelling of {@code format} with each of {@code options} over {@code separators}: with and
   * without {@code FORMAT}, with and without its {@code AS}, with and without the {@code AS} before
   * the option, each case; an option that is no S3 location is written in that case too.
   */
  public static List<Clause> of(List<String> formats, List<String> options, List<String> separators) {
    List<Clause> clauses = new ArrayList<>();
    for (String format : formats) {
      for (String head : List.of("", "FORMAT", "FORMAT AS")) {
        for (boolean as : new boolean[] {false, true}) {
          for (int style = 0; style < 3; style++) {
            for (String option : options) {
              for (String separator : separators) {
                List<String> words = new ArrayList<>(head.isEmpty() ? List.of() : List.of(head.split(" ")));
                words.add(format);
                if (as) {
                  words.add("AS");
                }
                StringBuilder sql = new StringBuilder();
                for (String word : words) {
                  sql.append(sql.length() == 0 ? " " : separator).append(cased(word, style));
                }
                String value = option.regionMatches(true, 0, "s3://", 0, 5) ? option : cased(option, style);
                sql.append(separator).append('\'').append(value).append('\'');
                clauses.add(new Clause(sql.toString(), format, !head.isEmpty(), value));
              }
            }
          }
        }
      }
    }
    return clauses;
  }

  /** {@code word} in upper case (0), lower case (1) or alternating from lower (2). */
  static String cased(String word, int style) {
    if (style == 0) {
      return word.toUpperCase(Locale.ROOT);
    }
    if (style == 1) {
      return word.toLowerCase(Locale.ROOT);
    }
    StringBuilder mixed = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      mixed.append(i % 2 == 0 ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return mixed.toString();
  }
}
