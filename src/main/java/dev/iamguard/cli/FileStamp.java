package dev.iamguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Which file a path names and its state when it was read (identity, size, modification time), so
 * that a file rewritten in place is replaced only if nobody changed, replaced or deleted it since.
 *
 * @param key the file system's identity of the file (device and inode), null where none is given
 * @param size its size in bytes; -1 when the path names no file
 * @param modified when it was last modified; null when the path names no file
 */
record FileStamp(Object key, long size, FileTime modified) {
  /** The stamp of the file {@code path} names (through links), or of none. */
  static FileStamp of(Path path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
    } catch (NoSuchFileException gone) {
      return new FileStamp(null, -1, null);
    } catch (IOException e) {
      throw new CliException(path + ": cannot read its attributes: " + e.getMessage());
    }
  }
}
