package dev.iamguard.local;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads JSON data for {@code JSON 'auto'}: root-level objects one after the other (one per line or
 * simply concatenated), each a row. Keys match column names as the reference describes: with
 * 'auto' exactly against the lower-case Redshift name of the column, with 'auto ignorecase' in any
 * case; other keys are ignored and missing ones load NULL. Scalars keep their JSON text, so numbers
 * reach the column converter digit for digit; nested objects and arrays load as JSON text.
 *
 * <p>Objects are cut out by bracket matching, checked to be JSON ({@link JsonSyntax}: YAML reads
 * more), and handed to SnakeYAML Engine's composer (JSON is YAML 1.2), which gives each scalar's
 * text and whether it was quoted. The file is read as it goes,
 * a buffer at a time: memory holds one object, never the file. An object larger than Redshift's
 * limit ({@value #MAX_OBJECT_BYTES} bytes of UTF-8, "The maximum size of a JSON object in Amazon
 * Redshift is 4 MB", Database Developer Guide, "Using COPY to load data into SUPER columns") is a
 * load error, and reading goes on after it; so is a line that is no object, of whatever length.
 */
final class JsonReader implements RecordReader {
  /** The largest object Redshift reads: 4 MB of UTF-8, braces included. */
  static final int MAX_OBJECT_BYTES = 4 << 20;
  /** How much of a broken record a load error quotes. */
  private static final int QUOTED = 80;
  /** Nesting a record may have; deeper records are load errors, never a stack overflow. */
  private static final int MAX_DEPTH = 64;

  private final Reader in;
  private final JsonColumns columns;
  /** Objects up to {@link #MAX_OBJECT_BYTES} compose (the engine's default stops at 3 MB of code points). */
  private final Compose compose = new Compose(LoadSettings.builder().setCodePointLimit(MAX_OBJECT_BYTES + 1).build());

  private char[] buffer;
  /** The next char to read is {@code buffer[pos]}; {@code buffer[pos, limit)} is read but not consumed. */
  private int pos;
  private int limit;
  private boolean endOfFile;
  /** Where the record being read starts in {@code buffer}, kept over refills; -1 when none is kept. */
  private int mark = -1;
  /** The first {@link #QUOTED} chars of a record too long to keep, for its load error. */
  private String head;
  /** The deepest nesting of the record {@link #skipObject} last moved past. */
  private int deepest;
  /** Whether the record {@link #skipObject} last moved past was larger than {@link #MAX_OBJECT_BYTES}. */
  private boolean tooLarge;
  private long line = 1;

  JsonReader(Reader in, List<TargetColumn> targetColumns, boolean ignoreCase) {
    this(in, targetColumns, ignoreCase, 1 << 16);
  }

  /** {@code bufferSize}: the chars read at a time (tests use a few, to cut records anywhere). */
  JsonReader(Reader in, List<TargetColumn> targetColumns, boolean ignoreCase, int bufferSize) {
    this.in = in;
    this.buffer = new char[Math.max(1, bufferSize)];
    this.columns = new JsonColumns(targetColumns, ignoreCase);
  }

  @Override
  public Record next() throws IOException {
    while (available() && Character.isWhitespace(buffer[pos])) {
      advance();
    }
    if (!available()) {
      return null;
    }
    long start = line;
    mark = pos;
    head = null;
    char first = buffer[pos];
    if (first != '{') {
      skipLine();
      return problem(start, first == '[' ? "a JSON array needs a JSONPaths file, which is not emulated"
          : "expected a JSON object");
    }
    if (!skipObject()) {
      return problem(start, "unterminated JSON object");
    }
    if (tooLarge) {
      return problem(start, "JSON object larger than 4 MB (" + MAX_OBJECT_BYTES + " bytes of UTF-8), the most Redshift reads");
    }
    if (deepest > MAX_DEPTH) {
      // the composer below is recursive: such a record would overflow the stack
      return problem(start, "JSON nests more than " + MAX_DEPTH + " levels of objects or arrays");
    }
    String object = new String(buffer, mark, pos - mark);
    mark = -1;
    String malformed = JsonSyntax.problem(object);
    if (malformed != null) {
      return failed(start, object, "malformed JSON: " + malformed);
    }
    try {
      Optional<Node> node = compose.composeReader(dev.iamguard.sql.ShortReadReader.of(object));
      if (node.isEmpty() || !(node.get() instanceof MappingNode mapping)) {
        return failed(start, object, "expected a JSON object");
      }
      return new Record(start, columns.row(mapping), null, null);
    } catch (YamlEngineException e) {
      return failed(start, object, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * Moves past the object starting at {@code pos}; false when the file ends first. Counts the
   * object's UTF-8 bytes: past {@link #MAX_OBJECT_BYTES} it stops keeping the object (but its head)
   * and only looks for its end.
   */
  private boolean skipObject() throws IOException {
    int depth = 0;
    deepest = 0;
    tooLarge = false;
    long bytes = 0;
    boolean inString = false;
    while (available()) {
      char c = buffer[pos];
      advance();
      bytes += RecordReader.utf8Bytes(c);
      if (bytes > MAX_OBJECT_BYTES && !tooLarge) {
        tooLarge = true;
        dropRecord();
      }
      if (inString) {
        if (c == '\\' && available()) {
          bytes += RecordReader.utf8Bytes(buffer[pos]);
          advance();
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        deepest = Math.max(deepest, ++depth);
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return true;
      }
    }
    return false;
  }

  /** Moves to the end of the line (its line break is left for the next record's white space). */
  private void skipLine() throws IOException {
    while (available() && buffer[pos] != '\n') {
      advance();
      if (mark >= 0 && pos - mark > QUOTED) {
        dropRecord(); // a line of any length is skipped in constant memory
      }
    }
  }

  /** Keeps only the head of the record being read, so that refills need not keep the rest. */
  private void dropRecord() {
    head = new String(buffer, mark, Math.min(QUOTED, pos - mark));
    mark = -1;
  }

  /** Whether a char is there to read at {@code pos}, reading more of the file when needed. */
  private boolean available() throws IOException {
    return pos < limit || fill();
  }

  /**
   * Reads more of the file behind what is kept (the record from {@code mark}, else nothing before
   * {@code pos}); the buffer grows only while a record being kept fills it.
   */
  private boolean fill() throws IOException {
    while (!endOfFile) {
      int keep = mark >= 0 ? mark : pos;
      if (keep > 0) {
        System.arraycopy(buffer, keep, buffer, 0, limit - keep);
        limit -= keep;
        pos -= keep;
        mark = mark >= 0 ? 0 : -1;
      }
      if (limit == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfFile = true;
      } else if (read > 0) {
        limit += read;
        return true;
      }
    }
    return false;
  }

  private void advance() {
    if (buffer[pos++] == '\n') {
      line++;
    }
  }

  /** A load error for the record read from {@code mark} (or whose head was kept) to {@code pos}. */
  private Record problem(long start, String reason) {
    String text = head != null ? head : new String(buffer, mark, Math.min(QUOTED, pos - mark));
    mark = -1;
    head = null;
    return loadError(start, reason, text);
  }

  /** A load error for an object read whole that did not compose to one. */
  private static Record failed(long start, String object, String reason) {
    return loadError(start, reason, object.substring(0, Math.min(QUOTED, object.length())));
  }

  private static Record loadError(long start, String reason, String quoted) {
    return new Record(start, null, new LoadProblem(1216, reason), quoted);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
