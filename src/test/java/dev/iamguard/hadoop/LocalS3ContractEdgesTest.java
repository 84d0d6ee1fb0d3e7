package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hadoop's FileSystem contract at its edges: a bucket's root is always a folder (a create there made
 * the bucket a plain file, which delete then called deleted while it stayed), a folder is never
 * replaced by a file, and a key under a file is missing, not an error naming the local file
 * ("Not a directory"), so exists() is false (red-team review).
 */
class LocalS3ContractEdgesTest {
  @TempDir
  java.nio.file.Path root;
  FileSystem fs;

  @BeforeEach
  void open() throws IOException {
    fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root));
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @ParameterizedTest
  @EnumSource(LocalS3AtomicWriteTest.Create.class)
  void aBucketRootOrAFolderIsNeverWrittenAsAnObject(LocalS3AtomicWriteTest.Create create) throws Exception {
    Files.createDirectories(root.resolve("b/folder/inner"));
    for (String path : new String[] {"s3a://fresh/", "s3a://b/", "s3a://b/folder", "s3a://b/folder/",
        "s3a://b/folder/inner"}) {
      try (FileSystem bucket = FileSystem.get(URI.create(path), LocalS3FileSystemTest.conf(root))) {
        for (boolean overwrite : new boolean[] {true, false}) {
          assertThatThrownBy(() -> create.open(bucket, new Path(path), overwrite).close())
              .as(path).isInstanceOf(FileAlreadyExistsException.class);
        }
      }
    }
    assertThat(Files.exists(root.resolve("fresh"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(root.resolve("b/folder/inner")).isDirectory();
    assertThat(fs.getFileStatus(new Path("s3a://b/folder")).isDirectory()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(LocalS3AtomicWriteTest.Create.class)
  void aKeyUnderAnObjectIsNeverCreated(LocalS3AtomicWriteTest.Create create) throws Exception {
    Files.createDirectories(root.resolve("b/a"));
    Files.writeString(root.resolve("b/a/f"), "object");
    for (String path : new String[] {"s3a://b/a/f/g", "s3a://b/a/f/g/h"}) {
      assertThatThrownBy(() -> create.open(fs, new Path(path), true).close()).as(path)
          .isInstanceOfAny(ParentNotDirectoryException.class, FileNotFoundException.class);
    }
    assertThat(root.resolve("b/a/f")).hasContent("object");
  }

  @Test
  void aKeyUnderAnObjectIsMissingAndNamesNoLocalFile() throws Exception {
    Files.createDirectories(root.resolve("b/a"));
    Files.writeString(root.resolve("b/a/f"), "object");
    for (String path : new String[] {"s3a://b/a/f/g", "s3a://b/a/f/g/h", "s3a://b/a/f/"}) {
      if (!path.endsWith("/")) {
        assertThat(fs.exists(new Path(path))).as(path).isFalse();
        assertThatThrownBy(() -> fs.getFileStatus(new Path(path))).as(path).isInstanceOf(FileNotFoundException.class)
            .hasMessageNotContaining(root.resolve("b/a/f").toString());
      }
    }
    assertThat(fs.exists(new Path("s3a://b/a/f"))).isTrue();
    assertThat(fs.delete(new Path("s3a://b/a/f/g"), true)).isFalse();
  }

  @Test
  void aFileWhereABucketBelongsIsNeverCalledDeleted() throws Exception {
    Files.writeString(root.resolve("notabucket"), "x");
    FileSystem other = FileSystem.get(URI.create("s3a://notabucket/"), LocalS3FileSystemTest.conf(root));
    for (boolean recursive : new boolean[] {true, false}) {
      assertThat(other.delete(new Path("s3a://notabucket/"), recursive)).isFalse();
    }
    assertThat(root.resolve("notabucket")).hasContent("x");
    other.close();
  }
}
