package dev.iamguard.hadoop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.FileAlreadyExistsException;

/**
 * The bytes of one object being written, as S3 takes an upload: they go to a hidden staging file
 * (which no key, listing or COPY reaches), and the object appears at its key only when the stream
 * is closed, whole and at once; until then the previous object, if any, stays as it was. Of two
 * writers replacing one key, the last to close wins whole; a writer that fails, is aborted or never
 * closes leaves no object. Without overwrite, an object that appeared at the key meanwhile is never
 * replaced: the close fails instead.
 */
final class StagedObject extends OutputStream implements Abortable {
  /** Where the object goes, found again at close, checked as when the writer was created. */
  interface Key {
    Path target() throws IOException;

    /**
     * Moves the staged file to the key itself, race-free where the platform allows; false leaves it
     * to this writer's path-based move to {@link #target}.
     */
    default boolean publish(Path staged, boolean overwrite) throws IOException {
      return false;
    }
  }

  private final Path staged;
  private final OutputStream out;
  private final Key key;
  private final boolean overwrite;
  /** The object's S3 path, for messages (user info masked). */
  private final String name;
  private boolean closed;
  /** A write failed: what the file holds is not what the writer meant, so it is never published. */
  private boolean failed;

  StagedObject(Path staged, Key key, boolean overwrite, String name) throws IOException {
    this.staged = staged;
    this.out = Files.newOutputStream(staged);
    this.key = key;
    this.overwrite = overwrite;
    this.name = name;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      out.write(bytes, offset, length);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush(); // into the staging file only: S3 shows nothing of an upload before it completes
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
      if (failed) {
        throw new IOException(name + " was not written: a write to it failed, so nothing was published");
      }
      if (!key.publish(staged, overwrite)) {
        publish(key.target());
      }
    } finally {
      Files.deleteIfExists(staged); // gone already once published
    }
  }

  private void publish(Path target) throws IOException {
    Files.createDirectories(target.getParent()); // S3 has no folders: a key's parents need not exist first
    if (overwrite) {
      try {
        // rename(2): the old object stays whole until the new one replaces it, at once
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return;
    }
    try {
      // link(2) fails when the name exists, in the same step that would create it: never a clobber
      Files.createLink(target, staged);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(name + " was created meanwhile; it is not overwritten (overwrite=false),"
          + " and this writer's bytes were discarded");
    } catch (UnsupportedOperationException | FileSystemException e) {
      noLinks(target);
    }
  }

  /** Where the file system has no hard links: a move that refuses an existing name (checked, then moved). */
  private void noLinks(Path target) throws IOException {
    try {
      Files.move(staged, target);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(name + " was created meanwhile; it is not overwritten (overwrite=false),"
          + " and this writer's bytes were discarded");
    }
  }

  /** Discards what was written: no object appears, and what the key held stays. */
  @Override
  public AbortableResult abort() {
    boolean already = closed;
    closed = true;
    IOException cleanup = null;
    if (!already) {
      try {
        out.close();
      } catch (IOException e) {
        cleanup = e;
      }
      try {
        Files.deleteIfExists(staged);
      } catch (IOException e) {
        cleanup = e;
      }
    }
    IOException problem = cleanup;
    return new AbortableResult() {
      @Override
      public boolean alreadyClosed() {
        return already;
      }

      @Override
      public IOException anyCleanupException() {
        return problem;
      }
    };
  }
}
