package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check-then-act gap (red-team review): every operation looked for links on a key's way and
 * then acted by path, so a folder on the way swapped for a link between the two made it read,
 * list, write, make, move or delete outside the bucket. Here the swap is planted deterministically
 * through {@link Anchored#betweenCheckAndAct}, at every point an operation passes it, for every
 * folder on the way (the bucket's, the key's parent's and grandparent's), with absolute and relative
 * links, onto a decoy tree outside the folder holding the same names. The oracle is the decoy: its
 * files and bytes stay exactly as they were, and nothing read or listed ever comes from it.
 */
class LocalS3RaceTest {
  private static final String DECOY = "DECOY-BYTES-OUTSIDE-THE-BUCKET";

  @TempDir
  java.nio.file.Path base;

  @AfterEach
  void unhook() {
    Anchored.betweenCheckAndAct = () -> { };
    Anchored.betweenOpenAndLook = () -> { };
  }

  /**
   * A folder on a key's way that another writer makes between the walk's failed open and its look
   * at the name: the walk opens it again and goes on (CI: two Spark tasks wrote under a new
   * {@code _temporary} folder at once, and one failed its task with NoSuchFileException). For
   * every depth of the folder made meanwhile, on a write (which makes folders) and a read.
   */
  @org.junit.jupiter.api.Test
  void aFolderAnotherWriterMakesMeanwhileIsOpenedAgain() throws Exception {
    for (String made : List.of("b", "b/d", "b/d/e")) {
      java.nio.file.Path root = base.resolve("meanwhile-" + made.replace('/', '-'));
      // the folders above the one made meanwhile exist: the walk's first failed open is at that one
      Files.createDirectories(root.resolve(made).getParent());
      AtomicInteger planted = new AtomicInteger();
      Anchored.betweenOpenAndLook = () -> {
        if (planted.getAndIncrement() == 0) {
          try {
            Files.createDirectories(root.resolve(made));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };
      try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root))) {
        write(fs, "s3a://b/d/e/f", true);
        Anchored.betweenOpenAndLook = () -> { };
        assertThat(planted.get()).as(made).isPositive();
        assertThat(Files.readString(root.resolve("b/d/e/f"))).as(made).isEqualTo(readBack(fs, "s3a://b/d/e/f"));
      }
    }
  }

  private static String readBack(FileSystem fs, String key) throws IOException {
    try (FSDataInputStream in = fs.open(new Path(key))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One operation on the local S3 folder; returns what it read or listed, for the decoy check. */
  interface Operation {
    String run(FileSystem fs) throws IOException;
  }

  static Map<String, Operation> operations() {
    Map<String, Operation> ops = new TreeMap<>();
    ops.put("getFileStatus", fs -> String.valueOf(fs.getFileStatus(new Path("s3a://b/d/e/f")).getLen()));
    ops.put("exists", fs -> String.valueOf(fs.exists(new Path("s3a://b/d/e/only-outside"))));
    ops.put("listStatus", fs -> names(fs.listStatus(new Path("s3a://b/d/e"))));
    ops.put("listStatus parent", fs -> names(fs.listStatus(new Path("s3a://b/d"))));
    ops.put("open", fs -> {
      try (FSDataInputStream in = fs.open(new Path("s3a://b/d/e/f"))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    });
    ops.put("create", fs -> write(fs, "s3a://b/d/e/new", true));
    ops.put("create no overwrite", fs -> write(fs, "s3a://b/d/e/new", false));
    ops.put("overwrite", fs -> write(fs, "s3a://b/d/e/f", true));
    ops.put("create deeper", fs -> write(fs, "s3a://b/d/e/n1/n2", true));
    ops.put("mkdirs", fs -> String.valueOf(fs.mkdirs(new Path("s3a://b/d/e/made/deeper"))));
    ops.put("rename within", fs -> String.valueOf(fs.rename(new Path("s3a://b/d/e/f"), new Path("s3a://b/d/e/g"))));
    ops.put("rename in", fs -> String.valueOf(fs.rename(new Path("s3a://b/x"), new Path("s3a://b/d/e/x"))));
    ops.put("rename out", fs -> String.valueOf(fs.rename(new Path("s3a://b/d/e/f"), new Path("s3a://b/y"))));
    ops.put("rename into folder", fs -> String.valueOf(fs.rename(new Path("s3a://b/x"), new Path("s3a://b/d/e"))));
    ops.put("delete file", fs -> String.valueOf(fs.delete(new Path("s3a://b/d/e/f"), false)));
    ops.put("delete folder", fs -> String.valueOf(fs.delete(new Path("s3a://b/d/e"), true)));
    return ops;
  }

  private static String names(FileStatus[] statuses) {
    List<String> names = new ArrayList<>();
    for (FileStatus status : statuses) {
      names.add(status.getPath().getName() + ":" + status.getLen());
    }
    return names.toString();
  }

  private static String write(FileSystem fs, String key, boolean overwrite) throws IOException {
    try (FSDataOutputStream out = fs.create(new Path(key), overwrite)) {
      out.write("written".getBytes(StandardCharsets.UTF_8));
    }
    return "written";
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String operation : operations().keySet()) {
      for (String swapped : new String[] {"b", "b/d", "b/d/e"}) {
        for (boolean relative : new boolean[] {false, true}) {
          for (int at = 1; at <= 3; at++) { // no operation passes the seam more than three times
            cases.add(Arguments.of(operation, swapped, relative, at));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1} swapped for a link (relative {2}) at pass {3}")
  @MethodSource("cases")
  void aLinkPlantedBetweenCheckAndActIsNeverGoneThrough(String operation, String swapped, boolean relative,
      int at) throws Exception {
    java.nio.file.Path root = Files.createDirectories(base.resolve("s3"));
    java.nio.file.Path outside = Files.createDirectories(base.resolve("outside"));
    Files.createDirectories(root.resolve("b/d/e"));
    Files.writeString(root.resolve("b/d/e/f"), "inside");
    Files.writeString(root.resolve("b/x"), "moved");
    // the decoy: what every folder on the way leads to once swapped, with the same names and more
    java.nio.file.Path decoy = outside.resolve(swapped);
    // the folder b/d/e of the key, as seen through the swapped folder: b/d/e less the swapped part
    java.nio.file.Path decoyE = Files.createDirectories(decoy.resolve(
        "b/d/e".substring(swapped.length()).replaceFirst("^/", "")));
    Files.writeString(decoyE.resolve("f"), DECOY);
    Files.writeString(decoyE.resolve("only-outside"), DECOY);
    Files.writeString(decoy.resolve("x"), DECOY);
    Map<String, String> before = snapshot(outside);

    AtomicInteger passes = new AtomicInteger();
    java.nio.file.Path victim = root.resolve(swapped);
    Anchored.betweenCheckAndAct = () -> {
      if (passes.incrementAndGet() == at) {
        try {
          Files.move(victim, victim.resolveSibling(victim.getFileName() + "-moved"));
          Files.createSymbolicLink(victim, relative ? victim.getParent().relativize(decoy) : decoy);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    String result;
    try (FileSystem fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root))) {
      try {
        result = operations().get(operation).run(fs);
      } catch (IOException e) {
        result = "refused: " + e.getMessage();
      }
    }
    Anchored.betweenCheckAndAct = () -> { };
    assertThat(snapshot(outside)).as("the decoy outside the bucket after %s (%s)", operation, result)
        .isEqualTo(before);
    assertThat(result).as(operation).doesNotContain(DECOY).doesNotContain("only-outside")
        .doesNotContain(":" + DECOY.length()).isNotEqualTo(String.valueOf(DECOY.length()));
    if (operation.equals("exists")) {
      assertThat(result).as("a key only the decoy holds").isEqualTo("false");
    }
  }

  /** The anchored walk starts at the folder standing in for S3: before it exists, no key does, and writes make it. */
  @org.junit.jupiter.api.Test
  void aFolderNotMadeYetHoldsNoKeyAndAWriteMakesIt() throws Exception {
    java.nio.file.Path root = base.resolve("not-yet");
    try (FileSystem fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root))) {
      for (String key : new String[] {"s3a://b/", "s3a://b/k", "s3a://b/d/k"}) {
        assertThat(fs.exists(new Path(key))).as(key).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fs.listStatus(new Path(key))).as(key)
            .isInstanceOf(java.io.FileNotFoundException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fs.open(new Path(key))).as(key)
            .isInstanceOf(java.io.FileNotFoundException.class);
        assertThat(fs.delete(new Path(key), true)).as(key).isFalse();
        assertThat(fs.rename(new Path(key), new Path("s3a://b/elsewhere"))).as(key).isFalse();
      }
      assertThat(Files.exists(root)).isFalse();
      assertThat(fs.mkdirs(new Path("s3a://b/d/e"))).isTrue();
      assertThat(root.resolve("b/d/e")).isDirectory();
    }
  }

  /** Every file and folder under {@code folder}, links as links, with the bytes of each file. */
  private static Map<String, String> snapshot(java.nio.file.Path folder) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<java.nio.file.Path> walk = Files.walk(folder)) {
      for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) walk::iterator) {
        String name = folder.relativize(entry).toString();
        if (Files.isSymbolicLink(entry)) {
          entries.put(name, "link " + Files.readSymbolicLink(entry));
        } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(name, Files.readString(entry));
        } else {
          entries.put(name, "folder");
        }
      }
    }
    return entries;
  }
}
