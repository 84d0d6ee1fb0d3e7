package dev.iamguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A script's bytes read as UTF-8 text, refusing bytes that are not UTF-8 with where the first one
 * stands ({@link NotUtf8}: its line, its column and the byte), as the registry's reader does: a
 * script saved as Latin-1 or Windows-1252 said only "not valid UTF-8 text", which in a script of
 * thousands of lines left the reader to search for it (probe 24a F6). The decoder's own reader
 * loses that place (it throws before handing out what it decoded ahead of the bad byte), so this
 * one decodes itself and counts the lines of the bytes it is done with, a buffer at a time.
 */
final class Utf8Input extends Reader implements dev.iamguard.sql.ScriptReader.StringSource {
  /** The first bytes that are not UTF-8 text, and where they stand (1-based, the column in chars). */
  static final class NotUtf8 extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final transient String where;

    NotUtf8(String where) {
      this.where = where;
    }

    @Override
    public String getMessage() {
      return where;
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes;
  private boolean eof;
  private boolean flushed;
  /** Lines ended in the bytes handed out and dropped from the buffer. */
  private long lines;
  /** Chars since the last line end in those bytes. */
  private long column;
  /** The buffer still starts at the text's first byte (a byte order mark is looked for there). */
  private boolean atStart = true;
  /** A UTF-8 byte order mark starts the text: no column, as the script's own positions count it. */
  private boolean byteOrderMark;
  /** The second char a one-char read decoded (a surrogate pair's second half), handed out next; -1 when none. */
  private int held = -1;
  /** Where a one-char read decodes a whole character, which outside the BMP is two chars. */
  private final char[] pair = new char[2];

  Utf8Input(InputStream in, int bufferSize) {
    this.in = in;
    this.bytes = ByteBuffer.allocate(Math.max(16, bufferSize));
    bytes.flip();
  }

  /**
   * Reads at least one char, or returns -1 at the end. A char outside the BMP (an emoji, U+1D4B3)
   * is two chars, which the decoder writes whole or not at all: asked for one char it wrote none,
   * and this returned 0, which a reader filling its buffer to the last slot takes as "read again",
   * forever (a script starting with an emoji, or with one at the 262,144th char where the script
   * reader's window ends, hung every command at full CPU). Such a read decodes the whole character
   * and hands its second half out next.
   */
  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (held >= 0) {
      target[offset] = (char) held;
      held = -1;
      return 1;
    }
    if (length == 1) {
      int decoded = decode(pair, 0, 2);
      if (decoded < 0) {
        return -1;
      }
      target[offset] = pair[0];
      if (decoded == 2) {
        held = pair[1];
      }
      return 1;
    }
    return decode(target, offset, length);
  }

  /**
   * The next chars as a String: a run of ASCII bytes (every script's usual text) is copied into a
   * String at once, which is UTF-8 read exactly, as no ASCII byte is part of another char; anything
   * else is decoded as {@link #read(char[], int, int)} decodes it.
   */
  @Override
  public String readString(int max) throws IOException {
    if (held < 0) {
      if (!bytes.hasRemaining() && !eof) {
        refill();
      }
      int at = bytes.position();
      int ascii = asciiRun(bytes.array(), at, at + Math.min(bytes.remaining(), max));
      if (ascii > 0) {
        bytes.position(at + ascii);
        return new String(bytes.array(), at, ascii, StandardCharsets.ISO_8859_1);
      }
    }
    if (chars == null) {
      chars = new char[2048];
    }
    int n = read(chars, 0, Math.min(max, chars.length));
    return n < 0 ? null : new String(chars, 0, n);
  }

