package dev.iamguard.hadoop;

import static dev.iamguard.hadoop.LocalS3RenameDeleteTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule for symbolic links in the local S3 folder, for every operation of the Hadoop face: a
 * link is no object. Over links to a file or a folder inside the bucket, to a file or a folder
 * outside the root, dangling ones, a bucket that is a link, and keys that go through a link in
 * their middle, every operation on such a key (status, listing, open, create, rename from, onto and
 * under it, delete, mkdirs) is refused with an IOException naming the key and no local path, and
 * changes nothing inside or outside the root; a listing leaves every link out, and a recursive
 * delete or rename of a folder holding links removes or moves the links themselves, never what they
 * lead to. Rename, delete, mkdirs and listing followed links inside the bucket, and a dangling link
 * answered the status with a refusal naming its local file.
 */
class LocalS3LinkRuleTest {
  @TempDir
  java.nio.file.Path root;
  @TempDir
  java.nio.file.Path outside;
  Configuration conf;

  @BeforeEach
  void objects() throws IOException {
    conf = LocalS3FileSystemTest.conf(root);
    for (String[] object : new String[][] {{"b/data/a.txt", "A"}, {"b/data/sub/s.txt", "S"}, {"b/other/o.txt", "O"}}) {
      Files.createDirectories(root.resolve(object[0]).getParent());
      Files.writeString(root.resolve(object[0]), object[1]);
    }
    Files.createDirectories(outside.resolve("folder/deep"));
    Files.writeString(outside.resolve("folder/secret.txt"), "OUT");
    Files.writeString(outside.resolve("folder/deep/more.txt"), "OUT2");
    Files.writeString(outside.resolve("file.txt"), "OUTFILE");
  }

  /** Where a link is made (under the root), where it leads, and the key operated on. */
  enum Kind {
    FILE_IN("b/l", "b/data/a.txt", "s3a://b/l"),
    FOLDER_IN("b/l", "b/data", "s3a://b/l"),
    FILE_OUT("b/l", "@/file.txt", "s3a://b/l"),
    FOLDER_OUT("b/l", "@/folder", "s3a://b/l"),
    DANGLING_OUT("b/l", "@/missing", "s3a://b/l"),
    DANGLING_IN("b/l", "b/missing", "s3a://b/l"),
    BUCKET_IN("lb", "b", "s3a://lb/data"),
    BUCKET_OUT("lb", "@/folder", "s3a://lb/secret.txt"),
    BUCKET_ROOT("lb", "b", "s3a://lb/"),
    MIDDLE_IN("b/l", "b/data", "s3a://b/l/sub"),
    MIDDLE_OUT("b/l", "@/folder", "s3a://b/l/deep"),
    MIDDLE_CHAIN("b/x/l", "b/data", "s3a://b/x/l/sub/s.txt");

    final String at;
    final String target;
    final String key;

    Kind(String at, String target, String key) {
      this.at = at;
      this.target = target;
      this.key = key;
    }
  }

