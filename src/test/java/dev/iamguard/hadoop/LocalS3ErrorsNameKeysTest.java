package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of the local S3 FileSystem names the key, never the local file behind it: a key's
 * local path is the emulation's business, and a Spark job's log should read as it would on S3.
 * For each failing operation (a folder made over or under an object, an object made over a folder
 * or under an object, a folder or bucket opened, a missing key opened, listed or read for status, a
 * non-empty folder deleted without recursion) and for keys of several shapes, the message holds the
 * key and never the local file behind it (a missing key's message may name the configured local S3
 * folder itself, where it was looked for). Folders made over or under an object and folders opened
 * named the local file before (a probe of review fxJ).
 */
class LocalS3ErrorsNameKeysTest {
  @TempDir
  java.nio.file.Path root;

  /** Keys of different shapes, each standing where the operations below put "K". */
  static final List<String> KEY_SHAPES = List.of("f", "dir/f", "a b/c d", "ü/ñ.txt", "x%20y/z", "d1/d2/d3/leaf");

  /** An operation that must fail, given a file system and a key of an object that exists. */
  interface Failing {
    void run(FileSystem fs, String objectKey) throws IOException;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String key : KEY_SHAPES) {
      all.add(Arguments.of("mkdirs over an object", key, (Failing) (fs, k) -> fs.mkdirs(new Path("s3a://b/" + k))));
      all.add(Arguments.of("mkdirs under an object", key, (Failing) (fs, k) -> fs.mkdirs(new Path("s3a://b/" + k + "/sub"))));
      all.add(Arguments.of("create under an object", key,
          (Failing) (fs, k) -> fs.create(new Path("s3a://b/" + k + "/sub"), true).close()));
      all.add(Arguments.of("open a folder", key, (Failing) (fs, k) -> fs.open(new Path("s3a://b/" + k + "-dir")).close()));
      all.add(Arguments.of("create over a folder", key,
          (Failing) (fs, k) -> fs.create(new Path("s3a://b/" + k + "-dir"), true).close()));
      all.add(Arguments.of("open a missing key", key, (Failing) (fs, k) -> fs.open(new Path("s3a://b/" + k + "-missing")).close()));
      all.add(Arguments.of("status of a missing key", key,
          (Failing) (fs, k) -> fs.getFileStatus(new Path("s3a://b/" + k + "-missing"))));
      all.add(Arguments.of("list a missing key", key, (Failing) (fs, k) -> fs.listStatus(new Path("s3a://b/" + k + "-missing"))));
      all.add(Arguments.of("delete a full folder without recursion", key,
          (Failing) (fs, k) -> fs.delete(new Path("s3a://b/" + k + "-dir"), false)));
      all.add(Arguments.of("create without overwrite over an object", key,
          (Failing) (fs, k) -> fs.create(new Path("s3a://b/" + k), false).close()));
    }
    all.add(Arguments.of("open a bucket", "f", (Failing) (fs, k) -> fs.open(new Path("s3a://b/")).close()));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void aRefusalNamesTheKeyAndNoLocalPath(String operation, String key, Failing failing) throws IOException {
    java.nio.file.Path object = root.resolve("b").resolve(key);
    Files.createDirectories(object.getParent());
    Files.writeString(object, "data");
    Files.createDirectories(root.resolve("b").resolve(key + "-dir"));
    Files.writeString(root.resolve("b").resolve(key + "-dir").resolve("inner"), "x");
    FileSystem fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root));

    Throwable thrown = catchThrowable(() -> failing.run(fs, key));

    assertThat(thrown).as(operation).isInstanceOf(IOException.class);
    String message = thrown.toString();
    assertThat(message).as(operation)
        .doesNotContain(root.resolve("b").toString())
        .doesNotContain(root.toRealPath().resolve("b").toString())
        .doesNotContain("file:")
        .containsAnyOf("s3a://b/", "b/" + key);
  }
}
