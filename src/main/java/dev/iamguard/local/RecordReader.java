package dev.iamguard.local;

import java.io.Closeable;
import java.io.IOException;

/** Reads the records of one data file, one at a time. */
interface RecordReader extends Closeable {

  /**
   * The next record, or null at the end of the file. A record whose structure is broken (an
   * unterminated quote, malformed JSON) comes back with a problem; reading goes on after it.
   */
  Record next() throws IOException;

  /**
   * A char's share of its UTF-8 encoding (each half of a surrogate pair two of its four bytes):
   * Redshift's record limits count bytes of UTF-8.
   */
  static int utf8Bytes(char c) {
    return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
  }

  /**
   * One record.
   *
   * @param line the 1-based line of the file where the record starts
   * @param fields the field texts (null for a field that matched NULL AS); for JSON, aligned to
   *     the target columns
   * @param problem why the record's structure could not be read, or null
   * @param text the record's text for error messages when {@code problem} is set, else null
   */
  record Record(long line, String[] fields, LoadProblem problem, String text) {}
}