  private void make(Kind kind) throws IOException {
    java.nio.file.Path at = root.resolve(kind.at);
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, target(kind));
  }

  private java.nio.file.Path target(Kind kind) {
    return kind.target.startsWith("@/") ? outside.resolve(kind.target.substring(2)) : root.resolve(kind.target);
  }

  /** What is done to the key; each must be refused. */
  interface Operation {
    void run(FileSystem fs, Path key) throws IOException;
  }

  static Stream<Arguments> operations() {
    Map<String, Operation> operations = new java.util.LinkedHashMap<>();
    operations.put("getFileStatus", FileSystem::getFileStatus);
    operations.put("listStatus", FileSystem::listStatus);
    operations.put("listFiles", (fs, key) -> {
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(key, true);
      while (files.hasNext()) {
        files.next();
      }
    });
    operations.put("delete recursive", (fs, key) -> fs.delete(key, true));
    operations.put("delete", (fs, key) -> fs.delete(key, false));
    operations.put("rename from", (fs, key) -> fs.rename(key, new Path(key.toUri().resolve("/moved"))));
    operations.put("rename onto", (fs, key) -> fs.rename(new Path(key.toUri().resolve("/other/o.txt")), key));
    operations.put("rename under", (fs, key) -> fs.rename(new Path(key.toUri().resolve("/other/o.txt")),
        new Path(key, "o.txt")));
    operations.put("mkdirs", FileSystem::mkdirs);
    operations.put("mkdirs under", (fs, key) -> fs.mkdirs(new Path(key, "new")));
    operations.put("open", (fs, key) -> fs.open(key).close());
    operations.put("create under", (fs, key) -> {
      try (FSDataOutputStream out = fs.create(new Path(key, "new.txt"), true)) {
        out.write("NEW".getBytes(StandardCharsets.UTF_8));
      }
    });
    List<Arguments> all = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      operations.forEach((name, operation) -> all.add(Arguments.of(kind, name, operation)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("operations")
  void everyOperationOnALinkedKeyIsRefusedAndChangesNothing(Kind kind, String name, Operation operation)
      throws IOException {
    make(kind);
    Map<String, String> inside = snapshot(root);
    Map<String, String> out = snapshot(outside);
    Path key = new Path(kind.key);
    String keyText = kind.key.endsWith("/") ? kind.key.substring(0, kind.key.length() - 1) : kind.key;
    // in a bucket that is a link, the source of a rename onto the key is refused first, for the same reason
    String sourceText = key.toUri().resolve("/other/o.txt").toString();
    try (FileSystem fs = FileSystem.get(URI.create(kind.key), conf)) {
      assertThatThrownBy(() -> operation.run(fs, key)).as("%s %s", name, key)
          .isInstanceOf(IOException.class).isNotInstanceOf(FileNotFoundException.class)
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(keyText, kind.at.equals("lb") ? sourceText : keyText))
          .hasMessageContaining("symbolic link")
          .hasMessageNotContaining(root.toString()).hasMessageNotContaining(outside.toString());
    }
    assertThat(snapshot(root)).as("nothing in the root changed").isEqualTo(inside);
    assertThat(snapshot(outside)).as("nothing outside changed").isEqualTo(out);
  }

  /** Every key a listing of the bucket names, recursively and folder by folder. */
  private static List<String> listed(FileSystem fs) throws IOException {
    List<String> keys = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path("s3a://b/"), true);
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      keys.add(file.getPath().toString() + "=" + file.getLen());
    }
    Arrays.stream(fs.listStatus(new Path("s3a://b/"))).forEach(status -> keys.add(status.getPath().getName()));
    Arrays.stream(fs.listStatus(new Path("s3a://b/x"))).forEach(status -> keys.add("x/" + status.getPath().getName()));
    return keys;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aListingLeavesOutEveryLinkAndAllBehindIt(Kind kind) throws IOException {
    Files.createDirectories(root.resolve("b/x"));
    make(kind);
    try (FileSystem fs = FileSystem.get(URI.create("s3a://b/"), conf)) {
      assertThat(listed(fs)).containsExactly("s3a://b/data/a.txt=1", "s3a://b/data/sub/s.txt=1",
          "s3a://b/other/o.txt=1", "data", "other", "x");
    }
  }

  /**
   * A folder holding a link of every kind (the bucket one made inside the folder instead) is deleted
   * recursively, links and all, and renamed, links and all: what they lead to stays as it was.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFolderHoldingALinkIsDeletedAndRenamedWithoutFollowingIt(Kind kind) throws IOException {
    java.nio.file.Path at = root.resolve("b/holder/deep").resolve(kind.at.replace('/', '_'));
    Files.createDirectories(at.getParent());
    Files.writeString(root.resolve("b/holder/h.txt"), "H");
    Files.createSymbolicLink(at, target(kind));
    Map<String, String> out = snapshot(outside);
    Map<String, String> data = snapshot(root.resolve("b/data"));
    try (FileSystem fs = FileSystem.get(URI.create("s3a://b/"), conf)) {
      assertThat(fs.rename(new Path("s3a://b/holder"), new Path("s3a://b/moved/holder"))).isTrue();
      java.nio.file.Path moved = root.resolve("b/moved/holder/deep").resolve(at.getFileName());
      assertThat(Files.isSymbolicLink(moved)).as("the link itself moved").isTrue();
      assertThat(snapshot(outside)).isEqualTo(out);
      assertThat(snapshot(root.resolve("b/data"))).isEqualTo(data);

      assertThat(fs.delete(new Path("s3a://b/moved"), true)).isTrue();
      assertThat(Files.exists(root.resolve("b/moved"), LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(snapshot(outside)).isEqualTo(out);
      assertThat(snapshot(root.resolve("b/data"))).isEqualTo(data);
    }
  }
}
