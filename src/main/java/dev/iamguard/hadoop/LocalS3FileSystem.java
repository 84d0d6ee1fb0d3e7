package dev.iamguard.hadoop;

import dev.iamguard.local.LocalS3;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.sql.SQLException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop {@link FileSystem} for local runs: {@code s3://}, {@code s3a://} and {@code s3n://}
 * paths are files of the folder iamguard's COPY and UNLOAD emulation uses ({@code s3a://bucket/key}
 * is {@code DIR/bucket/key}), so Spark in {@code local[*]} mode stages and reads data exactly where
 * an emulated COPY reads and an emulated UNLOAD writes. The folder is {@code iamguard.local-s3} in
 * the Hadoop configuration ({@code spark.hadoop.iamguard.local-s3}), else the system property of
 * that name, else {@code ./local-s3}. Set it per scheme, e.g.
 * {@code spark.hadoop.fs.s3a.impl=dev.iamguard.hadoop.LocalS3FileSystem}; it is not registered as a
 * service, so it never replaces a real S3 file system by accident.
 *
 * <p>Every path passes the emulation's own rules: an authority that is no bucket name (empty, starting
 * with a dot, or holding user info or a port), a key with an empty, {@code .} or {@code ..} segment
 * or a backslash, or one that reaches a symbolic link leading out of its bucket folder, is refused
 * with an {@link IOException}. S3 has no append, so neither has this.
 */
public class LocalS3FileSystem extends FileSystem {
  /** The Hadoop configuration key (and system property) naming the local S3 folder. */
  public static final String ROOT = "iamguard.local-s3";

  private URI uri;
  private LocalS3 s3;
  private java.nio.file.Path root;
  private RawLocalFileSystem local;
  private Path workingDirectory;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    String folder = conf.get(ROOT, System.getProperty(ROOT, "local-s3"));
    this.root = Paths.get(folder).toAbsolutePath().normalize();
    this.s3 = new LocalS3(root);
    // user info (KEY:secret@) is no part of the file system's name: Hadoop prints that name in its messages
    this.uri = URI.create(name.getScheme() + "://" + withoutUserInfo(name.getRawAuthority()));
    this.local = new RawLocalFileSystem();
    local.initialize(URI.create("file:///"), conf);
    this.workingDirectory = new Path(uri.toString() + "/");
  }

  @Override
  public String getScheme() {
    return uri == null ? "s3a" : uri.getScheme();
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /**
   * Hadoop's check that {@code path} belongs to this file system, whose refusal ("Wrong FS: ...")
   * printed the path as written: with {@code s3a://KEY:secret@bucket/...}, the secret. The same
   * check, with the user info of the path masked.
   */
  @Override
  protected void checkPath(Path path) {
    try {
      super.checkPath(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Wrong FS: " + masked(path) + ", expected: " + getUri());
    }
  }

  /** {@code authority} without the user info before its last {@code @}; empty for none. */
  private static String withoutUserInfo(String authority) {
    return authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
  }

  /** {@code path} as text, with the user info of its authority (if any) written {@code ***}. */
  private static String masked(Path path) {
    URI u = path.toUri();
    String authority = u.getRawAuthority();
    if (authority == null || authority.indexOf('@') < 0) {
      return path.toString();
    }
    return u.getScheme() + "://***@" + withoutUserInfo(authority) + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  /** The local folder standing in for S3. */
  public java.nio.file.Path root() {
    return root;
  }

  /** The local file of an S3 path, checked as COPY and UNLOAD check their keys. */
  private Path toLocal(Path path) throws IOException {
    URI qualified = makeQualified(path).toUri();
    String bucket = qualified.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IOException(path + " names no bucket (local S3 folder " + root + ")");
    }
    String key = qualified.getPath() == null ? "" : qualified.getPath();
    while (key.startsWith("/")) {
      key = key.substring(1);
    }
    try {
      return new Path(s3.file(bucket, key).toUri());
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The S3 path of a local file under the folder. */
  private Path toS3(Path localPath) throws IOException {
    java.nio.file.Path file = new File(localPath.toUri()).toPath().toAbsolutePath().normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IOException("local file " + file + " is outside the local S3 folder " + root);
    }
    java.nio.file.Path relative = root.relativize(file);
    String bucket = relative.getName(0).toString();
    String key = relative.getNameCount() > 1 ? relative.subpath(1, relative.getNameCount()).toString()
        .replace(File.separatorChar, '/') : "";
    return new Path(uri.getScheme() + "://" + bucket + "/" + key);
  }

  private FileStatus toS3(FileStatus status) throws IOException {
    FileStatus copy = new FileStatus(status.getLen(), status.isDirectory(), 1, status.getBlockSize(),
        status.getModificationTime(), status.getAccessTime(), status.getPermission(), status.getOwner(),
        status.getGroup(), toS3(status.getPath()));
    return copy;
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    return local.open(toLocal(path), bufferSize);
  }

  @Override
  public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return local.create(toLocal(path), permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
    throw new IOException("append is not supported: S3 objects cannot be appended to (" + path + ")");
  }

  @Override
  public boolean rename(Path from, Path to) throws IOException {
    return local.rename(toLocal(from), toLocal(to));
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    return local.delete(toLocal(path), recursive);
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    FileStatus[] found = local.listStatus(toLocal(path));
    FileStatus[] out = new FileStatus[found.length];
    for (int i = 0; i < found.length; i++) {
      out[i] = toS3(found[i]);
    }
    return out;
  }

  @Override
  public void setWorkingDirectory(Path directory) {
    workingDirectory = makeQualified(directory);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public boolean mkdirs(Path path, FsPermission permission) throws IOException {
    return local.mkdirs(toLocal(path), permission);
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    Path file = toLocal(path);
    if (!new File(file.toUri()).exists()) {
      throw new FileNotFoundException(path + " does not exist (local S3 folder " + root + ")");
    }
    return toS3(local.getFileStatus(file));
  }

  @Override
  public void close() throws IOException {
    try {
      if (local != null) {
        local.close();
      }
    } finally {
      super.close();
    }
  }
}
