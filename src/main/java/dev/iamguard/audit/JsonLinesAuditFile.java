package dev.iamguard.audit;

import dev.iamguard.sql.LineText;
import dev.iamguard.sql.WeakShared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * Appends every decision to a file as one JSON object per line (JSON Lines), with the fields of the
 * audit log line ({@link AuditLog#format}) and its values, plus {@code time}:
 * <pre>{@code {"time":"2025-01-31T02:00:00.123Z","source":"pool","decision":"DENY","mode":"enforce",
 * "user":"etl","cluster":"dev-cluster","statement":1,"line":3,"command":"COPY","rules":["ROLE_UNKNOWN"],
 * "message":"iamguard: ...","sql":"COPY ..."}}</pre>
 * {@code source} and {@code message} are left out as in the log line. Strings are escaped as the log
 * line escapes them ({@link LineText#quote}, whose escapes are JSON's), so one decision is one line.
 *
 * <p>A file is opened once per JVM while connections hold it (every connection naming it shares it)
 * and closed when the last hold is given back ({@link #release}: a guarded connection gives back its
 * hold when it closes), or once nothing refers to it any more (a connection never closed). Each line is written
 * whole in one write, straight to the file, so lines of concurrent connections never interleave. A
 * line that cannot be written throws, and the statement fails: nothing is sent without its record.
 *
 * <p>The file is created readable and writable by its owner only (where the file system has POSIX
 * permissions; an existing file keeps its own), and a symbolic link at its path is never followed,
 * when opening or after a rotation: whoever may write the folder could otherwise point the path at
 * a file the application may write and have the decisions appended to it, or at a place others read.
 * A line cut short by a failed write (a full disk, a crash, here or in another process) is ended
 * before the next line is written, so the next decision is a whole line of its own: it was glued to
 * the cut line, and a reader of JSON lines lost it with that one.
 */
public final class JsonLinesAuditFile implements AuditSink {
  /**
   * The files connections hold open, by their folder's real path and their name ({@link #located}). A file is closed when its last hold is given
   * back; one whose holders are dropped without giving it back (a connection never closed) is dropped
   * too, and its stream closed by the JDK's own cleaner (a file stream nothing refers to closes itself; a
   * cleaner of iamguard's would start a thread that keeps the class loader of an application that
   * ships the driver, and JsonLinesAuditFileTest checks the file is closed).
   */
  private static final WeakShared<Path, JsonLinesAuditFile> OPEN = new WeakShared<>();

  /**
   * The path written, as the first connection spelled it (absolute, not tidied as text: the system
   * reads its {@code ..} after the links before it), so that the file follows its path as the
   * system reads it then, a folder link pointed elsewhere (a rotation of folders) included.
   */
  private final Path path;
  /** Where the file was when opened ({@link #located}): the key of {@link #OPEN} it is shared under. */
  private final Path key;
  /** Opened without following a link at the path, appending, created when missing. */
  private static final Set<OpenOption> OPTIONS = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
      StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
  /** Owner read and write: the mode of a file the sink creates (narrowed further by the process's umask). */
  private static final String OWNER_ONLY = "rw-------";

  /**
   * A channel, opened with {@link LinkOption#NOFOLLOW_LINKS} (a {@code FileOutputStream} follows a
   * link and takes the umask's mode, often world-readable). A channel is closed when a thread that
   * writes to it is interrupted (an executor cancelling a query), which would fail every later
   * statement of every connection: {@link #record} writes with the thread's interrupt put aside, and
   * opens the file again should an interrupt close it all the same.
   */
  private FileChannel out;
  /**
   * Set when the file may end inside a line, which the next write then ends first: a write failed
   * part way (a full disk), or the file was just opened (a process that crashed, or failed, while
   * writing it). Guarded by this sink.
   */
  private boolean torn = true;
  /**
   * The identity of the file {@link #out} writes ({@code BasicFileAttributes.fileKey}: device and
   * inode), to notice the path naming another file or none (log rotation, deletion); null where the
   * platform gives none. Guarded by this sink.
   */
  private Object written;
  /** The holds {@link #open} gave and {@link #release} has not taken back; guarded by {@link #OPEN}. */
  private int holds;
  /** Set once {@link #release} closed the file; guarded by this sink. */
  private boolean closed;

  private JsonLinesAuditFile(Path path, Path key) throws IOException {
    this.path = path;
    this.key = key;
    this.out = openChannel(path);
    this.written = fileKey(path);
  }

  /**
   * Opens {@code path} to append, created owner-only when missing, refusing a symbolic link there
   * (the refusal names it: the platform's "too many levels of symbolic links" does not).
   */
  private static FileChannel openChannel(Path path) throws IOException {
    try {
      return path.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? FileChannel.open(path, OPTIONS, ownerOnly()) : FileChannel.open(path, OPTIONS);
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(path)) {
        throw new IOException(path + " is a symbolic link; iamguard writes audit lines to no file a link leads to", e);
      }
      throw e;
    }
  }

  private static FileAttribute<?> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY));
  }

  /**
   * The identity of the file {@code path} names, or null when none is there (or the platform gives
   * none); a link's own, not its target's: a link planted at the path is another file, and
   * opening it again refuses it.
   */
  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  /**
   * Writes {@code line} to the file the path names now: a file renamed away (rotated) or deleted
   * since it was opened would take the line out of sight (probe 22c F2: a pool kept writing to the
   * rotated file, or to a deleted one, and the lines were lost without an error), so the path is
   * opened again first. A rotation between that look and the write leaves the line in the rotated
   * file and writes it again to the new one: a line may be written twice, never lost.
   */
  private void writeToCurrentFile(byte[] line) throws IOException {
    if (!out.isOpen() || written == null || !written.equals(fileKey(path))) {
      reopen();
    }
    write(line);
    Object now = fileKey(path);
    if (written != null && !written.equals(now)) {
      reopen();
      write(line);
    }
  }

  /**
   * Appends {@code line} at the file's end, in one write where the system takes it whole. A write
   * that fails part way (a full disk) leaves the file inside a line: the next line written starts
   * with a line break, so that it is whole and valid JSON (the cut line, whose statement failed,
   * stays a line of its own). So does the first line written to a file opened ending inside a line.
   */
  private void write(byte[] line) throws IOException {
    ByteBuffer buffer = torn && endsInsideLine()
        ? ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip() : ByteBuffer.wrap(line);
    torn = true; // until the whole line is written
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    torn = false;
  }

  /** True when the file the path names ends with anything but a line break. */
  private boolean endsInsideLine() throws IOException {
    try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = read.size();
      ByteBuffer last = ByteBuffer.allocate(1);
      return size > 0 && read.read(last, size - 1) == 1 && last.get(0) != '\n';
    } catch (NoSuchFileException gone) {
      return false; // rotated away this instant: the write notices it and writes to the new file
    }
  }

  private void reopen() throws IOException {
    FileChannel old = out;
    out = openChannel(path);
    written = fileKey(path);
    torn = true;
    old.close();
  }

  /**
   * The sink appending to {@code file} (created when missing), with one hold on it: the file stays
   * open until every hold is given back with {@link #release} (or nothing refers to the sink).
   *
   * @throws IOException naming the file when it cannot be opened (a folder, a missing folder, no permission)
   */
  public static JsonLinesAuditFile open(Path file) throws IOException {
    if (Files.isDirectory(file.toAbsolutePath())) {
      throw new IOException(file + " is a folder; name a file in it for the audit lines");
    }
    synchronized (OPEN) { // one stream per file, so that lines of concurrent connections never interleave
      try {
        Path key = located(file);
        JsonLinesAuditFile shared = OPEN.get(key);
        if (shared == null) {
          shared = OPEN.share(key, new JsonLinesAuditFile(file.toAbsolutePath(), key));
        }
        shared.holds++;
        return shared;
      } catch (IOException e) {
        throw new IOException("cannot open the audit file " + file + " (" + e.getClass().getSimpleName()
            + ": " + e.getMessage() + ")", e);
      }
    }
  }

  /**
   * Where the file {@code file} names is, as the system reads it: its folder's real path (links and
   * {@code ..} followed as the system follows them) and its own name, itself never followed; every
   * spelling of one file shares one writer under it. Tidied as text instead, {@code link/../x} was
   * {@code x} beside the link, another file than the one named, and a folder reached through a
   * link opened a second writer on the same file.
   *
   * @throws IOException when the folder does not exist
   */
  private static Path located(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path folder = absolute.getParent();
    return folder == null ? absolute : folder.toRealPath().resolve(absolute.getFileName());
  }

  /**
   * Gives back one hold that {@link #open} gave; when it is the last, the file is closed and the
   * next {@code open} of it opens it again (appending). Give back each hold once: a line recorded
   * after the last hold is given back fails.
   *
   * @throws IOException when closing the file fails
   */
  public void release() throws IOException {
    synchronized (OPEN) {
      if (holds == 0) {
        throw new IllegalStateException("iamguard: the audit file " + path + " was released more often than opened");
      }
      if (--holds > 0) {
        return;
      }
      OPEN.remove(key, this);
    }
    synchronized (this) { // after a line being written, whole
      out.close();
      closed = true;
    }
  }

  @Override
  public void record(AuditEvent event) {
    byte[] line = (format(event, Instant.now()) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (this) {
        if (closed) {
          throw new IOException("closed when the last connection holding it closed");
        }
        writeWithInterruptPutAside(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("iamguard: cannot write the audit file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes with the thread's interrupt cleared and set again after: an interrupted thread's write
   * would close the channel. An interrupt arriving during the write closes it all the same; the
   * file is then opened again and the line written again (it may be there twice, never missing).
   */
  private void writeWithInterruptPutAside(byte[] line) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      writeToCurrentFile(line);
    } catch (ClosedByInterruptException e) {
      interrupted |= Thread.interrupted();
      torn = true; // the line may be cut
      writeToCurrentFile(line); // the channel is closed: opened again
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
