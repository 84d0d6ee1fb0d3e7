package dev.iamguard.jdbc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test only: the PostgreSQL simple-query protocol, and nothing else, so that the server alone
 * decides how a text splits into statements. JDBC drivers cannot serve as that oracle: both
 * pgjdbc and the Redshift driver split a multi-statement text with their own client-side lexer
 * (pgjdbc even in {@code preferQueryMode=simple}), and the Redshift driver's simple-query mode
 * loses its place in the protocol after an error and can wait forever when its lexer and the
 * server's count statements differ.
 *
 * <p>One {@code Query} message per text; the answer is the first column of every row of every
 * statement, in order, or the server's error. Text is sent as UTF-8 the way drivers encode it
 * (an unpaired surrogate becomes {@code ?}). Authentication: trust or md5 (what
 * {@link LocalPostgres} sets up).
 */
public final class SimpleQueryWire implements AutoCloseable {
  private static final int PROTOCOL_3 = 196608;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private char transactionStatus = 'I';

  /** The server's answer to one text: the values in order, or its error message. */
  public record Answer(List<String> values, String error) {}

  /**
   * Connects and logs in; {@code options} is the {@code options} startup parameter (for example
   * {@code -c standard_conforming_strings=off}).
   */
  public SimpleQueryWire(int port, String user, String password, String database, String options) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(60_000);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    ByteArrayOutputStream startup = new ByteArrayOutputStream();
    for (String part : new String[] {"user", user, "database", database, "options", options, "client_encoding", "UTF8"}) {
      startup.writeBytes(part.getBytes(StandardCharsets.UTF_8));
      startup.write(0);
    }
    startup.write(0);
    out.writeInt(8 + startup.size());
    out.writeInt(PROTOCOL_3);
    out.write(startup.toByteArray());
    out.flush();
    while (true) {
      char type = (char) in.readUnsignedByte();
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      if (type == 'R') {
        int code = (body[0] & 0xff) << 24 | (body[1] & 0xff) << 16 | (body[2] & 0xff) << 8 | body[3] & 0xff;
        if (code == 5) {
          byte[] salt = java.util.Arrays.copyOfRange(body, 4, 8);
          String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
          ByteArrayOutputStream salted = new ByteArrayOutputStream();
          salted.writeBytes(inner.getBytes(StandardCharsets.US_ASCII));
          salted.writeBytes(salt);
          send('p', ("md5" + md5Hex(salted.toByteArray())).getBytes(StandardCharsets.US_ASCII));
        } else if (code != 0) {
          throw new IOException("unsupported authentication request " + code);
        }
      } else if (type == 'E') {
        throw new IOException("login refused: " + message(body));
      } else if (type == 'Z') {
        return;
      }
    }
  }

  /**
   * A connection to {@code postgres} reading literals as Redshift does: backslash escapes on
   * ({@code standard_conforming_strings=off}), without the warnings they would raise.
   */
  public static SimpleQueryWire redshiftLike(LocalPostgres postgres) throws IOException {
    return new SimpleQueryWire(postgres.port(), LocalPostgres.USER, postgres.password(), LocalPostgres.DATABASE,
        "-c standard_conforming_strings=off -c escape_string_warning=off");
  }

  /** {@code text} with every character outside printable ASCII written as a Java escape, for messages. */
  public static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.toString();
  }

  /** Sends {@code sql} as one simple query and collects the answer. */
  public Answer query(String sql) throws IOException {
    send('Q', sql.getBytes(StandardCharsets.UTF_8));
    List<String> values = new ArrayList<>();
    String error = null;
    while (true) {
      char type = (char) in.readUnsignedByte();
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      switch (type) {
        case 'D' -> values.add(firstColumn(body));
        case 'E' -> error = message(body);
        case 'Z' -> {
          transactionStatus = (char) body[0];
          return new Answer(error == null ? values : List.of(), error);
        }
        default -> { } // RowDescription, CommandComplete, EmptyQueryResponse, notices, parameter status
      }
    }
  }

  /**
   * The transaction status the server reported with its last ReadyForQuery: {@code I} idle (no
   * transaction open), {@code T} in a transaction, {@code E} in a failed (aborted) one.
   */
  public char transactionStatus() {
    return transactionStatus;
  }

  private void send(char type, byte[] payload) throws IOException {
    out.writeByte(type);
    out.writeInt(4 + payload.length + 1);
    out.write(payload);
    out.writeByte(0);
    out.flush();
  }

  private static String firstColumn(byte[] row) {
    int length = (row[2] & 0xff) << 24 | (row[3] & 0xff) << 16 | (row[4] & 0xff) << 8 | row[5] & 0xff;
    return length < 0 ? null : new String(row, 6, length, StandardCharsets.UTF_8);
  }

  /** The 'M' (message) field of an ErrorResponse. */
  private static String message(byte[] body) {
    int p = 0;
    while (p < body.length && body[p] != 0) {
      int end = p + 1;
      while (body[end] != 0) {
        end++;
      }
      if (body[p] == 'M') {
        return new String(body, p + 1, end - p - 1, StandardCharsets.UTF_8);
      }
      p = end + 1;
    }
    return "error";
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.writeByte('X');
      out.writeInt(4);
      out.flush();
    } finally {
      socket.close();
    }
  }
}
