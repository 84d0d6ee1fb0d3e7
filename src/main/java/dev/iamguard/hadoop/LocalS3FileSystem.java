package dev.iamguard.hadoop;

import dev.iamguard.local.LocalS3;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
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
 * with an {@link IOException}; bytes are never read or written through any link, as COPY reads and
 * UNLOAD writes.
 *
 * <p>A symbolic link is no S3 object, wherever it leads (a file, a folder, inside or outside the
 * bucket, nowhere, or the bucket folder itself): a listing leaves it out, and every operation on a
 * key that is a link or lies under one (status, listing, open, create, rename from or to it,
 * delete, mkdirs) is refused with an {@link IOException} naming the key. A recursive delete or a
 * rename of a folder holding links removes or moves the links themselves, never what they lead to.
 * S3 has no append, so neither has this.
 */
public class LocalS3FileSystem extends FileSystem {
  /** The Hadoop configuration key (and system property) naming the local S3 folder. */
  public static final String ROOT = "iamguard.local-s3";

  private URI uri;
  private LocalS3 s3;
  private java.nio.file.Path root;
  private RawLocalFileSystem local;
  private Path workingDirectory;
  /** The owner and group every status names, as S3A names them: the current user (S3 has no owners). */
  private String owner;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    String folder = conf.get(ROOT, System.getProperty(ROOT, "local-s3"));
    this.root = Paths.get(folder).toAbsolutePath().normalize();
    this.s3 = new LocalS3(root);
    // user info (KEY:secret@) is no part of the file system's name: Hadoop prints that name in its messages
    this.uri = URI.create(name.getScheme() + "://" + nameOf(name.getRawAuthority()));
    this.owner = UserGroupInformation.getCurrentUser().getShortUserName();
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

  /**
   * The file system's authority: {@code authority} without the user info before its last {@code @};
   * empty for none; {@code ***} for one holding a {@code :}. A secret key holding a {@code /} (about
   * half of them) ends the URI's authority inside the secret, so {@code KEY:secr} is no bucket but
   * a key id and the start of a secret: the name never shows it, and no path of it is ever served.
   */
  private static String nameOf(String authority) {
    String bucket = authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
    return bucket.indexOf(':') >= 0 ? "***" : bucket;
  }

  /**
   * {@code path} as text, with anything between {@code ://} and the last {@code @} written
   * {@code ***} when it holds a {@code :} or the authority as parsed holds the {@code @}: the user
   * info of {@code s3a://KEY:secret@bucket/...}, also where a {@code /} in the secret made the URI
   * end its authority inside the secret. A key id alone before the first {@code /} is masked too.
   */
  private static String masked(Path path) {
    String text = path.toString();
    int start = text.indexOf("://");
    if (start < 0) {
      return text;
    }
    start += 3;
    int at = text.lastIndexOf('@');
    int slash = text.indexOf('/', start);
    String authority = text.substring(start, slash < 0 ? text.length() : slash);
    if (at > start && (text.substring(start, at).indexOf(':') >= 0 || authority.indexOf('@') >= 0)) {
      return text.substring(0, start) + "***" + text.substring(at);
    }
    return authority.indexOf(':') >= 0 ? text.substring(0, start) + "***" + (slash < 0 ? "" : "/...") : text;
  }

  /** The local folder standing in for S3. */
  public java.nio.file.Path root() {
    return root;
  }

  /** The local file of an S3 path, checked as COPY and UNLOAD check their keys. */
  private Path toLocal(Path path) throws IOException {
    return toLocal(path, Access.NAME);
  }

  /** What is done with a local file: its name moved or removed, its bytes read, or its bytes written. */
  private enum Access { NAME, READ, WRITE }

