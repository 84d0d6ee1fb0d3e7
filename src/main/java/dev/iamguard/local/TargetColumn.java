package dev.iamguard.local;

import java.sql.Types;
import java.util.Locale;

/**
 * One column COPY loads, as the database describes it.
 *
 * @param name the column's name in the database (for the INSERT, quoted)
 * @param jdbcType its {@link Types} code
 * @param typeName the database's type name
 * @param precision declared length or precision, 0 when unknown
 * @param scale declared scale
 * @param nullable false when the column is NOT NULL
 * @param identity true for an IDENTITY column, whose values the database generates
 */
record TargetColumn(String name, int jdbcType, String typeName, int precision, int scale, boolean nullable,
    boolean identity) {

  /** The name as Redshift would print it: unquoted names fold to lower case there. */
  String label() {
    return name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
  }

  /** The name quoted for SQL text. */
  String quoted() {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** CHAR, VARCHAR and their relatives: the columns EMPTYASNULL, BLANKSASNULL and TRIMBLANKS act on. */
  boolean isCharacter() {
    return switch (jdbcType) {
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
          Types.CLOB, Types.NCLOB -> true;
      default -> false;
    };
  }

  /** True for fixed-length CHAR, which Redshift (like H2) pads rather than trims. */
  boolean isFixedCharacter() {
    return jdbcType == Types.CHAR || jdbcType == Types.NCHAR;
  }
}
