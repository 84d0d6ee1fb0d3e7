package dev.iamguard.local;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks an Avro object container file's framing before the Avro library reads it, so that no size
 * the file declares is allocated unchecked (probe 23c A1): the Avro library allocates a block's
 * declared size, a header value's declared length and a deflate block's whole inflated size at
 * once, so a 172-byte file declaring a 2 GB block, or 603 KB of deflate inflating to 600 MB, ran
 * the JVM out of memory. Every declared length must fit in the bytes left in the file and under a
 * bound; deflate blocks are inflated here, counted and dropped, and snappy blocks' declared
 * uncompressed lengths are checked. Nothing is kept: memory holds one small buffer.
 */
final class AvroContainerCheck {
  private static final byte[] MAGIC = {'O', 'b', 'j', 1};
  private static final int SYNC = 16;

  private final InputStream in;
  private final long length;
  private final long maxBlockBytes;
  private long position;

  private AvroContainerCheck(InputStream in, long length, long maxBlockBytes) {
    this.in = in;
    this.length = length;
    this.maxBlockBytes = maxBlockBytes;
  }

  /**
   * Checks the file whose bytes {@code in} gives; {@code length} is its size, or
   * {@link Long#MAX_VALUE} when unknown (a GZIP file).
   *
   * @throws IOException naming what the file declares beyond its bounds
   */
  static void check(InputStream in, long length, long maxBlockBytes) throws IOException {
    new AvroContainerCheck(in, length, maxBlockBytes).walk();
  }

  private void walk() throws IOException {
    byte[] magic = fixed(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not an Avro object container file (no 'Obj' magic)");
    }
    String codec = "null";
    for (long count = readLong(); count != 0; count = readLong()) {
      if (count < 0) {
        count = -count;
        readLong();  // the block's size in bytes, which a reader may skip by
      }
      for (long i = 0; i < count; i++) {
        String key = new String(fixed(declared("a header key", readLong())), StandardCharsets.UTF_8);
        long valueLength = declared("header value '" + key + "'", readLong());
        if (key.equals("avro.codec") && valueLength <= 64) {
          codec = new String(fixed((int) valueLength), StandardCharsets.UTF_8);
        } else {
          skip(valueLength);
        }
      }
    }
    if (!codec.equals("null") && !codec.equals("deflate") && !codec.equals("snappy")) {
      // bzip2, xz and zstandard blocks cannot be sized before they are inflated (a 1 KB bzip2 block
      // inflated to 1.5 GB), and xz and zstandard are not on the classpath the driver ships (probe
      // 23e F5, F6): the file is refused before any block is read
      throw new IOException("its blocks are compressed with codec \"" + codec + "\", which the local COPY does not"
          + " read (null, deflate and snappy are)");
    }
    skip(SYNC);
    for (long block = 1; ; block++) {
      int first = in.read();
      if (first < 0) {
        return;
      }
      position++;
      long count = readLong(first);
      long size = readLong();
      if (count < 0 || count > maxBlockBytes) {
        throw new IOException("block " + block + " declares " + count + " records, more than a block may hold ("
            + maxBlockBytes + ")");
      }
      declared("block " + block, size);
      switch (codec) {
        case "deflate" -> inflated(block, size);
        case "snappy" -> snappy(block, size);
        default -> skip(size);  // null: the size was checked
      }
      skip(SYNC);
    }
  }

  /** A declared length: not negative, within the bytes left in the file, and under the bound. */
  private long declared(String what, long declared) throws IOException {
    long left = length == Long.MAX_VALUE ? Long.MAX_VALUE : length - position;
    if (declared < 0 || declared > left || declared > maxBlockBytes) {
      throw new IOException(what + " declares " + declared + " bytes, more than "
          + (declared > left ? "the " + left + " bytes left in the file" : "a block may hold (" + maxBlockBytes + ")"));
    }
    return declared;
  }

  /** Inflates a deflate block (raw deflate, as Avro writes it) only to count its bytes. */
  private void inflated(long block, long size) throws IOException {
    Inflater inflater = new Inflater(true);
    try {
      byte[] input = new byte[8192];
      byte[] output = new byte[65536];
      long left = size;
      long total = 0;
      while (!inflater.finished()) {
        if (inflater.needsInput()) {
          if (left == 0) {
            break;  // truncated: the Avro library reports it
          }
          int n = in.read(input, 0, (int) Math.min(input.length, left));
          if (n < 0) {
            throw new EOFException("block " + block + " ends before its " + size + " bytes");
          }
          left -= n;
          position += n;
          inflater.setInput(input, 0, n);
        }
        int n = inflater.inflate(output);
        total += n;
        if (total > maxBlockBytes) {
          throw new IOException("block " + block + " inflates to more than a block may hold (" + maxBlockBytes
              + " bytes)");
        }
        if (n == 0 && inflater.needsDictionary()) {
          throw new IOException("block " + block + " is not raw deflate data");
        }
      }
      skip(left);
    } catch (DataFormatException e) {
      throw new IOException("block " + block + " is not valid deflate data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /** A snappy block starts with its uncompressed length, a little-endian base-128 varint. */
  private void snappy(long block, long size) throws IOException {
    long uncompressed = 0;
    int read = 0;
    for (int shift = 0; read < size && shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("block " + block + " ends before its " + size + " bytes");
      }
      position++;
      read++;
      uncompressed |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (uncompressed > maxBlockBytes) {
      throw new IOException("block " + block + " declares " + uncompressed + " uncompressed bytes, more than a block"
          + " may hold (" + maxBlockBytes + ")");
    }
    skip(size - read);
  }

  private long readLong() throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("the file ends inside its header or a block's framing");
    }
    position++;
    return readLong(first);
  }

  /** Avro's zig-zag base-128 long, its first byte already read. */
  private long readLong(int first) throws IOException {
    long raw = first & 0x7f;
    int b = first;
    for (int shift = 7; (b & 0x80) != 0; shift += 7) {
      if (shift > 63) {
        throw new IOException("a long of the file's framing is longer than 10 bytes");
      }
      b = in.read();
      if (b < 0) {
        throw new EOFException("the file ends inside a long of its framing");
      }
      position++;
      raw |= (long) (b & 0x7f) << shift;
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  private byte[] fixed(long count) throws IOException {
    byte[] bytes = in.readNBytes((int) count);
    if (bytes.length < count) {
      throw new EOFException("the file ends inside its header");
    }
    position += count;
    return bytes;
  }

  private void skip(long count) throws IOException {
    in.skipNBytes(count);
    position += count;
  }
}