  /**
   * The local file of an S3 path. Bytes are read and written as an emulated COPY reads and an
   * emulated UNLOAD writes them, never through a symbolic link, even one inside the bucket: both
   * faces of the folder then agree, and neither reads an object other than the key it was given.
   */
  private Path toLocal(Path path, Access access) throws IOException {
    URI qualified = makeQualified(path).toUri();
    String bucket = qualified.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IOException(path + " names no bucket (local S3 folder " + root + ")");
    }
    String key = qualified.getPath() == null ? "" : qualified.getPath();
    while (key.startsWith("/")) {
      key = key.substring(1);
    }
    // before LocalS3's own checks, whose refusal of a link leading out names the local file
    refuseLinks(path, bucket, key);
    try {
      java.nio.file.Path file = switch (access) {
        case NAME -> s3.file(bucket, key);
        case READ -> s3.fileToRead(bucket, key);
        case WRITE -> s3.fileToWrite(bucket, key);
      };
      return new Path(file.toUri());
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Refuses {@code path} when its bucket folder, or a folder or file on the way down its key, is a
   * symbolic link: a link is no object, and going through one would list, move or delete what
   * another key (or a file outside the folder) names. Only what exists is looked at, each step
   * without following links; a bucket or key LocalS3 refuses anyway is left to it.
   */
  private void refuseLinks(Path path, String bucket, String key) throws IOException {
    if (bucket.equals(".") || bucket.equals("..")) {
      return;
    }
    java.nio.file.Path at;
    try {
      at = root.resolve(bucket);
    } catch (InvalidPathException e) {
      return;
    }
    if (!root.equals(at.getParent())) {
      return;
    }
    String[] segments = key.isEmpty() ? new String[0] : key.split("/", -1);
    for (int i = 0; ; i++) {
      if (Files.isSymbolicLink(at)) {
        throw linkRefused(path);
      }
      if (i == segments.length || !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      String segment = segments[i];
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0) {
        return;
      }
      try {
        at = at.resolve(segment);
      } catch (InvalidPathException e) {
        return;
      }
    }
  }

  /** The refusal of a key that is, or lies under, a symbolic link: it names the key, not the local file. */
  private IOException linkRefused(Path path) {
    return new PathIOException(masked(path), "refused: it is (or lies under) a symbolic link in the local S3 folder,"
        + " which is no S3 object; the local S3 file system never lists, reads, writes, moves or deletes through a"
        + " link");
  }

  /** The S3 path of a local file under the folder. */
  private Path toS3(java.nio.file.Path local) throws IOException {
    java.nio.file.Path file = local.toAbsolutePath().normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IOException("local file " + file + " is outside the local S3 folder " + root);
    }
    java.nio.file.Path relative = root.relativize(file);
    String bucket = relative.getName(0).toString();
    String key = relative.getNameCount() > 1 ? relative.subpath(1, relative.getNameCount()).toString()
        .replace(File.separatorChar, '/') : "";
    return new Path(uri.getScheme() + "://" + bucket + "/" + key);
  }

  /**
   * The status of a local file under its S3 path, read without following a link (a link made since
   * the key was checked is refused). Permission and owner are made up as S3A makes them up: asking
   * Hadoop's local file system for them starts an {@code ls} process per file where Hadoop's native
   * library is missing (10,000 listed files took 32 s).
   */
  private FileStatus status(java.nio.file.Path file) throws IOException {
    Path s3Path = toS3(file);
    try (Anchored at = anchor(file, false)) {
      if (at != null) {
        return status(s3Path, at.attributes());
      }
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      attributes = null;
    }
    return status(s3Path, attributes);
  }

  /** The status of {@code s3Path} from its attributes (null: missing), read without following a link. */
  private FileStatus status(Path s3Path, BasicFileAttributes attributes) throws IOException {
    if (attributes == null) {
      // missing, or under an object: S3 has no such key either, and Hadoop's contract answers
      // FileNotFoundException, so exists() is false
      throw new FileNotFoundException(s3Path + " does not exist (local S3 folder " + root + ")");
    }
    if (attributes.isSymbolicLink()) {
      throw linkRefused(s3Path);
    }
    boolean folder = attributes.isDirectory();
    return new FileStatus(folder ? 0 : attributes.size(), folder, 1, folder ? 0 : getDefaultBlockSize(s3Path),
        attributes.lastModifiedTime().toMillis(), attributes.lastAccessTime().toMillis(),
        folder ? FsPermission.getDirDefault() : FsPermission.getFileDefault(), owner, owner, s3Path);
  }

