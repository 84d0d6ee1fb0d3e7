package dev.iamguard.local;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited text and CSV as COPY does.
 *
 * <p>Text: a record ends at a line feed (a carriage return is data, as in Redshift); with ESCAPE a
 * backslash makes the next character (delimiter, line feed, backslash, quote) part of the value;
 * with REMOVEQUOTES a field in single or double quotes keeps the delimiters inside. A field is NULL
 * when its text equals NULL AS (default {@code \N}), before or after unescaping, as the reference
 * says of {@code \N} and {@code \\N}.
 *
 * <p>CSV: fields in the QUOTE character may hold delimiters and line breaks, a doubled quote is a
 * quote, and white space between a delimiter and a quote is ignored; CRLF ends a record. Only an
 * unquoted field equal to NULL AS is NULL (as in PostgreSQL, a quoted one is text).
 *
 * <p>A record larger than Redshift's limit ({@value #MAX_ROW_BYTES} bytes of UTF-8: "The maximum
 * size of a single input row from any source is 4 MB", COPY usage notes) is a load error (1216),
 * read to its end as the format defines it but not kept: memory holds at most one such row, however
 * long a line or an unclosed quote runs. So is a record of more fields than a table can have
 * ({@value #MAX_FIELDS}): load error 1202, its fields past that counted, not kept.
 */
final class DelimitedReader implements RecordReader {
  private static final int EOF = -1;
  /** The largest row Redshift reads: 4 MB of UTF-8. */
  static final int MAX_ROW_BYTES = 4 << 20;
  /** The most columns a Redshift table has ("Quotas and limits"): a record with more fields fits none. */
  static final int MAX_FIELDS = 1_600;

  private final Reader in;
  private final boolean csv;
  private final char delimiter;
  private final char quote;
  private final boolean escape;
  private final boolean removeQuotes;
  private final String nullString;
  private final boolean ignoreBlankLines;
  private int headerLines;

  private final char[] buffer = new char[1 << 16];
  private int pos;
  private int limit;
  private long line = 1;
  private int last = EOF;
  private final StringBuilder value = new StringBuilder();
  private final StringBuilder raw = new StringBuilder();
  /** The UTF-8 bytes of the record being read, its line end included. */
  private long rowBytes;
  /** The fields of the record being read, kept or not. */
  private int fieldCount;

  DelimitedReader(Reader in, CopyOptions options) {
    this.in = in;
    this.csv = options.format == CopyOptions.Format.CSV;
    this.delimiter = options.delimiter();
    this.quote = options.quote;
    this.escape = options.escape;
    this.removeQuotes = options.removeQuotes;
    this.nullString = options.nullString;
    this.ignoreBlankLines = options.ignoreBlankLines;
    this.headerLines = options.ignoreHeader;
  }

  @Override
  public Record next() throws IOException {
    for (; headerLines > 0; headerLines--) {
      skipLine();
    }
    while (peek() != EOF) {
      long start = line;
      if (ignoreBlankLines && peek() == '\n') {
        read();
        continue;
      }
      List<String> fields = new ArrayList<>();
      rowBytes = 0;
      fieldCount = 0;
      try {
        boolean more = true;
        while (more) {
          more = csv ? csvField(fields) : textField(fields);
        }
      } catch (LoadProblem problem) {
        if (last != '\n' && last != EOF) {
          skipLine();  // resynchronise at the next record
        }
        return new Record(start, null, problem, value.toString());
      }
      if (tooLarge()) {
        return new Record(start, null, new LoadProblem(1216, "row larger than 4 MB (" + MAX_ROW_BYTES
            + " bytes of UTF-8), the most Redshift reads"), value.toString());
      }
      if (fieldCount > MAX_FIELDS) {
        return new Record(start, null, new LoadProblem(1202, "extra column(s) found: " + fieldCount
            + " fields, more than a table has (" + MAX_FIELDS + " columns at most)"), value.toString());
      }
      return new Record(start, fields.toArray(new String[0]), null, null);
    }
    return null;
  }

  /** Reads one text field; returns true when another field follows in the same record. */
  private boolean textField(List<String> fields) throws IOException, LoadProblem {
    value.setLength(0);
    raw.setLength(0);
    int open = peek();
    boolean quoted = removeQuotes && (open == '"' || open == '\'');
    if (quoted) {
      read();
    }
    while (true) {
      int c = read();
      if (c == EOF || c == '\n' || c == delimiter && !quoted) {
        if (quoted) {
          throw new LoadProblem(1214, "missing closing quote");
        }
        String text = value.toString();
        boolean isNull = !escape ? text.equals(nullString) : raw.toString().equals(nullString) || text.equals(nullString);
        add(fields, isNull ? null : text);
        return c == delimiter;
      }
      if (c == '\\' && escape && peek() != EOF) {
        if (!tooLarge()) {
          raw.append('\\');
        }
        c = read();
      } else if (quoted && c == open) {
        quoted = false;
        int after = peek();
        if (after != EOF && after != '\n' && after != delimiter) {
          throw new LoadProblem(1214, "delimiter not found after closing quote");
        }
        continue;
      }
      keep(c);
      if (escape && !tooLarge()) {
        raw.append((char) c);
      }
    }
  }

  /** Reads one CSV field; returns true when another field follows in the same record. */
  private boolean csvField(List<String> fields) throws IOException, LoadProblem {
    value.setLength(0);
    while (isPadding(peek())) {
      keep(read());
    }
    if (peek() == quote) {
      read();
      value.setLength(0);
      quotedCsv();
      while (isPadding(peek())) {
        read();
      }
      int c = read();
      if (c == '\r' && peek() == '\n') {
        c = read();
      }
      if (c != EOF && c != '\n' && c != delimiter) {
        throw new LoadProblem(1214, "delimiter not found after closing quote");
      }
      add(fields, value.toString());
      return c == delimiter;
    }
    while (true) {
      int c = read();
      if (c == '\r' && peek() == '\n') {
        continue;
      }
      if (c == EOF || c == '\n' || c == delimiter) {
        String text = value.toString();
        add(fields, text.equals(nullString) ? null : text);
        return c == delimiter;
      }
      keep(c);
    }
  }

  /**
   * Keeps a char of the field being read, unless the row is already too large to keep: then only
   * the field's head stays, for the load error, and the rest of its memory is let go.
   */
  private void keep(int c) {
    if (!tooLarge()) {
      value.append((char) c);
    } else if (value.length() > KEPT_OF_A_REFUSED_FIELD) {
      value.setLength(KEPT_OF_A_REFUSED_FIELD);
      value.trimToSize();
      raw.setLength(0);
      raw.trimToSize();
    }
  }

  /** What a load error can quote of a field (STL_LOAD_ERRORS keeps 1,024 chars of a line). */
  private static final int KEPT_OF_A_REFUSED_FIELD = 1_024;

  /** Adds a field to the record, unless the row is too large or has more fields than a table: then nothing of it is kept. */
  private void add(List<String> fields, String field) {
    if (++fieldCount <= MAX_FIELDS && !tooLarge()) {
      fields.add(field);
    }
  }

  private boolean tooLarge() {
    return rowBytes > MAX_ROW_BYTES;
  }

  /** White space around a quoted CSV field, which is ignored; a white-space delimiter is never padding. */
  private boolean isPadding(int c) {
    return (c == ' ' || c == '\t') && c != delimiter;
  }

  private void quotedCsv() throws IOException, LoadProblem {
    while (true) {
      int c = read();
      if (c == EOF) {
        throw new LoadProblem(1214, "missing closing quote");
      }
      if (c == quote) {
        if (peek() != quote) {
          return;
        }
        read();
      }
      keep(c);
    }
  }

  private void skipLine() throws IOException {
    int c;
    do {
      c = read();
    } while (c != EOF && c != '\n');
  }

  private int peek() throws IOException {
    if (pos == limit && !fill()) {
      return EOF;
    }
    return buffer[pos];
  }

  private int read() throws IOException {
    if (pos == limit && !fill()) {
      last = EOF;
      return EOF;
    }
    char c = buffer[pos++];
    last = c;
    if (c == '\n') {
      line++;
    }
    rowBytes += RecordReader.utf8Bytes(c);
    return c;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
