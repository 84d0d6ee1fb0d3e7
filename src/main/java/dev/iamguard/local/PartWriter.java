package dev.iamguard.local;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes UNLOAD's data files into a staging folder, starting a new part when the next line would
 * pass MAXFILESIZE (a line is never split, so a part holds at least one row). Locally there is one
 * slice: with PARALLEL ON the parts are {@code 0000_part_00}, {@code 0000_part_01}, ...; with
 * PARALLEL OFF they are {@code 000}, {@code 001}, ... (the reference's {@code key000},
 * {@code key001}; the reference's serial GZIP example shows {@code 0000.gz}, which contradicts its
 * own PARALLEL text, so the three-digit form is used). GZIP adds {@code .gz}; EXTENSION adds its
 * own suffix instead, as Redshift only adds the compression suffix when no extension is given.
 * With GZIP the size limit is applied to the uncompressed text, so a part never exceeds it. The
 * header, when asked for, starts every part.
 */
final class PartWriter implements Closeable {
  /**
   * One finished part.
   *
   * @param name the file name after the prefix, e.g. {@code 0000_part_00.gz}
   * @param staged where it was written
   * @param records the lines written, header included (as MANIFEST VERBOSE counts them)
   */
  record Part(String name, Path staged, long records) {}

  private final Path staging;
  private final UnloadOptions options;
  private final String header;
  private final List<Part> parts = new ArrayList<>();
  private OutputStream out;
  private long bytes;
  private long records;
  private long rows;

  PartWriter(Path staging, UnloadOptions options, String header) {
    this.staging = staging;
    this.options = options;
    this.header = header;
  }

  /** Writes one line (ending with a line feed). */
  void write(String line) throws IOException {
    byte[] data = line.getBytes(StandardCharsets.UTF_8);
    if (out != null && rows > 0 && bytes + data.length > options.maxFileSize) {
      closePart();
    }
    if (out == null) {
      openPart();
    }
    out.write(data);
    bytes += data.length;
    records++;
    rows++;
  }

  /** Closes the last part (writing an empty one, header only, when no row came) and lists them all. */
  List<Part> finish() throws IOException {
    if (out == null && parts.isEmpty()) {
      openPart();
    }
    closePart();
    return List.copyOf(parts);
  }

  private void openPart() throws IOException {
    String name = name(parts.size());
    OutputStream file = new BufferedOutputStream(Files.newOutputStream(staging.resolve(name)), 1 << 16);
    out = options.gzip ? new GZIPOutputStream(file, 1 << 16) : file;
    bytes = 0;
    records = 0;
    rows = 0;
    if (header != null) {
      byte[] data = header.getBytes(StandardCharsets.UTF_8);
      out.write(data);
      bytes += data.length;
      records++;
    }
    parts.add(new Part(name, staging.resolve(name), 0));
  }

  private void closePart() throws IOException {
    if (out == null) {
      return;
    }
    out.close();
    out = null;
    Part last = parts.remove(parts.size() - 1);
    parts.add(new Part(last.name(), last.staged(), records));
  }

  private String name(int index) {
    String base = options.parallel ? String.format(Locale.ROOT, "0000_part_%02d", index) : String.format(Locale.ROOT, "%03d", index);
    String suffix = options.extension != null ? "." + options.extension : options.gzip ? ".gz" : "";
    return base + suffix;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