  private static java.nio.file.Path file(Path local) {
    return Paths.get(local.toUri());
  }

  /**
   * The folders leading to a local file under the root, opened from the root down without following
   * a link ({@link Anchored}): what is then done with the file is done in the folder checked, so a
   * link planted on the way after the check leads nowhere. Null where the platform cannot (no
   * {@link SecureDirectoryStream}); the path-based checks then stand alone.
   */
  private Anchored anchor(java.nio.file.Path file, boolean make, Path s3Path) throws IOException {
    List<String> names = new ArrayList<>();
    for (java.nio.file.Path name : root.relativize(file)) {
      names.add(name.toString());
    }
    try {
      return Anchored.open(root, names, make);
    } catch (Anchored.LinkException e) {
      throw linkRefused(s3Path);
    }
  }

  private Anchored anchor(java.nio.file.Path file, boolean make) throws IOException {
    return anchor(file, make, toS3(file));
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    Path file = toLocal(path, Access.READ);
    try (Anchored at = anchor(file(file), false, path)) {
      if (at != null) {
        BasicFileAttributes attributes = at.attributes();
        if (attributes == null) {
          throw new FileNotFoundException(masked(path) + " does not exist (local S3 folder " + root + ")");
        }
        if (attributes.isSymbolicLink()) {
          throw linkRefused(path);
        }
        if (attributes.isDirectory()) {
          throw new FileNotFoundException(masked(path) + " is a folder, which has no bytes to read");
        }
        java.nio.channels.SeekableByteChannel channel;
        try {
          channel = at.read();
        } catch (FileSystemException e) {
          // replaced meanwhile (by a link: O_NOFOLLOW refuses it); the message names no local file
          throw new PathIOException(masked(path), "cannot be read from the local S3 folder: " + reason(e));
        }
        return new FSDataInputStream(new org.apache.hadoop.fs.BufferedFSInputStream(
            new ChannelInput(channel, statistics), bufferSize));
      }
    }
    try {
      return local.open(file, bufferSize);
    } catch (FileNotFoundException e) {
      if (Files.exists(file(file))) {
        throw e; // a folder
      }
      throw new FileNotFoundException(masked(path) + " does not exist (local S3 folder " + root + ")");
    }
  }

