package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LocalS3FileSystem} through Hadoop's own FileSystem API, as Spark uses it. */
class LocalS3FileSystemTest {
  @TempDir
  java.nio.file.Path root;
  FileSystem fs;

  static Configuration conf(java.nio.file.Path root) {
    Configuration conf = new Configuration(false);
    for (String scheme : new String[] {"s3", "s3a", "s3n"}) {
      conf.set("fs." + scheme + ".impl", LocalS3FileSystem.class.getName());
      conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
    }
    conf.set(LocalS3FileSystem.ROOT, root.toString());
    return conf;
  }

  @BeforeEach
  void open() throws IOException {
    fs = FileSystem.get(URI.create("s3a://bucket/"), conf(root));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void objectsAreFilesOfTheLocalFolderWhereCopyAndUnloadLook() throws IOException {
    assertThat(fs).isInstanceOf(LocalS3FileSystem.class);
    write(fs, new Path("s3a://bucket/stage/part-0000.csv"), "1,a\n");
    assertThat(root.resolve("bucket/stage/part-0000.csv")).hasContent("1,a");
    Files.writeString(root.resolve("bucket/stage/manifest.json"), "{}");
    assertThat(read(fs, new Path("s3a://bucket/stage/manifest.json"))).isEqualTo("{}");
  }

  @Test
  void listStatusAndGetFileStatusAnswerWithS3Paths() throws IOException {
    write(fs, new Path("s3a://bucket/out/a"), "12345");
    assertThat(fs.mkdirs(new Path("s3a://bucket/out/sub"))).isTrue();
    FileStatus[] listed = fs.listStatus(new Path("s3a://bucket/out"));
    assertThat(Arrays.stream(listed).map(s -> s.getPath().toString()).sorted())
        .containsExactly("s3a://bucket/out/a", "s3a://bucket/out/sub");
    FileStatus file = fs.getFileStatus(new Path("s3a://bucket/out/a"));
    assertThat(file.getLen()).isEqualTo(5);
    assertThat(file.isFile()).isTrue();
    assertThat(fs.getFileStatus(new Path("s3a://bucket/out/sub")).isDirectory()).isTrue();
    assertThatThrownBy(() -> fs.getFileStatus(new Path("s3a://bucket/missing")))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void renameAndDeleteMoveTheFiles() throws IOException {
    write(fs, new Path("s3a://bucket/tmp/_temporary/part-1"), "x");
    assertThat(fs.rename(new Path("s3a://bucket/tmp/_temporary/part-1"), new Path("s3a://bucket/tmp/part-1")))
        .isTrue();
    assertThat(root.resolve("bucket/tmp/part-1")).exists();
    assertThat(fs.delete(new Path("s3a://bucket/tmp"), true)).isTrue();
    assertThat(root.resolve("bucket/tmp")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "s3n"})
  void theOtherSchemesMapOntoTheSameFolder(String scheme) throws IOException {
    write(fs, new Path("s3a://bucket/shared"), "same");
    try (FileSystem other = FileSystem.get(URI.create(scheme + "://bucket/"), conf(root))) {
      assertThat(read(other, new Path(scheme + "://bucket/shared"))).isEqualTo("same");
      assertThat(other.listStatus(new Path(scheme + "://bucket/"))[0].getPath().toString())
          .isEqualTo(scheme + "://bucket/shared");
    }
  }

  @Test
  void nothingEscapesTheFolder() throws IOException {
    java.nio.file.Path outside = Files.createTempDirectory("outside");
    try {
      Files.writeString(outside.resolve("secret"), "no");
      Files.createDirectories(root.resolve("bucket"));
      Files.createSymbolicLink(root.resolve("bucket/link"), outside);
      assertThatThrownBy(() -> fs.open(new Path("s3a://bucket/link/secret"))).isInstanceOf(IOException.class)
          .hasMessageContaining("symbolic link");
      assertThatThrownBy(() -> fs.listStatus(new Path("s3a://bucket/link"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> fs.create(new Path("s3a://bucket/link/new"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> fs.open(new Path("s3a://bucket/a/../../etc/passwd"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> fs.append(new Path("s3a://bucket/x"))).hasMessageContaining("append");
      assertThat(outside.resolve("new")).doesNotExist();
    } finally {
      Files.deleteIfExists(outside.resolve("secret"));
      Files.deleteIfExists(outside);
    }
  }
}
