package dev.iamguard.local;

import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.S3Location;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Runs one COPY: finds the source objects (an S3 key prefix, or the files a manifest lists),
 * reads each in key order, converts every record, and inserts the rows in batches into a
 * {@link StagingTable}, whose rows reach the target in one statement: a failed load leaves the
 * table as it was, and the connection's transaction state is never touched.
 */
final class CopyRunner {
  private final ObjectStore store;
  /** Whether the COPY may read one manifest entry; null for every entry. */
  private final Predicate<String> readable;

  CopyRunner(ObjectStore store, Predicate<String> readable) {
    this.store = store;
    this.readable = readable;
  }

  LocalResult run(Connection connection, RedshiftCommand command) throws SQLException {
    if (command.targetTable() == null || command.option("JOB") != null) {
      throw SqlStates.notEmulated("COPY", "JOB (auto-copy jobs)");
    }
    if (command.resources().otherSource() != null) {
      throw SqlStates.notEmulated("COPY", "FROM '" + command.resources().otherSource()
          + "' (only s3:// sources are emulated; DynamoDB, EMR and SSH are not)");
    }
    CopyOptions options = CopyOptions.of(command);
    if (options.format == CopyOptions.Format.AVRO) {
      OptionalLibrary.AVRO.require("COPY", "FORMAT AS AVRO");
    }
    List<ObjectStore.StoredObject> files = sources(command, options);
    TargetTable table = TargetTable.resolve(connection, command.targetTable(), command.targetColumns(),
        options.explicitIds);
    LoadErrors errors = new LoadErrors(command.targetTable(), options.toleratedErrors());
    RowBuilder rows = new RowBuilder(table, options, errors);
    StagingTable staging = options.noLoad ? null : StagingTable.prepare(connection, table);
    try (BatchInserter inserter = new BatchInserter(connection, staging == null ? table : staging.asTarget(), errors)) {
      long read = 0;
      for (ObjectStore.StoredObject file : files) {
        read += load(file, options, table, rows, options.noLoad ? null : inserter);
      }
      inserter.flush();
      long loaded = 0;
      if (staging != null) {
        try {
          loaded = staging.publish();
        } catch (SQLException e) {
          throw errors.failure("the database rejected the rows: " + e.getMessage(), e);
        }
      }
      String done = options.noLoad
          ? "NOLOAD: " + read + " record(s) of " + files.size() + " file(s) checked, none loaded"
          : "Load into table '" + command.targetTable() + "' completed, " + loaded + " record(s) loaded successfully from "
              + files.size() + " file(s)";
      if (staging != null) {
        staging.clear();
      }
      return new LocalResult(loaded, done + errors.skipped());
    } catch (SQLException | RuntimeException e) {
      if (staging != null) {
        try {
          staging.clear();
        } catch (SQLException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
  }

  private List<ObjectStore.StoredObject> sources(RedshiftCommand command, CopyOptions options) throws SQLException {
    S3Location source = command.resources().s3().stream()
        .filter(s -> s.purpose() == S3Location.Purpose.COPY_SOURCE || s.purpose() == S3Location.Purpose.MANIFEST)
        .findFirst().orElseThrow(() -> SqlStates.invalidOption("COPY needs a FROM 's3://bucket/prefix' source"));
    S3Uri uri = S3Uri.parse(source.uri());
    if (options.manifest) {
      return ManifestReader.read(store, uri, readable);
    }
    int lastSlash = uri.key().lastIndexOf('/');
    if (lastSlash > 0) {  // the prefix's folder a link: refused, not listed as "does not exist"
      store.pathToRead(uri.withKey(uri.key().substring(0, lastSlash)));
    }
    List<ObjectStore.StoredObject> files = store.list(uri);
    for (ObjectStore.StoredObject file : files) {
      store.pathToRead(file.uri());  // listing never enters a link, but lists a file link as a file
    }
    if (files.isEmpty()) {
      throw SqlStates.io("The specified S3 prefix '" + uri.key() + "' does not exist in bucket '" + uri.bucket()
          + "' (local S3 folder " + store.root() + ")", null);
    }
    return files;
  }

  /** Loads one file; returns the number of records read. */
  private long load(ObjectStore.StoredObject file, CopyOptions options, TargetTable table, RowBuilder rows,
      BatchInserter inserter) throws SQLException {
    long count = 0;
    long lastLine = 0;
    try (RecordReader reader = options.format == CopyOptions.Format.AVRO ? avro(file, options, table)
        : open(file, options, table)) {
      for (RecordReader.Record record = reader.next(); record != null; record = reader.next()) {
        count++;
        lastLine = record.line();
        Object[] row = rows.build(file.uri(), record);
        if (row != null && inserter != null) {
          inserter.add(row, file.uri(), record.line());
        }
      }
    } catch (CharacterCodingException e) {
      throw SqlStates.io("Load into table '" + table.name() + "' failed: " + file.uri() + readTo(lastLine)
          + ": text is not valid " + options.encoding.name() + " (load error 1220; ACCEPTINVCHARS is not emulated)", e);
    } catch (IOException e) {
      throw SqlStates.io("Load into table '" + table.name() + "' failed: cannot read " + file.uri() + readTo(lastLine)
          + (options.gzip ? " (is it a GZIP file?)" : "") + ": " + e.getMessage(), e);
    }
    return count;
  }

  /**
   * Where in a file reading failed, as far as it is known: after the last record read (text is decoded
   * ahead of the records, so not necessarily on the next line); nothing before a record was read
   * ("after line 0" read as a place).
   */
  private static String readTo(long lastLine) {
    return lastLine == 0 ? "" : " after line " + lastLine;
  }

  /** Avro files carry their own compression; the reader comes from a class only touched when Avro is present. */
  private static RecordReader avro(ObjectStore.StoredObject file, CopyOptions options, TargetTable table)
      throws IOException, SQLException {
    // a first pass over the framing, so that the Avro library never allocates an unchecked size
    try (InputStream check = new BufferedInputStream(Files.newInputStream(file.file()), 1 << 16)) {
      AvroContainerCheck.check(options.gzip ? new GZIPInputStream(check, 1 << 16) : check,
          options.gzip ? Long.MAX_VALUE : Files.size(file.file()), AvroReader.MAX_BLOCK_BYTES);
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file.file()), 1 << 16);
    try {
      return new AvroReader(options.gzip ? new GZIPInputStream(in, 1 << 16) : in, table.columns(),
          options.jsonIgnoreCase);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    } catch (LinkageError e) {
      in.close();
      throw OptionalLibrary.AVRO.missing("COPY", "FORMAT AS AVRO", e);
    }
  }

  /**
   * Drops a leading byte order mark: UTF16LE and UTF16BE read a file "regardless of the presence of a
   * BOM" (COPY, ENCODING), so the mark is not data, while Java's decoders for a fixed byte order keep it
   * as U+FEFF, which then began the first field (UTF16, whose decoder reads the mark, never sees it).
   */
  private static Reader withoutByteOrderMark(Reader reader) throws IOException {
    PushbackReader in = new PushbackReader(reader, 1);
    int first = in.read();
    if (first != -1 && first != '\uFEFF') {
      in.unread(first);
    }
    return in;
  }

  /**
   * ENCODING UTF16 reads a file that starts with a byte order mark: "If you specify UTF16, then your data
   * must have a byte order mark (BOM)". Without one Java's decoder assumes big-endian and would turn
   * little-endian text into other characters; the load is refused instead. An empty file has no data to mark.
   */
  private static InputStream requireByteOrderMark(InputStream in) throws IOException {
    InputStream marked = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
    marked.mark(2);
    int first = marked.read();
    int second = marked.read();
    marked.reset();
    if (first != -1 && !(first == 0xFE && second == 0xFF || first == 0xFF && second == 0xFE)) {
      throw new IOException("ENCODING UTF16 needs a byte order mark at the start of the file (\"If you specify UTF16,"
          + " then your data must have a byte order mark\"); use UTF16LE or UTF16BE for a file without one");
    }
    return marked;
  }

  private static RecordReader open(ObjectStore.StoredObject file, CopyOptions options, TargetTable table)
      throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file.file()), 1 << 16);
    try {
      if (options.gzip) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      if (options.encoding.equals(StandardCharsets.UTF_16)) {
        in = requireByteOrderMark(in);
      }
      Reader reader = new InputStreamReader(in, options.encoding.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
      if (options.encoding.equals(StandardCharsets.UTF_16LE) || options.encoding.equals(StandardCharsets.UTF_16BE)) {
        reader = withoutByteOrderMark(reader);
      }
      return options.format == CopyOptions.Format.JSON
          ? new JsonReader(reader, table.columns(), options.jsonIgnoreCase)
          : new DelimitedReader(reader, options);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
