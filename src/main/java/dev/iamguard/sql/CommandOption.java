package dev.iamguard.sql;

import java.util.List;

/**
 * One option of a command ({@code DELIMITER '|'}, {@code FORMAT AS CSV}, {@code GZIP}), as the
 * local emulation and reports need it.
 *
 * @param name the option keyword, upper case
 * @param values its arguments: literal values decoded, words upper case, numbers as written,
 *     a parenthesised group as written
 * @param span where the option is written
 */
public record CommandOption(String name, List<String> values, Span span) {
  /**
   * The option {@code CREATE EXTERNAL SCHEMA IF NOT EXISTS} records: a schema that exists already
   * keeps its role, so the role written may not be the one its tables are read with.
   */
  public static final String IF_NOT_EXISTS = "IF NOT EXISTS";
  /**
   * The option a CREATE EXTERNAL TABLE (or CETAS) declaring partition columns records: a CETAS
   * then "registers new partitions into the external catalog automatically" (CREATE EXTERNAL TABLE page).
   */
  public static final String PARTITIONED_BY = "PARTITIONED BY";
  /**
   * The option {@code ALTER TABLE .. ADD [IF NOT EXISTS] PARTITION} records, once: it "register[s]
   * new partitions to the external catalog" (CREATE EXTERNAL TABLE page, PARTITIONED BY).
   */
  public static final String ADD_PARTITION = "ADD PARTITION";

  public CommandOption {
    values = List.copyOf(values);
  }

  /** The first value, or null when the option has none. */
  public String value() {
    return values.isEmpty() ? null : values.get(0);
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
