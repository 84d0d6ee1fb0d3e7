package dev.iamguard.jdbc;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether the target driver still sends text as UTF-8, the encoding the guard reads it in. After
 * {@code SET client_encoding TO 'SJIS'} (or {@code SET NAMES}, {@code set_config}, a procedure
 * that calls it) the Redshift driver encodes what it sends in the new encoding, where {@code ¥}
 * becomes the byte of a backslash: with backslashes escaping in literals, {@code 'a¥'} then no
 * longer ends where the guard read its end, and a statement the guard read inside a literal ran
 * (probe sq F6, with {@code backslash_quote = on}). A text of ASCII characters alone is the same
 * bytes in every encoding the server accepts from a client, so only texts holding others are
 * refused while the encoding is another one.
 *
 * <p>The driver is asked, before each execution, for the {@code client_encoding} the server last
 * reported ({@code getParameterStatus}, public API of both drivers' connection interfaces). A
 * connection of either driver that cannot answer is taken as sending another encoding.
 */
final class ClientEncoding {
  /** For a connection of neither driver: the guard's reading and the driver's encoding are Java's own. */
  static final ClientEncoding UNCHANGING = new ClientEncoding(null, null);

  private final Method asks;
  private final Object driven;

  private ClientEncoding(Method asks, Object driven) {
    this.asks = asks;
    this.driven = driven;
  }

  /** The encoding of {@code target}'s driver, asked for as it is needed. */
  static ClientEncoding of(Connection target) {
    if (target == null) {
      return UNCHANGING;
    }
    Object[] asked = QueryMode.driverConnection(target);
    if (asked != null) {
      return new ClientEncoding(parameterStatus((Class<?>) asked[0]), asked[1]);
    }
    return QueryMode.ofKnownDriver(target) ? new ClientEncoding(null, target) : UNCHANGING;
  }

  private static Method parameterStatus(Class<?> face) {
    try {
      return face.getMethod("getParameterStatus", String.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** True when the driver sends UTF-8 (or the connection is of neither driver). */
  boolean utf8() {
    if (driven == null) {
      return true;
    }
    if (asks == null) {
      return false;
    }
    try {
      Object name = asks.invoke(driven, "client_encoding");
      return name instanceof String encoding
          && (encoding.equalsIgnoreCase("UTF8") || encoding.equalsIgnoreCase("UNICODE") || encoding.equalsIgnoreCase("UTF-8"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** The encoding's name as the driver reports it, for a message (never a secret). */
  private String name() {
    try {
      Object name = asks == null ? null : asks.invoke(driven, "client_encoding");
      return name == null ? "unknown" : name.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "unknown";
    }
  }

  /** True when {@code text} holds a character outside ASCII. */
  static boolean beyondAscii(CharSequence text) {
    if (text == null) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a char beyond ASCII directly precedes a backslash in {@code text}: the one way a text
   * sent as UTF-8 reads otherwise when the server decodes it in a client encoding of two-byte
   * chars. An earlier statement of the same execution may switch to one (SJIS, BIG5, GBK,
   * GB18030, UHC, JOHAB) after the guard asked, and the server decodes each message it reads in the
   * encoding then in force: the last byte of a UTF-8 char, 0x80 to 0xBF, is a lead byte in each of
   * these, which takes the next byte as its second one. Of the ASCII chars that end or start a
   * literal, a comment, a quoted name or a dollar quote, only the backslash lies in any of their
   * second-byte ranges (0x30 to 0x7E at the widest; no quote, dollar, dash, slash, star or space),
   * so only an escape the guard read can vanish, and a quote after it is then escaped instead
   * (probe 39 F1: a COPY ran that the guard read inside a literal).
   */
  static boolean backslashAfterBeyondAscii(String text) {
    if (text == null) {
      return false;
    }
    // by the String's own (vectorised) search: a batch entry is searched on the hot path
    for (int i = text.indexOf('\\', 1); i > 0; i = text.indexOf('\\', i + 1)) {
      if (text.charAt(i - 1) >= 0x80) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses {@code text} (and values bound beside it, when {@code valuesBeyondAscii}) while the
   * driver sends another encoding than UTF-8 and the text holds characters beyond ASCII; and a
   * text of several statements (a {@code ;}: the driver may send each in a message of its own, read
   * after the ones before it ran) in which a char beyond ASCII directly precedes a backslash
   * ({@link #backslashAfterBeyondAscii}). Values the driver writes into the text hold no backslash
   * ({@link InlinedValues} refuses them), so only the text is searched for one.
   */
  void require(String text, boolean valuesBeyondAscii) throws SQLException {
    if (driven != null) {
      refuse(text, utf8(), valuesBeyondAscii, text != null && text.indexOf(';') >= 0);
    }
  }

  /** As {@link #require(String, boolean)}, for a text without bound values. */
  void require(String text) throws SQLException {
    require(text, false);
  }

  /**
   * Refuses a batch's {@code texts} (and {@code parameterized}, the prepared text of a parameter
   * batch, or null, with its values) as {@link #require} refuses each, asking the driver
   * once for the whole batch, and refuses a char beyond ASCII directly before a backslash in any of
   * them ({@link #backslashAfterBeyondAscii}): the driver sends a batch's statements one after the
   * other, and an entry may switch the encoding the server reads the next ones in, after the guard
   * asked.
   */
  void requireBatch(java.util.List<String> texts, String parameterized, boolean valuesBeyondAscii)
      throws SQLException {
    if (driven == null) {
      return;
    }
    boolean utf8 = utf8();
    for (String text : texts) {
      refuse(text, utf8, false, true);
    }
    if (parameterized != null) {
      refuse(parameterized, utf8, valuesBeyondAscii, true);
    }
  }

  /**
   * Refuses one text of an execution, the driver already asked whether it sends UTF-8
   * ({@code utf8}; a text is searched for chars beyond ASCII only while it does not);
   * {@code afterOthers}: the text may reach the server after other statements of the same
   * execution ran ({@link #backslashAfterBeyondAscii}).
   */
  private void refuse(String text, boolean utf8, boolean valuesBeyondAscii, boolean afterOthers) throws SQLException {
    if (!utf8 && (valuesBeyondAscii || beyondAscii(text))) {
      throw refused(name());
    }
    if (afterOthers && backslashAfterBeyondAscii(text)) {
      throw pipelined();
    }
  }

  /** Refuses a driver's own query (metadata) built from names the guard cannot see as sent, while the encoding is not UTF-8. */
  void requireUtf8() throws SQLException {
    if (driven != null && !utf8()) {
      throw refused(name());
    }
  }

  private static SQLException pipelined() {
    return new SQLException("iamguard: a character beyond ASCII directly before a backslash, in a batch or a text of"
        + " several statements: an earlier statement of the same execution may switch the client_encoding to one of"
        + " two-byte characters (SJIS, GBK, BIG5), in which the server reads that character's last byte and the"
        + " backslash as one character, so that a literal no longer ends where the guard read its end; nothing was"
        + " sent: execute that statement on its own, or put a space or another ASCII character before the backslash",
        GuardSqlStates.NOT_SUPPORTED);
  }

  private static SQLException refused(String encoding) {
    return new SQLException("iamguard: the connection's client_encoding is " + sanitized(encoding) + ", not UTF8: the driver"
        + " sends a character beyond ASCII as bytes the server may read as a quote or a backslash (SJIS sends the yen"
        + " sign as a backslash), which the guard did not read; nothing was sent: run RESET client_encoding first",
        GuardSqlStates.NOT_SUPPORTED);
  }

  /** The server's name of an encoding is letters, digits, '_' and '-'; anything else is not printed. */
  private static String sanitized(String encoding) {
    return encoding.matches("[A-Za-z0-9_-]{1,32}") ? encoding : "unknown";
  }
}
