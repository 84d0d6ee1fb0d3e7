package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probe 23c L2 (and probe 21b L1): the Hadoop face reads and writes bytes as the emulated COPY
 * reads and UNLOAD writes them, never through a symbolic link, even one inside the bucket, so
 * both faces of the folder agree. Over file links, folder links and chains of both (relative and
 * absolute), opening or creating through the link fails and leaves every object as it was; a plain
 * key beside them still opens.
 */
class LocalS3InBucketLinksTest {
  @TempDir
  java.nio.file.Path root;
  FileSystem fs;

  @BeforeEach
  void open() throws IOException {
    fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root));
    for (String[] object : new String[][] {{"data/a.txt", "1|a"}, {"data/secret/s.txt", "2|secret"},
        {"other/o.txt", "3|other"}, {"real/a.txt", "4|real"}}) {
      java.nio.file.Path file = root.resolve("b").resolve(object[0]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, object[1]);
    }
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  /** The key read through the first link, then the links (at, target). */
  static Stream<Arguments> layouts() {
    String[][][] layouts = {
        {{"data/lnk"}, {"data/lnk", "data/secret/s.txt"}},
        {{"data/lnk"}, {"data/lnk", "data/a.txt"}},
        {{"data/lnk"}, {"data/lnk", "other/o.txt"}},
        {{"data/ldir/o.txt"}, {"data/ldir", "other"}},
        {{"data/lnk"}, {"data/lnk", "data/l2"}, {"data/l2", "data/secret/s.txt"}},
        {{"data/ldir/o.txt"}, {"data/ldir", "data/l2"}, {"data/l2", "other"}},
        {{"top/a.txt"}, {"top", "real"}}};
    List<Arguments> all = new ArrayList<>();
    for (String[][] layout : layouts) {
      all.add(Arguments.of(layout, true));
      all.add(Arguments.of(layout, false));
    }
    return all.stream();
  }

  private void make(String[][] layout, boolean relative) throws IOException {
    java.nio.file.Path bucket = root.resolve("b");
    for (int i = 1; i < layout.length; i++) {
      java.nio.file.Path at = bucket.resolve(layout[i][0]);
      Files.createDirectories(at.getParent());
      java.nio.file.Path target = bucket.resolve(layout[i][1]);
      Files.createSymbolicLink(at, relative ? at.getParent().relativize(target) : target);
    }
  }

  private String contents() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String key : new String[] {"data/a.txt", "data/secret/s.txt", "other/o.txt", "real/a.txt"}) {
      all.append(Files.readString(root.resolve("b").resolve(key))).append(';');
    }
    return all.toString();
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void noBytesAreReadOrWrittenThroughALink(String[][] layout, boolean relative) throws IOException {
    make(layout, relative);
    String before = contents();
    Path key = new Path("s3a://b/" + layout[0][0]);

    assertThatThrownBy(() -> fs.open(key).close()).isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> {
      try (FSDataOutputStream out = fs.create(key, true)) {
        out.write("9|written".getBytes(StandardCharsets.UTF_8));
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("symbolic link");

    assertThat(contents()).isEqualTo(before);
    try (FSDataInputStream in = fs.open(new Path("s3a://b/data/a.txt"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1|a");
    }
  }
}