  /** How many bytes from {@code from} on, up to {@code to}, are ASCII: read eight at a time. */
  private static int asciiRun(byte[] buffer, int from, int to) {
    int i = from;
    while (i + 8 <= to && ((long) LONGS.get(buffer, i) & 0x8080_8080_8080_8080L) == 0) {
      i += 8;
    }
    while (i < to && buffer[i] >= 0) {
      i++;
    }
    return i - from;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  /** Where {@link #readString} decodes what is not ASCII (allocated on the first such char). */
  private char[] chars;

  /** Decodes into {@code target[offset, offset + length)}, {@code length >= 2}: at least one char, or -1 at the end. */
  private int decode(char[] target, int offset, int length) throws IOException {
    CharBuffer out = CharBuffer.wrap(target, offset, length);
    while (true) {
      CoderResult result = decoder.decode(bytes, out, eof);
      if (result.isError()) {
        throw notUtf8(bytes.position());
      }
      if (result.isOverflow() || out.position() > offset && !eof && !bytesReady()) {
        return out.position() - offset;
      }
      if (eof) {
        if (!flushed) {
          flushed = true;
          decoder.flush(out);
        }
        int decoded = out.position() - offset;
        return decoded > 0 ? decoded : -1;
      }
      refill();
    }
  }

  /** Whether more bytes can be read without blocking; a pipe's stream cannot tell (it throws): then not. */
  private boolean bytesReady() {
    try {
      return in.available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Drops the bytes decoded (counting their lines first) and reads more behind those left. */
  private void refill() throws IOException {
    byte[] buffer = bytes.array();
    count(buffer, bytes.position());
    atStart &= bytes.position() == 0;
    bytes.compact();
    int read = in.read(buffer, bytes.position(), bytes.remaining());
    if (read < 0) {
      eof = true;
    } else {
      bytes.position(bytes.position() + read);
    }
    bytes.flip();
    if (atStart) {
      byteOrderMark = bytes.limit() >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF;
    }
  }

  /**
   * Adds the lines and the column of {@code buffer[0, end)}, bytes of whole UTF-8 chars: the line
   * ends counted in one branch-free pass eight bytes at a time, the column from the last of them found backwards (a line
   * is short next to a buffer), so a script costs about a tenth of a nanosecond a byte more.
   */
  private void count(byte[] buffer, int end) {
    int ends = 0;
    int i = 0;
    for (; i + 8 <= end; i += 8) { // eight bytes at a time: a byte equal to '\n' is a zero byte of x
      long x = (long) LONGS.get(buffer, i) ^ 0x0A0A_0A0A_0A0A_0A0AL;
      ends += Long.bitCount(~((x & 0x7F7F_7F7F_7F7F_7F7FL) + 0x7F7F_7F7F_7F7F_7F7FL | x | 0x7F7F_7F7F_7F7F_7F7FL));
    }
    for (; i < end; i++) {
      ends += buffer[i] == '\n' ? 1 : 0;
    }
    int lineStart = end;
    if (ends > 0) {
      while (buffer[lineStart - 1] != '\n') {
        lineStart--;
      }
      lines += ends;
      column = 0;
    } else {
      lineStart = 0;
    }
    column += chars(buffer, lineStart, end);
  }

  /** The UTF-16 chars the UTF-8 bytes {@code buffer[from, to)} decode to. */
  private static long chars(byte[] buffer, int from, int to) {
    long chars = 0;
    for (int i = from; i < to; i++) {
      int b = buffer[i] & 0xFF;
      chars += (b & 0xC0) == 0x80 ? 0 : b >= 0xF0 ? 2 : 1;
    }
    return chars;
  }

  private NotUtf8 notUtf8(int bad) {
    if (atStart && bad == 0 && bytes.limit() < 2 && !eof) {
      try {
        refill(); // a pipe handed out one byte: the second tells whether it is a UTF-16 byte order mark
      } catch (IOException e) {
        // named without the byte order mark then
      }
    }
    byte[] buffer = bytes.array();
    if (atStart && bad == 0 && bytes.limit() >= 2 && (buffer[0] == (byte) 0xFF && buffer[1] == (byte) 0xFE
        || buffer[0] == (byte) 0xFE && buffer[1] == (byte) 0xFF)) {
      return new NotUtf8("not valid UTF-8 text: it is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8");
    }
    count(buffer, bad);
    if (byteOrderMark && lines == 0) {
      column--;
    }
    return new NotUtf8(String.format(Locale.ROOT, "not valid UTF-8 text: the byte 0x%02X at line %d, column %d is not UTF-8 (a file"
        + " saved as Latin-1 or Windows-1252?); save the script as UTF-8", buffer[bad] & 0xFF, lines + 1, column + 1));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
