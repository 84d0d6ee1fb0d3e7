package dev.iamguard.audit;

import dev.iamguard.sql.LineText;
import dev.iamguard.sql.WeakShared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends every decision to a file as one JSON object per line (JSON Lines), with the fields of the
 * audit log line ({@link AuditLog#format}) and its values, plus {@code time}:
 * <pre>{@code {"time":"2025-01-31T02:00:00.123Z","source":"pool","decision":"DENY","mode":"enforce",
 * "user":"etl","cluster":"dev-cluster","statement":1,"line":3,"command":"COPY","rules":["ROLE_UNKNOWN"],
 * "message":"iamguard: ...","sql":"COPY ..."}}</pre>
 * {@code source} and {@code message} are left out as in the log line. Strings are escaped as the log
 * line escapes them ({@link LineText#quote}, whose escapes are JSON's), so one decision is one line.
 *
 * <p>A file is opened once per JVM while connections hold it (every connection naming it shares it;
 * once none does, it is closed) and each line is written
 * whole in one write, straight to the file, so lines of concurrent connections never interleave. A
 * line that cannot be written throws, and the statement fails: nothing is sent without its record.
 */
public final class JsonLinesAuditFile implements AuditSink {
  /**
   * The files connections hold open, by absolute path. A file no connection holds is dropped, and
   * its channel closed by the JDK's own cleaner (a FileChannel nothing refers to closes itself; a
   * cleaner of iamguard's would start a thread that keeps the class loader of an application that
   * ships the driver, and JsonLinesAuditFileTest checks the file is closed).
   */
  private static final WeakShared<Path, JsonLinesAuditFile> OPEN = new WeakShared<>();

  private final Path path;
  private final FileChannel channel;

  private JsonLinesAuditFile(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /**
   * The sink appending to {@code file} (created when missing).
   *
   * @throws IOException naming the file when it cannot be opened (a folder, a missing folder, no permission)
   */
  public static JsonLinesAuditFile open(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    if (Files.isDirectory(key)) {
      throw new IOException(file + " is a folder; name a file in it for the audit lines");
    }
    synchronized (OPEN) { // one channel per file, so that lines of concurrent connections never interleave
      JsonLinesAuditFile shared = OPEN.get(key);
      if (shared != null) {
        return shared;
      }
      try {
        return OPEN.share(key, new JsonLinesAuditFile(key));
      } catch (IOException e) {
        throw new IOException("cannot open the audit file " + file + " (" + e.getClass().getSimpleName()
            + ": " + e.getMessage() + ")", e);
      }
    }
  }

  @Override
  public void record(AuditEvent event) {
    ByteBuffer line = ByteBuffer.wrap((format(event, Instant.now()) + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      synchronized (this) {
        while (line.hasRemaining()) {
          channel.write(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("iamguard: cannot write the audit file " + path, e);
    }
  }

  /** The JSON line for {@code event} decided at {@code time}, without the line break. */
  static String format(AuditEvent event, Instant time) {
    StringBuilder json = new StringBuilder(320).append('{');
    string(json, "time", time.toString());
    if (event.source() != null) {
      string(json.append(','), "source", event.source());
    }
    string(json.append(','), "decision", event.decision());
    string(json.append(','), "mode", event.mode());
    string(json.append(','), "user", event.user());
    string(json.append(','), "cluster", event.cluster() == null ? "" : event.cluster());
    json.append(",\"statement\":").append(event.statement());
    json.append(",\"line\":").append(event.line());
    string(json.append(','), "command", event.command());
    json.append(",\"rules\":[");
    for (int i = 0; i < event.rules().size(); i++) {
      json.append(i == 0 ? "" : ",").append(LineText.quote(event.rules().get(i)));
    }
    json.append(']');
    if (event.message() != null) {
      string(json.append(','), "message", event.message());
    }
    string(json.append(','), "sql", AuditLog.sqlValue(event));
    return json.append('}').toString();
  }

  private static void string(StringBuilder json, String key, String value) {
    json.append('"').append(key).append("\":").append(LineText.quote(value));
  }
}
