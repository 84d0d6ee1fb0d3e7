package dev.iamguard.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary Avro decoder that refuses a string, bytes value or collection block whose declared size
 * exceeds a record's bound before anything is allocated for it: Avro's own decoder allocates the
 * declared length first, so a 172-byte file declaring a 2 GB string ran out of memory (probe 23c
 * A1). Avro's {@code org.apache.avro.limits.*} system properties would bound it too, but they are
 * read once per JVM, so setting them would change every other Avro user of the process.
 */
final class BoundedAvroDecoder extends Decoder {
  private final Decoder in;
  private final long maxBytes;

  BoundedAvroDecoder(Decoder in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  private long length(String what) throws IOException {
    long length = in.readLong();
    if (length < 0 || length > maxBytes) {
      throw new AvroTooLarge(what + " declares " + length + " bytes, not 0 to the " + maxBytes + " a record may hold");
    }
    return length;
  }

  /** Block counts of arrays and maps: each item takes memory, even one of no bytes (null). */
  private long items(long count) throws IOException {
    if (Math.abs(count) > maxBytes) {
      throw new AvroTooLarge("an array or map declares " + Math.abs(count) + " items, more than a record may hold ("
          + maxBytes + ")");
    }
    return count;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    byte[] bytes = new byte[(int) length("a string")];
    in.readFixed(bytes);
    Utf8 result = old != null ? old : new Utf8();
    result.set(new Utf8(bytes));
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    byte[] bytes = new byte[(int) length("a bytes value")];
    in.readFixed(bytes);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public long readArrayStart() throws IOException {
    return items(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return items(in.arrayNext());
  }

  @Override
  public long readMapStart() throws IOException {
    return items(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return items(in.mapNext());
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }

  /** A declared size beyond the bound: a load error, not an allocation. */
  static final class AvroTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    AvroTooLarge(String message) {
      super(message);
    }
  }
}
