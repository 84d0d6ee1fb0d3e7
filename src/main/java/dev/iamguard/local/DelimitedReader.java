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
 */
final class DelimitedReader implements RecordReader {
  private static final int EOF = -1;

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
        fields.add(isNull ? null : text);
        return c == delimiter;
      }
      if (c == '\\' && escape && peek() != EOF) {
        raw.append('\\');
        c = read();
      } else if (quoted && c == open) {
        quoted = false;
        int after = peek();
        if (after != EOF && after != '\n' && after != delimiter) {
          throw new LoadProblem(1214, "delimiter not found after closing quote");
        }
        continue;
      }
      value.append((char) c);
      if (escape) {
        raw.append((char) c);
      }
    }
  }

  /** Reads one CSV field; returns true when another field follows in the same record. */
  private boolean csvField(List<String> fields) throws IOException, LoadProblem {
    value.setLength(0);
    while (isPadding(peek())) {
      value.append((char) read());
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
      fields.add(value.toString());
      return c == delimiter;
    }
    while (true) {
      int c = read();
      if (c == '\r' && peek() == '\n') {
        continue;
      }
      if (c == EOF || c == '\n' || c == delimiter) {
        String text = value.toString();
        fields.add(text.equals(nullString) ? null : text);
        return c == delimiter;
      }
      value.append((char) c);
    }
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
      value.append((char) c);
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
