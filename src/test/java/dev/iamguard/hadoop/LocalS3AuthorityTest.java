package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authority of an {@code s3a://} path is the bucket, and only a bucket name: an authority
 * that is no bucket S3 or the emulation's COPY and UNLOAD accept ({@code .iamguard-staging},
 * {@code .}, {@code ..}, user info with a secret, a port) is refused for every operation, on
 * every scheme, and no refusal prints the secret of {@code user:secret@}.
 */
class LocalS3AuthorityTest {
  private static final String SECRET = "Hd0opSecret";
  private static final List<String> AUTHORITIES = List.of(".iamguard-staging", ".", "..", ".hidden",
      "AKIAKEY:" + SECRET + "@bucket", "user@bucket", "bucket:443", "AKIAKEY:" + SECRET + "@.iamguard-staging");

  @TempDir
  java.nio.file.Path root;

  interface Operation {
    void run(FileSystem fs, Path path) throws IOException;
  }

  static final List<Operation> OPERATIONS = List.of(
      (fs, p) -> fs.create(new Path(p, "new"), true).close(),
      (fs, p) -> fs.open(new Path(p, "old")).close(),
      (fs, p) -> fs.mkdirs(new Path(p, "folder")),
      (fs, p) -> fs.delete(p, true),
      (fs, p) -> fs.delete(new Path(p, "old"), false),
      (fs, p) -> fs.listStatus(p),
      (fs, p) -> fs.getFileStatus(new Path(p, "old")),
      (fs, p) -> fs.rename(new Path(p, "old"), new Path(p, "moved")));

  private Set<String> tree() throws IOException {
    return tree(root);
  }

  /** Every file and folder under {@code root}, relative to it. */
  static Set<String> tree(java.nio.file.Path root) throws IOException {
    Set<String> all = new TreeSet<>();
    try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
      walk.map(p -> root.relativize(p).toString()).forEach(all::add);
    }
    return all;
  }

  @Test
  void anAuthorityThatIsNoBucketIsRefused() throws Exception {
    Files.createDirectories(root.resolve(".iamguard-staging"));
    Files.writeString(root.resolve(".iamguard-staging/old"), "staged");
    Files.createDirectories(root.resolve(".hidden"));
    Files.writeString(root.resolve(".hidden/old"), "hidden");
    Files.writeString(root.resolve("old"), "root");
    Set<String> before = tree();
    List<String> messages = new ArrayList<>();
    int refused = 0;
    for (String scheme : List.of("s3a", "s3", "s3n")) {
      for (String authority : AUTHORITIES) {
        URI uri = URI.create(scheme + "://" + authority + "/");
        try (FileSystem fs = FileSystem.get(uri, LocalS3FileSystemTest.conf(root))) {
          for (Operation operation : OPERATIONS) {
            try {
              operation.run(fs, new Path(uri));
            } catch (IOException | IllegalArgumentException e) {
              refused++;
              messages.add(String.valueOf(e.getMessage()));
              continue;
            }
            throw new AssertionError("not refused: an operation on " + uri.toString().replace(SECRET, "***"));
          }
        }
      }
    }
    assertThat(refused).isEqualTo(3 * AUTHORITIES.size() * OPERATIONS.size());
    assertThat(tree()).isEqualTo(before);
    assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
  }
}
