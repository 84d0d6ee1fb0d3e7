package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.local.LocalS3;
import dev.iamguard.sql.SqlScript;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An object appears only when its writer closes, whole, as S3A uploads it: the file system handed
 * the key's own file to Hadoop's local writer, so a COPY during a write loaded a truncated last row,
 * an overwrite emptied the old object before the new one was written, and two writers of one key
 * left bytes neither wrote (red-team review). Every way of creating a writer is checked.
 */
class LocalS3AtomicWriteTest {
  @TempDir
  java.nio.file.Path root;
  FileSystem fs;
  Connection h2;

  /** The ways Hadoop hands out a writer of one key. */
  enum Create {
    CREATE {
      @Override
      FSDataOutputStream open(FileSystem fs, Path path, boolean overwrite) throws IOException {
        return fs.create(path, overwrite);
      }
    },
    NON_RECURSIVE {
      @Override
      FSDataOutputStream open(FileSystem fs, Path path, boolean overwrite) throws IOException {
        EnumSet<CreateFlag> flags = overwrite ? EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE)
            : EnumSet.of(CreateFlag.CREATE);
        return fs.createNonRecursive(path, FsPermission.getFileDefault(), flags, 4096, (short) 1, 1 << 20, null);
      }
    },
    BUILDER {
      @Override
      FSDataOutputStream open(FileSystem fs, Path path, boolean overwrite) throws IOException {
        return fs.createFile(path).overwrite(overwrite).recursive().build();
      }
    };

    abstract FSDataOutputStream open(FileSystem fs, Path path, boolean overwrite) throws IOException;
  }

  @BeforeEach
  void open() throws Exception {
    fs = FileSystem.get(URI.create("s3a://b/"), LocalS3FileSystemTest.conf(root));
    Files.createDirectories(root.resolve("b/stage"));
    h2 = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
    try (Statement statement = h2.createStatement()) {
      statement.execute("CREATE TABLE t (id INT, name VARCHAR(20))");
    }
  }

  @AfterEach
  void close() throws Exception {
    fs.close();
    h2.close();
  }

  private static Path key(String key) {
    return new Path("s3a://b/stage/" + key);
  }

  private static void write(FSDataOutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** One whole object, written and closed. */
  private void put(Create create, String key, boolean overwrite, String text) throws IOException {
    try (FSDataOutputStream out = create.open(fs, key(key), overwrite)) {
      write(out, text);
    }
  }

  private String read(String key) throws IOException {
    try (var in = fs.open(key(key))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The rows an emulated COPY of the prefix loads now (the table emptied first). */
  private List<String> copy() throws SQLException {
    try (Statement statement = h2.createStatement()) {
      statement.execute("DELETE FROM t");
    }
    new LocalS3(root).execute(h2, SqlScript.parse("COPY t FROM 's3://b/stage/'"
        + " IAM_ROLE 'arn:aws:iam::123456789012:role/R'").statements().get(0));
    List<String> rows = new ArrayList<>();
    try (Statement statement = h2.createStatement(); ResultSet rs = statement.executeQuery("SELECT * FROM t ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + "|" + rs.getString(2));
      }
    }
    return rows;
  }

  /** The object's file, if any, and nothing else in the bucket: nothing of a write is anywhere a key reaches. */
  private List<String> bucket() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("b"))) {
      return files.filter(Files::isRegularFile).map(f -> root.resolve("b").relativize(f).toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void nothingOfAnOpenWriterIsSeenAndItsObjectAppearsWholeAtClose(Create create) throws Exception {
    FSDataOutputStream out = create.open(fs, key("part-0"), true);
    write(out, "1|alpha\n2|beta\n3|gam");
    out.hflush();
    out.hsync();
    assertThatThrownBy(this::copy).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
    assertThat(fs.exists(key("part-0"))).isFalse();
    assertThat(fs.listStatus(key(""))).isEmpty();
    assertThat(bucket()).isEmpty();
    write(out, "ma\n");
    out.close();
    assertThat(copy()).containsExactly("1|alpha", "2|beta", "3|gamma");
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void anOverwrittenObjectStaysWholeUntilTheNewOneCloses(Create create) throws Exception {
    put(create, "data", true, "1|old\n2|old\n");
    FSDataOutputStream out = create.open(fs, key("data"), true);
    write(out, "9|new\n");
    out.hflush();
    assertThat(copy()).containsExactly("1|old", "2|old");
    assertThat(read("data")).isEqualTo("1|old\n2|old\n");
    out.close();
    assertThat(copy()).containsExactly("9|new");
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void ofTwoWritersOfOneKeyTheLastToCloseWinsWhole(Create create) throws Exception {
    for (boolean firstClosesLast : new boolean[] {true, false}) {
      FSDataOutputStream first = create.open(fs, key("k"), true);
      write(first, "A".repeat(10_000));
      first.hflush();
      FSDataOutputStream second = create.open(fs, key("k"), true);
      write(second, "B".repeat(5_000));
      if (firstClosesLast) {
        second.close();
        assertThat(read("k")).isEqualTo("B".repeat(5_000));
        write(first, "C".repeat(10));
        first.close();
        assertThat(read("k")).isEqualTo("A".repeat(10_000) + "C".repeat(10));
      } else {
        write(first, "C".repeat(10));
        first.close();
        second.close();
        assertThat(read("k")).isEqualTo("B".repeat(5_000));
      }
    }
    assertThat(bucket()).containsExactly("stage/k");
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void anAbortedOrAbandonedWriterLeavesNothingAndTheOldObjectIntact(Create create) throws Exception {
    put(create, "kept", true, "1|kept\n");
    FSDataOutputStream aborted = create.open(fs, key("kept"), true);
    write(aborted, "2|lost\n");
    assertThat(aborted.abort().alreadyClosed()).isFalse();
    aborted.close();
    FSDataOutputStream abandoned = create.open(fs, key("fresh"), true);
    write(abandoned, "3|never closed\n");
    abandoned.hflush();
    assertThat(copy()).containsExactly("1|kept");
    assertThat(bucket()).containsExactly("stage/kept");
    assertThat(fs.exists(key("fresh"))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void withoutOverwriteAnExistingObjectIsNeverReplaced(Create create) throws Exception {
    put(create, "x", false, "1|first\n");
    assertThatThrownBy(() -> create.open(fs, key("x"), false)).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("s3a://b/stage/x");
    // two writers that both found the key free: the first to close creates it, the other never replaces it
    FSDataOutputStream one = create.open(fs, key("y"), false);
    FSDataOutputStream two = create.open(fs, key("y"), false);
    write(one, "AAAA");
    write(two, "BB");
    two.close();
    assertThatThrownBy(one::close).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("s3a://b/stage/y").hasMessageNotContaining(root.toString());
    assertThat(read("x")).isEqualTo("1|first\n");
    assertThat(read("y")).isEqualTo("BB");
    assertThat(bucket()).containsExactly("stage/x", "stage/y");
  }

  @ParameterizedTest
  @EnumSource(Create.class)
  void aWriteNeverFoundItsParentsMadeBeforeClose(Create create) throws Exception {
    if (create == Create.NON_RECURSIVE) {
      assertThatThrownBy(() -> create.open(fs, key("new/part"), true)).isInstanceOf(FileNotFoundException.class);
      return;
    }
    FSDataOutputStream out = create.open(fs, key("new/deeper/part"), true);
    write(out, "1|x\n");
    assertThat(Files.exists(root.resolve("b/stage/new"))).isFalse();
    out.close();
    assertThat(read("new/deeper/part")).isEqualTo("1|x\n");
  }
}
