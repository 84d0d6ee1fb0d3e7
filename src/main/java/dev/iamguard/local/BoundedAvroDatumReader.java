package dev.iamguard.local;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.ResolvingDecoder;

/**
 * Reads generic records with bounds on what a data file declares: strings, bytes and collection
 * blocks no larger than a record ({@link BoundedAvroDecoder}), and records, arrays and maps nested
 * no deeper than a JSON record may be (probe 23c A2: a recursive record 200,000 levels deep
 * overflowed the stack). Avro's fast reader is switched off for this reader's own
 * {@link GenericData} only, since it reads without the overridable steps the depth is counted in.
 */
final class BoundedAvroDatumReader extends GenericDatumReader<GenericRecord> {
  private final long maxBytes;
  private final int maxDepth;
  private int depth;

  BoundedAvroDatumReader(long maxBytes, int maxDepth) {
    super(ownData());
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  private static GenericData ownData() {
    GenericData data = new GenericData();
    data.setFastReaderEnabled(false);
    return data;
  }

  @Override
  public GenericRecord read(GenericRecord reuse, Decoder in) throws IOException {
    depth = 0;
    return super.read(reuse, new BoundedAvroDecoder(in, maxBytes));
  }

  @Override
  protected Object read(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    Schema.Type type = expected.getType();
    boolean nests = type == Schema.Type.RECORD || type == Schema.Type.ARRAY || type == Schema.Type.MAP;
    if (nests && ++depth > maxDepth) {
      throw new TooDeep(maxDepth);
    }
    try {
      return super.read(old, expected, in);
    } finally {
      if (nests) {
        depth--;
      }
    }
  }

  /** A record nested deeper than the bound: a load error, not a stack overflow. */
  static final class TooDeep extends IOException {
    private static final long serialVersionUID = 1L;

    TooDeep(int maxDepth) {
      super("the record nests more than " + maxDepth + " levels of records, arrays or maps");
    }
  }
}
