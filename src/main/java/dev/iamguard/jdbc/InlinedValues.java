package dev.iamguard.jdbc;

import dev.iamguard.sql.SqlScript;
import java.sql.SQLException;

/**
 * What a connection whose driver writes bound values into the text ({@link QueryMode}) may bind. The Redshift driver writes a value as
 * {@code ('...')} with its quotes doubled and its backslashes kept, so a value holding a backslash
 * is refused (it could end its literal), and so are values the guard cannot read before the driver
 * writes them (character streams, LOBs, arrays, XML, refs and row ids). Binary values are not
 * written as text. Nothing here shows the value: it may be a secret.
 */
final class InlinedValues {
  private static final String WHY = " with preferQueryMode=simple, where the driver writes bound values into the"
      + " statement text and keeps their backslashes, which end a literal in Redshift; it was not bound: bind it in"
      + " the driver's default (extended) query mode";

  private InlinedValues() {}

  /** Refuses a text value holding a backslash. */
  static void text(CharSequence value) throws SQLException {
    if (value != null && value.toString().indexOf('\\') >= 0) {
      throw refused("a value holding a backslash is refused");
    }
  }

  /**
   * The object to bind in place of {@code value}: read once, so that the text checked is the text
   * the driver writes (a value whose {@code toString} changed between two calls, or a mutable
   * {@code CharSequence}, showed the guard one text and the driver another: probe sq2 F2). Text is
   * bound as a String, a {@code BigDecimal} or {@code BigInteger} of a subclass as the JDK class;
   * refused when it holds a backslash, and refused outright when the guard cannot read it before
   * the driver writes it (streams, LOBs, arrays, driver objects, numbers and temporals of classes
   * outside the JDK).
   */
  static Object object(Object value) throws SQLException {
    if (value == null || value instanceof String || value instanceof Character || value instanceof Boolean
        || value instanceof java.util.UUID || value instanceof java.util.Date) {
      if (value instanceof String text) {
        text(text);
      } else if (value instanceof Character c && c == '\\') {
        throw refused("a value holding a backslash is refused");
      }
      return value; // final JDK classes, and dates the driver formats itself, not by toString
    }
    if (value instanceof byte[] bytes) {
      for (byte b : bytes) {
        if (b == '\\') {
          throw refused("a byte array holding a backslash (0x5c) is refused");
        }
      }
      return value;
    }
    if (value instanceof char[] || value instanceof CharSequence) {
      String text = value instanceof char[] chars ? new String(chars) : value.toString();
      text(text);
      return text;
    }
    if (value instanceof java.math.BigDecimal decimal) {
      return decimal(decimal);
    }
    if (value instanceof java.math.BigInteger integer) {
      return integer.getClass() == java.math.BigInteger.class ? integer : jdkNumber(() -> new java.math.BigInteger(integer.toString()));
    }
    String home = value.getClass().getPackageName();
    if (value instanceof Number && home.equals("java.lang") || value instanceof java.time.temporal.TemporalAccessor
        && home.equals("java.time") || value instanceof Number && home.equals("java.util.concurrent.atomic")) {
      return value; // the JDK's own numbers and temporals print no backslash
    }
    // a stream, LOB, array, driver object (whose type name the driver writes into a query of its
    // own), or a number or temporal of a class outside the JDK
    throw unreadable();
  }

  /** The {@code BigDecimal} to bind for {@code value}: itself, or, of a subclass, the JDK's reading of its text. */
  static java.math.BigDecimal decimal(java.math.BigDecimal value) throws SQLException {
    if (value == null || value.getClass() == java.math.BigDecimal.class) {
      return value;
    }
    return jdkNumber(() -> new java.math.BigDecimal(value.toString()));
  }

  private interface Parse<T> {
    T parse();
  }

  private static <T> T jdkNumber(Parse<T> parse) throws SQLException {
    try {
      return parse.parse();
    } catch (NumberFormatException | ArithmeticException e) {
      throw refused("a number of a class outside the JDK whose text is no number is refused");
    }
  }

  /** Refuses a type name holding a backslash: the driver looks it up with the name written into its query (probe sq F4). */
  static void typeName(String name) throws SQLException {
    if (name != null && name.indexOf('\\') >= 0) {
      throw refused("a type name holding a backslash is refused");
    }
  }

  /**
   * The refusal of a prepared statement's {@code getMetaData} or {@code getParameterMetaData}: in
   * simple mode the driver runs the text to describe it, unchecked (probe sq2 F4).
   */
  static SQLException describes() {
    return new SQLException("iamguard: getMetaData and getParameterMetaData of a prepared statement are refused with"
        + " preferQueryMode=simple, where the driver runs the statement to describe it, outside the guard's check of"
        + " an execution; nothing was sent: execute it and read its result set's metadata, or use the driver's"
        + " default (extended) query mode", GuardSqlStates.NOT_SUPPORTED);
  }

  /**
   * The refusal of an updatable result set's change: the driver writes the row's new values and its
   * key values (read from the table) into the UPDATE, INSERT, DELETE or SELECT it sends (probe sq F5).
   */
  static SQLException rowChange() {
    return new SQLException("iamguard: changing or refreshing a row through an updatable result set is refused with"
        + " preferQueryMode=simple, where the driver writes the row's values into the statement it sends and keeps"
        + " their backslashes, which end a literal in Redshift; nothing was sent: use an UPDATE, INSERT or DELETE"
        + " statement with parameters, or the driver's default (extended) query mode", GuardSqlStates.NOT_SUPPORTED);
  }

  /** The refusal of a value whose text the guard cannot read before the driver writes it. */
  static SQLException unreadable() {
    return refused("a character stream, LOB, array, XML, ref, row id or driver object value is refused");
  }

  /**
   * Refuses a text to prepare that the driver may read otherwise than Redshift in ways a written
   * value or a piece sent after a failed one makes count (probe sq F2, F3): a {@code ?} inside a
   * comment, literal, dollar quote or quoted name (a dollar quote tagged {@code $\u00a0$} is none to
   * the driver, which writes the value there, and a value holding the tag ends it), or a {@code ;}
   * inside one from which a statement the guard must see starts (the driver sends the pieces of a
   * prepared text one by one, the next even after one failed).
   */
  static void readable(String sql) throws SQLException {
    if (!SqlScript.placeholdersInCode(sql)) {
      throw new SQLException("iamguard: a '?' inside a comment, literal, dollar quote or quoted name is refused with"
          + " preferQueryMode=simple, where the driver writes each bound value in place of a '?' it finds by a reading"
          + " of its own; nothing was prepared: write the '?' out of the literal, or use the driver's default"
          + " (extended) query mode", GuardSqlStates.NOT_SUPPORTED);
    }
    if (SqlScript.hiddenBySplitsOutsideCode(sql)) {
      throw new SQLException("iamguard: a ';' inside a comment, literal, dollar quote or quoted name starts, when the"
          + " text is read afresh from it, a statement the guard must see; with preferQueryMode=simple the driver"
          + " splits a prepared text by a reading of its own and sends each piece, the next even after one failed;"
          + " nothing was prepared: remove the ';', or use the driver's default (extended) query mode",
          GuardSqlStates.NOT_SUPPORTED);
    }
  }

  private static SQLException refused(String what) {
    return new SQLException("iamguard: " + what + WHY, GuardSqlStates.NOT_SUPPORTED);
  }
}
