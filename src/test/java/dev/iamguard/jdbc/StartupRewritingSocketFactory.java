package dev.iamguard.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import javax.net.SocketFactory;

/**
 * Test only: lets the real Redshift driver talk to a plain PostgreSQL server. The driver always
 * sends startup parameters PostgreSQL refuses ({@code driver_version}, {@code os_version},
 * {@code client_protocol_version}, {@code driver_discovery_version}: SQLState 42704), so this
 * factory's sockets rewrite the StartupMessage (protocol 3.0, code 196608) to the parameters
 * PostgreSQL knows ({@link #KEPT}) and pass every other byte untouched.
 *
 * <p>Given to the driver as the connection property {@code socketFactory=<this class name>} with
 * {@code ssl=false}. An SSLRequest or GSSENCRequest before the StartupMessage is passed through
 * untouched and the StartupMessage that follows it is still rewritten (the server answers
 * {@code N} when it has no TLS). If the server accepts TLS, the StartupMessage travels encrypted
 * and cannot be rewritten: the socket then fails with an IOException that says so, instead of
 * letting PostgreSQL refuse the driver's parameters. A CancelRequest (its own socket) is passed
 * through untouched.
 *
 * <p>Public with a public no-argument constructor: the driver instantiates it by name.
 */
public final class StartupRewritingSocketFactory extends SocketFactory {
  /** The startup parameters PostgreSQL accepts from the Redshift driver (compared ignoring case). */
  static final Set<String> KEPT = Set.of("user", "database", "client_encoding", "datestyle", "timezone",
      "extra_float_digits", "application_name", "options", "search_path", "replication");

  public StartupRewritingSocketFactory() {}

  @Override
  public Socket createSocket() {
    return new RewritingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = new RewritingSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A plain socket whose output stream is a {@link StartupRewriter}, one per socket. */
  private static final class RewritingSocket extends Socket {
    private OutputStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out = new StartupRewriter(super.getOutputStream());
      }
      return out;
    }
  }

  /**
   * Holds back the bytes of the startup phase until a whole packet is there, rewrites the
   * StartupMessage, then turns into a plain pass-through for the rest of the socket's life.
   */
  static final class StartupRewriter extends OutputStream {
    static final int PROTOCOL_3 = 196608;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    /** The first byte of a TLS handshake record; no startup packet is long enough to start with it. */
    private static final int TLS_HANDSHAKE = 0x16;
    /** PostgreSQL refuses startup packets longer than this (MAX_STARTUP_PACKET_LENGTH). */
    private static final int MAX_STARTUP = 10_000;

    private final OutputStream out;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(256);

    StartupRewriter(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (pending == null) {
        out.write(bytes, offset, length);
        return;
      }
      pending.write(bytes, offset, length);
      drain();
    }

    /** Forwards every whole startup-phase packet held back; ends the startup phase after the first other one. */
    private void drain() throws IOException {
      byte[] held = pending.toByteArray();
      int start = 0;
      boolean done = false;
      while (!done && held.length > start) {
        if ((held[start] & 0xff) == TLS_HANDSHAKE) {
          throw new IOException("StartupRewritingSocketFactory: the server accepted TLS, so the startup "
              + "packet cannot be rewritten; connect with ssl=false");
        }
        if (held.length - start < 8) {
          break;
        }
        int length = int32(held, start);
        if (length < 8 || length > MAX_STARTUP) {
          done = true; // not a startup packet: leave the stream alone
          continue;
        }
        if (held.length - start < length) {
          break;
        }
        int code = int32(held, start + 4);
        if (length == 8 && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
          out.write(held, start, length); // the StartupMessage still follows
        } else {
          out.write(code == PROTOCOL_3 ? startupMessage(held, start, length) : slice(held, start, length));
          done = true;
        }
        start += length;
      }
      if (done) {
        pending = null;
        out.write(held, start, held.length - start);
      } else {
        pending.reset();
        pending.write(held, start, held.length - start);
      }
    }

    /** The StartupMessage at {@code start} with only the {@link #KEPT} parameters; unchanged if malformed. */
    static byte[] startupMessage(byte[] packet, int start, int length) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(length);
      int end = start + length - 1; // the final terminating zero
      int at = start + 8;
      while (at < end) {
        int nameEnd = indexOfZero(packet, at, end);
        int valueEnd = nameEnd < 0 ? -1 : indexOfZero(packet, nameEnd + 1, end);
        if (valueEnd < 0) {
          return slice(packet, start, length);
        }
        String name = new String(packet, at, nameEnd - at, StandardCharsets.UTF_8);
        if (KEPT.contains(name.toLowerCase(Locale.ROOT))) {
          body.write(packet, at, valueEnd + 1 - at);
        }
        at = valueEnd + 1;
      }
      if (at != end || packet[end] != 0) {
        return slice(packet, start, length);
      }
      body.write(0);
      byte[] parameters = body.toByteArray();
      byte[] message = new byte[8 + parameters.length];
      putInt32(message, 0, message.length);
      putInt32(message, 4, PROTOCOL_3);
      System.arraycopy(parameters, 0, message, 8, parameters.length);
      return message;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (pending != null && pending.size() > 0) {
        pending.writeTo(out);
      }
      pending = null;
      out.close();
    }

    private static int indexOfZero(byte[] bytes, int from, int to) {
      for (int i = from; i < to; i++) {
        if (bytes[i] == 0) {
          return i;
        }
      }
      return -1;
    }

    private static byte[] slice(byte[] bytes, int start, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(bytes, start, copy, 0, length);
      return copy;
    }

    static int int32(byte[] bytes, int at) {
      return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
          | (bytes[at + 3] & 0xff);
    }

    static void putInt32(byte[] bytes, int at, int value) {
      bytes[at] = (byte) (value >>> 24);
      bytes[at + 1] = (byte) (value >>> 16);
      bytes[at + 2] = (byte) (value >>> 8);
      bytes[at + 3] = (byte) value;
    }
  }
}
