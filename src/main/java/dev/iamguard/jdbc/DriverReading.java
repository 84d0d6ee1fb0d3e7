package dev.iamguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The text as the target driver will send it, asked of the driver itself. Drivers apply JDBC escape
 * processing first: the Redshift, PostgreSQL and H2 drivers send {@code {oj CREATE PROCEDURE ...}}
 * as {@code CREATE PROCEDURE ...}, a statement the text as written does not show. A text with a
 * brace is read as the target's {@code nativeSQL} returns it (a client-side call, no round trip); a
 * text without one is sent as written.
 *
 * <p>Why two readings: {@code nativeSQL} answers as for a prepared statement, whose {@code ?} the
 * Redshift driver and pgjdbc send as {@code $1}, {@code $2}, ... ({@code ??} as {@code ?}), while a
 * plain statement and a batch entry are sent with every {@code ?} as written. The server reads the
 * two differently: {@code x?$q$ ' $q$ ; COPY ...} is an operator and a dollar quote before a COPY,
 * but {@code x$1$q$ ' $q$ ; COPY ...} is one name and a literal that holds the COPY (reading probe
 * F3). The plain reading asks {@code nativeSQL} about the text with every {@code ?} replaced by a
 * char the text does not hold, which the drivers' parsers treat as they treat a {@code ?} in a
 * plain text (one more operator char), and puts the {@code ?} back.
 */
final class DriverReading {
  /**
   * Operator chars that the drivers' parsers read as nothing of their own, as they read a {@code ?}
   * of a plain text, and that their escape translations never write ({@code |} is written for
   * {@code {fn concat(...)}}, so it is not one).
   */
  private static final String STAND_INS = "~^@#`%&!";

  private DriverReading() {}

  /**
   * The text as a prepared statement of {@code target} sends it ({@code ?} numbered). A text without
   * a brace is read as written unless a {@code ?} stands after a char that {@code $1} would join
   * ({@link #placeholderMayJoin}): elsewhere a {@code $1} is read where the {@code ?} is, and the
   * statements, comments and literals around it are the same.
   */
  static String prepared(Connection target, String sql) {
    if (target == null || sql == null || preparedAsWritten(sql)) {
      return sql;
    }
    return nativeSql(target, sql);
  }

  /** True when a prepared statement's text is read as written: no brace, no {@code ?} that {@code $1} would join. */
  static boolean preparedAsWritten(String sql) {
    return sql.indexOf('{') < 0 && !placeholderMayJoin(sql);
  }

  /**
   * True when a {@code ?} stands after a char other than a space, a bracket, a comma, a quote or an
   * operator that cannot continue a name: {@code x?$q$ ' $q$ ; COPY ...} is sent as
   * {@code x$1$q$ ' $q$ ; COPY ...}, whose {@code x$1$q$} is one name and whose COPY is inside a
   * literal, and {@code $a?} inside a dollar quote tagged {@code a} becomes its end.
   */
  private static boolean placeholderMayJoin(String sql) {
    for (int q = sql.indexOf('?'); q >= 0; q = sql.indexOf('?', q + 1)) {
      if (q > 0 && SEPARATORS.indexOf(sql.charAt(q - 1)) < 0) {
        return true;
      }
    }
    return false;
  }

  /** Chars after which a {@code ?} sent as {@code $1} starts a token of its own, as the {@code ?} does. */
  private static final String SEPARATORS = " \t\n\r(),=<>[]+-*/:'\"";

  private static String nativeSql(Connection target, String sql) {
    try {
      String sent = target.nativeSQL(sql);
      return sent == null ? sql : sent;
    } catch (SQLException | RuntimeException e) {
      return sql; // a driver that refuses the escapes refuses to send the text
    }
  }

  /**
   * The text as a plain statement (or a batch entry) of {@code target} sends it ({@code ?} as
   * written).
   *
   * @throws SQLException when no stand-in is free (the text holds every one), or the driver's answer
   *     does not hold each stand-in once for each {@code ?}: the guard cannot tell what is sent
   */
  static String plain(Connection target, String sql) throws SQLException {
    if (target == null || sql == null || sql.indexOf('{') < 0) {
      return sql;
    }
    if (sql.indexOf('?') < 0) {
      return nativeSql(target, sql);
    }
    char standIn = freeStandIn(sql);
    String sent = standIn == 0 ? null : nativeSql(target, sql.replace('?', standIn));
    if (sent == null || count(sent, standIn) != count(sql, '?')) {
      throw new SQLException("iamguard: cannot tell how the driver sends this text's '?' together with its JDBC"
          + " escapes ({...}); nothing was sent: write the statement without JDBC escapes",
          GuardSqlStates.NOT_SUPPORTED);
    }
    return sent.replace(standIn, '?');
  }

  private static char freeStandIn(String sql) {
    for (int i = 0; i < STAND_INS.length(); i++) {
      char c = STAND_INS.charAt(i);
      if (sql.indexOf(c) < 0) {
        return c;
      }
    }
    return 0;
  }

  private static int count(String text, char c) {
    int n = 0;
    for (int i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
      n++;
    }
    return n;
  }
}
