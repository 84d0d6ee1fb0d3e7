package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rename, delete and listing as S3A does them, and never through a link: Hadoop's local rename
 * fell back to copying and deleting when the destination was a folder, following links, so files
 * outside the local S3 folder were read into it and deleted, and a dangling link let a rename create
 * a file outside (issue 17 probe). Listing asked Hadoop's local file system for each file's owner,
 * which starts an {@code ls} process per file without Hadoop's native library.
 */
class LocalS3RenameDeleteTest {
  @TempDir
  java.nio.file.Path root;
  @TempDir
  java.nio.file.Path outside;
  FileSystem fs;

  @BeforeEach
  void open() throws IOException {
    fs = FileSystem.get(URI.create("s3a://bucket/"), LocalS3FileSystemTest.conf(root));
    Files.createDirectories(root.resolve("bucket"));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private java.nio.file.Path local(String key) {
    return root.resolve("bucket").resolve(key);
  }

  private void file(String key, String text) throws IOException {
    Files.createDirectories(local(key).getParent());
    Files.writeString(local(key), text);
  }

  private static Path s3(String key) {
    return new Path("s3a://bucket/" + key);
  }

  /** Every entry under {@code folder}: a file's text, a link's target, a folder's mark; links not followed. */
  static Map<String, String> snapshot(java.nio.file.Path folder) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<java.nio.file.Path> walk = Files.walk(folder)) { // does not follow links
      for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) walk::iterator) {
        String name = folder.relativize(entry).toString();
        if (Files.isSymbolicLink(entry)) {
          entries.put(name, "-> " + Files.readSymbolicLink(entry));
        } else if (Files.isDirectory(entry)) {
          entries.put(name, "/");
        } else {
          entries.put(name, Files.readString(entry));
        }
      }
    }
    return entries;
  }

  @Test
  void aFolderRenamedOntoAFolderGoesUnderIt() throws IOException {
    file("d1/c.txt", "c");
    Files.createDirectories(local("d2"));
    file("d3/x", "x");

    assertThat(fs.rename(s3("d1"), s3("d2"))).isTrue();
    assertThat(local("d2/d1/c.txt")).hasContent("c");
    assertThat(fs.rename(s3("d3"), s3("d2"))).as("a non-empty folder too").isTrue();
    assertThat(local("d2/d3/x")).hasContent("x");
    assertThat(local("d1")).doesNotExist();
  }

  @Test
  void aRenameNeverReplacesWhatExists() throws IOException {
    file("x", "X");
    file("y", "Y");
    file("d/x", "inner");
    Map<String, String> before = snapshot(root);

    assertThat(fs.rename(s3("x"), s3("y"))).as("onto a file").isFalse();
    assertThat(fs.rename(s3("x"), s3("d"))).as("onto a folder holding its name").isFalse();
    assertThat(fs.rename(s3("d"), s3("d/sub"))).as("under itself").isFalse();
    assertThat(fs.rename(s3("missing"), s3("z"))).as("no source").isFalse();
    assertThat(fs.rename(s3("x"), s3("y/z"))).as("under a file").isFalse();
    assertThat(fs.rename(s3(""), s3("z"))).as("the bucket").isFalse();
    assertThat(fs.rename(s3("d"), s3("d"))).as("a folder onto itself").isFalse();
    assertThat(fs.rename(s3("x"), s3("x"))).as("a file onto itself").isTrue();
    assertThat(snapshot(root)).isEqualTo(before);

    assertThat(fs.rename(s3("x"), s3("new/deep/x2"))).as("parents need not exist, as in S3").isTrue();
    assertThat(local("new/deep/x2")).hasContent("X");
  }

  @Test
  void aLinkIsMovedNeverFollowed() throws IOException {
    Files.createDirectories(outside.resolve("folder"));
    Files.writeString(outside.resolve("folder/secret.txt"), "OUTSIDE");
    Files.writeString(outside.resolve("file.txt"), "OUTSIDE FILE");
    file("src/a.txt", "a");
    Files.createSymbolicLink(local("src/lnk"), outside.resolve("folder"));
    Files.createSymbolicLink(local("src/flnk"), outside.resolve("file.txt"));
    file("dst/other", "o");
    Map<String, String> outsideBefore = snapshot(outside);

    assertThat(fs.rename(s3("src"), s3("dst"))).isTrue();

    assertThat(snapshot(outside)).as("nothing outside read, changed or deleted").isEqualTo(outsideBefore);
    assertThat(Files.isSymbolicLink(local("dst/src/lnk"))).isTrue();
    assertThat(local("dst/src/a.txt")).hasContent("a");
    assertThatThrownBy(() -> fs.open(s3("dst/src/lnk/secret.txt"))).isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void aDanglingLinkCreatesNothingOutside() throws IOException {
    Files.createDirectories(local("dst"));
    java.nio.file.Path target = outside.resolve("created.txt");
    Files.createSymbolicLink(local("dst/f.txt"), target);
    file("f.txt", "WRITTEN FROM THE BUCKET");

    assertThat(fs.rename(s3("f.txt"), s3("dst"))).as("its place under the folder is taken").isFalse();
    assertThatThrownBy(() -> fs.rename(s3("f.txt"), s3("dst/f.txt"))).isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link").hasMessageNotContaining(root.toString());
    assertThat(target).doesNotExist();
    assertThat(local("f.txt")).hasContent("WRITTEN FROM THE BUCKET");
  }

  /**
   * Generated trees of files, folders and links (to files and folders inside and outside the
   * bucket, and dangling ones leading out), and generated renames and deletes among their names:
   * nothing outside ever changes, a rename moves names without changing any file's text or link's
   * target, and a refused or false operation changes nothing.
   */
  @Test
  @Timeout(120) // a hang guard: Hadoop's copying rename follows a link to the bucket into itself without end
  void generatedRenamesAndDeletesKeepEverythingOutsideAndMoveOnlyNames() throws IOException {
    Random random = new Random(18);
    Files.createDirectories(outside.resolve("folder/sub"));
    Files.writeString(outside.resolve("folder/sub/secret"), "OUT1");
    Files.writeString(outside.resolve("file"), "OUT2");
    Map<String, String> outsideBefore = snapshot(outside);
    String[] names = {"a", "b", "c", "d", "e"};
    int renamed = 0;
    int refused = 0;
    for (int trial = 0; trial < 300; trial++) {
      deleteTree(root.resolve("bucket"));
      Files.createDirectories(root.resolve("bucket"));
      List<String> keys = new ArrayList<>(List.of(""));
      for (int i = 0; i < 8; i++) {
        String parent = keys.get(random.nextInt(keys.size()));
        String key = (parent.isEmpty() ? "" : parent + "/") + names[random.nextInt(names.length)];
        java.nio.file.Path place = local(key);
        if (Files.exists(place, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(place.getParent(), LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        switch (random.nextInt(6)) {
          case 0, 1 -> Files.writeString(place, "text " + trial + " " + i);
          case 2 -> {
            Files.createDirectory(place);
            keys.add(key);
          }
          case 3 -> Files.createSymbolicLink(place, outside.resolve(random.nextBoolean() ? "folder" : "file"));
          case 4 -> Files.createSymbolicLink(place, outside.resolve("missing-" + i));
          default -> Files.createSymbolicLink(place, root.resolve("bucket"));
        }
        keys.add(key);
      }
      String from = keys.get(random.nextInt(keys.size()));
      String to = keys.get(random.nextInt(keys.size())) + (random.nextBoolean() ? "" : "/" + names[random.nextInt(names.length)]);
      to = to.startsWith("/") ? to.substring(1) : to;
      Map<String, String> before = snapshot(root);
      boolean delete = random.nextInt(4) == 0;
      boolean done;
      try {
        done = delete ? fs.delete(s3(from), random.nextBoolean()) : fs.rename(s3(from), s3(to));
      } catch (IOException e) {
        done = false;
      }
      assertThat(snapshot(outside)).as("trial %d: %s %s %s", trial, delete ? "delete" : "rename", from, to)
          .isEqualTo(outsideBefore);
      Map<String, String> after = snapshot(root);
      if (!done) {
        assertThat(after).as("trial %d: nothing changes", trial).isEqualTo(before);
        refused++;
      } else if (!delete) {
        assertThat(contents(after)).as("trial %d: rename %s %s moves names only", trial, from, to)
            .isEqualTo(contents(before));
        assertThat(Files.exists(local(from), LinkOption.NOFOLLOW_LINKS) && !from.equals(to))
            .as("trial %d: rename %s %s: the source's name is gone", trial, from, to).isFalse();
        renamed++;
      }
    }
    // a rename from or to a link (or a key under one) is refused: fewer of the generated renames happen
    assertThat(renamed).as("renames that happened").isGreaterThan(20);
    assertThat(refused).as("operations refused").isGreaterThan(30);
  }

  /** The texts of files and targets of links, sorted: what a rename must keep. */
  private static List<String> contents(Map<String, String> entries) {
    return entries.values().stream().filter(v -> !v.equals("/")).sorted().toList();
  }

  private static void deleteTree(java.nio.file.Path folder) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<java.nio.file.Path> walk = Files.walk(folder)) {
      for (java.nio.file.Path entry : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(entry);
      }
    }
  }

  @Test
  void aBucketIsNeverDeleted() throws IOException {
    file("k", "v");
    assertThat(fs.delete(s3(""), true)).as("recursive: false, as S3A").isFalse();
    assertThatThrownBy(() -> fs.delete(s3(""), false)).isInstanceOf(PathIOException.class)
        .hasMessageContaining("root of a bucket");
    assertThat(local("k")).hasContent("v");
    Files.delete(local("k"));
    assertThat(fs.delete(s3(""), false)).as("an empty bucket: nothing to delete").isTrue();
    assertThat(root.resolve("bucket")).isDirectory();
  }

  @Test
  void aFolderHoldingAnythingIsDeletedOnlyRecursively() throws IOException {
    file("d/k", "v");
    Files.createDirectories(local("empty"));
    assertThatThrownBy(() -> fs.delete(s3("d"), false)).isInstanceOf(PathIsNotEmptyDirectoryException.class)
        .hasMessageContaining("s3a://bucket/d");
    assertThat(fs.delete(s3("empty"), false)).isTrue();
    assertThat(fs.delete(s3("d"), true)).isTrue();
    assertThat(fs.delete(s3("d"), true)).as("gone").isFalse();
  }

  @Test
  void aListingIsInS3KeyOrderWithTheOwnerS3aNames() throws IOException {
    for (String key : List.of("part-00003", "B", "part-00000", "_SUCCESS", "z", "a-b", "é", "part-00001")) {
      file(key, key);
    }
    file("a/inner", "i");
    String user = UserGroupInformation.getCurrentUser().getShortUserName();

    FileStatus[] listed = fs.listStatus(s3(""));

    // UTF-8 byte order, a folder's name followed by '/': '-' (0x2D) sorts before '/' (0x2F)
    assertThat(Arrays.stream(listed).map(s -> s.getPath().getName())).containsExactly(
        "B", "_SUCCESS", "a-b", "a", "part-00000", "part-00001", "part-00003", "z", "é");
    assertThat(listed).allSatisfy(status -> {
      assertThat(status.getOwner()).isEqualTo(user);
      assertThat(status.getGroup()).isEqualTo(user);
      assertThat(status.getPermission()).isEqualTo(status.isDirectory() ? FsPermission.getDirDefault()
          : FsPermission.getFileDefault());
    });
    assertThat(listed[0].getLen()).isEqualTo(1);
    assertThat(listed[3].isDirectory()).isTrue();
    assertThat(fs.listStatus(s3("B"))).singleElement().satisfies(s -> assertThat(s.getPath()).isEqualTo(s3("B")));
    assertThatThrownBy(() -> fs.listStatus(s3("nothing"))).isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining("s3a://bucket/nothing");
    assertThatThrownBy(() -> fs.open(s3("nothing"))).isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining("s3a://bucket/nothing");
  }

  /**
   * A listing never reads through a link: neither the size nor the time of what it leads to, in or
   * out of the bucket. A link is no object, so it is left out.
   */
  @Test
  void aListingLeavesOutEveryLink() throws IOException {
    Files.writeString(outside.resolve("big"), "x".repeat(12345));
    file("d/in", "inside");
    Files.createSymbolicLink(local("d/out-file"), outside.resolve("big"));
    Files.createSymbolicLink(local("d/out-folder"), outside);
    Files.createSymbolicLink(local("d/in-link"), local("d/in"));

    assertThat(Arrays.stream(fs.listStatus(s3("d"))).map(s -> s.getPath().getName() + "=" + s.getLen()))
        .containsExactly("in=6");
    assertThatThrownBy(() -> fs.getFileStatus(s3("d/out-file"))).isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void aFileIsCreatedWithTheBuilderWhoseParentMustExist() throws IOException {
    Files.createDirectories(local("out"));
    try (FSDataOutputStream out = fs.createFile(s3("out/part-0")).build()) {
      out.write("built".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(local("out/part-0")).hasContent("built");
    assertThatThrownBy(() -> fs.createFile(s3("nowhere/part-0")).build()).isInstanceOf(IOException.class);
    assertThat(local("nowhere")).doesNotExist();
  }
}
