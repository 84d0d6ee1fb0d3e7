package dev.iamguard.sql;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/**
 * A text read one char fewer than asked, for SnakeYAML Engine (registries, IAM documents, baselines,
 * the emulated COPY's JSON records and manifests). The library's reader asks for one char more than
 * its buffer holds and, when what it read ends with the first half of a surrogate pair, reads the
 * second half into the slot after: past the end of its buffer when the read filled it. A text
 * longer than the buffer (1,024 chars by default) with a char outside the BMP at that place (an
 * emoji at char 1,024 of a JSON record or a baseline) threw IndexOutOfBoundsException out of the
 * library. Read through this reader, there is always room. Every text given to the library goes
 * through it ({@code SnakeYamlReadsTest} holds the sources to that).
 */
public final class ShortReadReader extends FilterReader {
  /** Reads {@code in}. */
  public ShortReadReader(Reader in) {
    super(in);
  }

  /** Reads {@code text}. */
  public static ShortReadReader of(String text) {
    return new ShortReadReader(new StringReader(text));
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    return super.read(buffer, offset, length > 1 ? length - 1 : length);
  }
}