  /**
   * A writer of one object, as S3A writes it: nothing appears at the key before {@code close()},
   * then the whole object at once (see {@link StagedObject}). A bucket's root, a folder, or a key
   * under a file is refused here ({@code FileAlreadyExistsException}, {@code ParentNotDirectoryException}),
   * and so is an existing object without {@code overwrite}; the same checks are made again at close.
   */
  @Override
  public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return staged(path, overwrite);
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
    throw new IOException("append is not supported: S3 objects cannot be appended to (" + path + ")");
  }

  /** {@link #create}, refusing a key whose parent folder does not exist yet (or is no folder). */
  @Override
  public FSDataOutputStream createNonRecursive(Path path, FsPermission permission, EnumSet<CreateFlag> flags,
      int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
    if (flags.contains(CreateFlag.APPEND)) {
      return append(path, bufferSize, progress);
    }
    java.nio.file.Path parent = file(toLocal(path, Access.WRITE)).getParent();
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileNotFoundException("the parent folder of " + masked(path) + " does not exist");
    }
    return staged(path, flags.contains(CreateFlag.OVERWRITE));
  }

  private FSDataOutputStream staged(Path path, boolean overwrite) throws IOException {
    java.nio.file.Path target = writable(path);
    if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path) + " already exists (overwrite=false)");
    }
    java.nio.file.Path staging;
    try {
      staging = s3.newStagingFile();
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
    StagedObject.Key key = new StagedObject.Key() {
      @Override
      public java.nio.file.Path target() throws IOException {
        return writable(path);
      }

      @Override
      public boolean publish(java.nio.file.Path staged, boolean replace) throws IOException {
        return publishAnchored(path, staged, replace);
      }
    };
    return new FSDataOutputStream(new StagedObject(staging, key, overwrite, masked(path)), statistics);
  }

  /**
   * Moves a closed writer's staged file to its key with {@code renameat}, relative to the staging
   * folder and the key's folder, both opened without following a link: a folder on the key's way
   * swapped for a link after the check never carries the bytes out of the bucket. False where the
   * platform cannot (the writer then publishes by path). Without overwrite, the key is looked at in
   * its opened folder just before the move.
   */
  private boolean publishAnchored(Path path, java.nio.file.Path staged, boolean overwrite) throws IOException {
    java.nio.file.Path target = writable(path);
    try (Anchored from = anchor(staged, false, path); Anchored to = from == null ? null : anchor(target, true, path)) {
      if (from == null) {
        return false;
      }
      if (to.way() != Anchored.Way.OPEN) {
        throw new ParentNotDirectoryException(masked(path) + " lies under an object, which is no folder");
      }
      BasicFileAttributes there = to.attributes();
      if (there != null && there.isSymbolicLink()) {
        throw linkRefused(path);
      }
      if (there != null && there.isDirectory()) {
        throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path) + " is a folder; it cannot be written"
            + " as an object");
      }
      if (overwrite) {
        from.replace(to);
      } else {
        from.moveTo(to);
      }
    } catch (FileAlreadyExistsException e) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path) + " was created meanwhile; it is not"
          + " overwritten (overwrite=false), and this writer's bytes were discarded");
    }
    return true;
  }

  /**
   * The local file an object's bytes may go to: checked as UNLOAD checks its keys, neither a
   * bucket's root nor a folder (Hadoop's contract: a directory is never replaced by a file), and
   * under no file.
   */
  private java.nio.file.Path writable(Path path) throws IOException {
    java.nio.file.Path target = file(toLocal(path, Access.WRITE));
    if (target.getParent().equals(root)) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path)
          + " is the root of a bucket, always a folder; it cannot be written as an object");
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path) + " is a folder; it cannot be written as"
          + " an object");
    }
    for (java.nio.file.Path folder = target.getParent(); !folder.equals(root); folder = folder.getParent()) {
      if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
          throw new ParentNotDirectoryException(masked(path) + " lies under an object, which is no folder");
        }
        break;
      }
    }
    return target;
  }

  /**
   * Renames as S3A does, moving names only: onto a folder, the source goes under it; false when the
   * source is missing or a bucket, the destination (or its place under a folder) exists, the
   * destination lies under the source, or its parent is a file. A file renamed onto itself is true.
   * A source or destination that is (or lies under) a symbolic link is refused; links inside a
   * renamed folder move with it, never followed, so nothing outside the folder is read, written or
   * deleted.
   */
  @Override
  public boolean rename(Path from, Path to) throws IOException {
    java.nio.file.Path source = file(toLocal(from));
    Path toPath = to;
    java.nio.file.Path target = file(toLocal(toPath));
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS) || source.getParent().equals(root)) {
      return false;
    }
    if (source.equals(target)) {
      return !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
    }
    try (Anchored src = anchor(source, false, from)) {
      if (src != null) {
        return renameAnchored(src, from, source, target, to);
      }
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      target = target.resolve(source.getFileName()); // in a folder of the bucket: checked as the folder was
      toPath = toS3(target);
    }
    if (target.startsWith(source) || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    java.nio.file.Path parent = target.getParent();
    if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Files.createDirectories(parent); // S3 has no folders: a key's parents need not exist first
    try {
      Files.move(source, target);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new IOException("cannot rename " + masked(from) + " to " + masked(toPath) + " in the local S3 folder "
          + root + ": " + e, e);
    }
    return true;
  }

  /**
   * {@link #rename}'s moves, each name looked at and moved relative to its opened folder
   * ({@code renameat}), so no link planted on either way after the check is followed.
   */
  private boolean renameAnchored(Anchored src, Path from, java.nio.file.Path source, java.nio.file.Path target,
      Path to) throws IOException {
    BasicFileAttributes attributes = src.attributes();
    if (attributes == null) {
      return false;
    }
    if (attributes.isSymbolicLink()) {
      throw linkRefused(from);
    }
    Path toPath = to;
    try (Anchored onto = anchor(target, false, to)) {
      BasicFileAttributes there = onto.attributes();
      if (there != null && there.isSymbolicLink()) {
        throw linkRefused(to);
      }
      if (there != null && there.isDirectory()) {
        target = target.resolve(source.getFileName()); // in a folder of the bucket: checked as the folder was
        toPath = toS3(target);
      }
    }
    if (target.startsWith(source)) {
      return false;
    }
    try (Anchored dst = anchor(target, true, toPath)) {
      if (dst.way() != Anchored.Way.OPEN || dst.attributes() != null) {
        return false; // under an object, or taken
      }
      src.moveTo(dst);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (FileSystemException e) {
      throw new PathIOException(masked(from), "cannot be renamed to " + masked(toPath) + " in the local S3 folder: "
          + reason(e));
    }
    return true;
  }

  /**
   * Deletes as S3A does: a bucket is never deleted (an empty one is true, a non-empty one false
   * when recursive, refused otherwise), and a folder holding anything is refused unless recursive.
   * A key that is (or lies under) a symbolic link is refused; links inside a deleted folder are
   * removed themselves, never entered, so what they lead to stays.
   */
  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    java.nio.file.Path file = file(toLocal(path));
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    boolean folder = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
    boolean empty = !folder || isEmpty(file);
    if (file.getParent().equals(root)) {
      if (!folder) {
        return false; // a file where a bucket's folder belongs is no bucket: nothing of it is deleted
      }
      if (!empty && !recursive) {
        throw new PathIOException(masked(path), "cannot delete the root of a bucket");
      }
      return empty;
    }
    if (!empty && !recursive) {
      throw new PathIsNotEmptyDirectoryException(masked(path));
    }
    try (Anchored at = anchor(file, false, path)) {
      // not Hadoop's local delete: it decides file or folder by following links
      if (at == null) {
        deleteTree(file);
      } else {
        deleteEntry(at.parent(), at.name()); // in the folder checked, wherever its name now leads
      }
    } catch (PathIOException e) {
      throw e; // a link on the way, refused naming the key
    } catch (NoSuchFileException e) {
      return true; // deleted meanwhile by someone else: gone, as asked
    } catch (IOException e) {
      throw new PathIOException(masked(path), "cannot be deleted from the local S3 folder: " + reason(e));
    }
    return true;
  }

  /**
   * Deletes {@code file} and everything under it, entering no link: a link is removed itself. Where
   * the platform has {@link SecureDirectoryStream} (Linux), each folder is opened relative to its
   * opened parent without following a link, so a folder swapped for a link after it was looked at
   * is refused, not entered; elsewhere {@link Files#walkFileTree} without FOLLOW_LINKS does it, which
   * looks at each entry without following links but opens a folder by its name.
   */
  private static void deleteTree(java.nio.file.Path file) throws IOException {
    try (DirectoryStream<java.nio.file.Path> parent = Files.newDirectoryStream(file.getParent())) {
      if (parent instanceof SecureDirectoryStream<java.nio.file.Path> secure) {
        deleteEntry(secure, file.getFileName());
        return;
      }
    }
    Files.walkFileTree(file, new SimpleFileVisitor<>() { // no FOLLOW_LINKS: a link is visited as a file
      @Override
      public FileVisitResult visitFile(java.nio.file.Path entry, BasicFileAttributes attributes) throws IOException {
        Files.delete(entry);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(java.nio.file.Path folder, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(folder);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes the entry {@code name} of the opened folder {@code folder}, and all under it, never through a link. */
  private static void deleteEntry(SecureDirectoryStream<java.nio.file.Path> folder, java.nio.file.Path name)
      throws IOException {
    BasicFileAttributes attributes = folder.getFileAttributeView(name, BasicFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS).readAttributes();
    if (!attributes.isDirectory()) {
      folder.deleteFile(name); // a file or a link: the link itself goes
      return;
    }
    try (SecureDirectoryStream<java.nio.file.Path> inner = folder.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
      List<java.nio.file.Path> names = new ArrayList<>();
      for (java.nio.file.Path entry : inner) {
        names.add(entry.getFileName());
      }
      for (java.nio.file.Path entry : names) {
        deleteEntry(inner, entry);
      }
    }
    folder.deleteDirectory(name);
  }

  /** Why a local operation failed, without the local file names a {@link FileSystemException} message holds. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException failed) {
      return failed.getReason() == null ? e.getClass().getSimpleName() : failed.getReason();
    }
    return e.getClass().getSimpleName();
  }

  private static boolean isEmpty(java.nio.file.Path folder) throws IOException {
    try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(folder)) {
      return !entries.iterator().hasNext();
    }
  }

  /**
   * The entries of a folder in S3's key order (the UTF-8 bytes of the key, a folder's name followed
   * by {@code /}), or the file itself. Symbolic links are no objects and are left out, never read.
   */
  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    java.nio.file.Path file = file(toLocal(path));
    try (Anchored at = anchor(file, false)) {
      if (at != null) {
        FileStatus self = status(toS3(file), at.attributes());
        if (!self.isDirectory()) {
          return new FileStatus[] {self};
        }
        return listed(file, at);
      }
    }
    FileStatus self = status(file);
    if (!self.isDirectory()) {
      return new FileStatus[] {self};
    }
    List<FileStatus> found = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(file)) {
      for (java.nio.file.Path entry : entries) {
        if (Files.isSymbolicLink(entry)) {
          continue; // neither its size nor its time is shown, nor what lies under it
        }
        try {
          found.add(status(entry));
        } catch (FileNotFoundException e) {
          // deleted since it was listed: S3 lists it no more
        } catch (PathIOException e) {
          // replaced by a link since it was listed: left out as the link it now is
        }
      }
    }
    found.sort(KEY_ORDER);
    return found.toArray(new FileStatus[0]);
  }

  /**
   * The entries of the opened folder {@code at}, each looked at relative to it without following a
   * link: a link is left out, and a folder swapped for a link after the check is listed as the
   * folder that was opened, never as what the link leads to.
   */
  private FileStatus[] listed(java.nio.file.Path file, Anchored at) throws IOException {
    List<FileStatus> found = new ArrayList<>();
    try (SecureDirectoryStream<java.nio.file.Path> folder = at.folder()) {
      for (java.nio.file.Path entry : folder) {
        String name = entry.getFileName().toString();
        BasicFileAttributes attributes = Anchored.attributes(folder, name);
        if (attributes != null && !attributes.isSymbolicLink()) { // gone meanwhile, or a link: no object
          found.add(status(toS3(file.resolve(name)), attributes));
        }
      }
    } catch (FileSystemException e) {
      // swapped for a link or a file since it was checked
      throw new PathIOException(masked(toS3(file)), "cannot be listed in the local S3 folder: " + reason(e));
    }
    found.sort(KEY_ORDER);
    return found.toArray(new FileStatus[0]);
  }

  private static final Comparator<FileStatus> KEY_ORDER = Comparator.comparing(
      status -> (status.getPath().getName() + (status.isDirectory() ? "/" : "")).getBytes(StandardCharsets.UTF_8),
      Arrays::compareUnsigned);

  @Override
  public void setWorkingDirectory(Path directory) {
    workingDirectory = makeQualified(directory);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  /** Makes a folder and its parents; a key that is (or lies under) a symbolic link is refused. */
  @Override
  public boolean mkdirs(Path path, FsPermission permission) throws IOException {
    Path local = toLocal(path);
    java.nio.file.Path folder = file(local);
    try (Anchored at = anchor(folder, true, path)) {
      if (at == null) {
        return this.local.mkdirs(local, permission);
      }
      if (at.way() == Anchored.Way.UNDER_OBJECT) {
        throw new ParentNotDirectoryException(masked(path) + " lies under an object, which is no folder");
      }
      at.makeFolder();
      BasicFileAttributes attributes = at.attributes();
      if (attributes == null) {
        throw new PathIOException(masked(path), "could not be made a folder in the local S3 folder");
      }
      if (attributes.isSymbolicLink()) {
        throw linkRefused(path);
      }
      if (!attributes.isDirectory()) {
        throw new org.apache.hadoop.fs.FileAlreadyExistsException(masked(path) + " is an object, not a folder");
      }
      return true;
    }
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    return status(file(toLocal(path)));
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
