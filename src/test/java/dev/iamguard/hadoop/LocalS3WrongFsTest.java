package dev.iamguard.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path whose authority holds user info ({@code s3a://KEY:secret@bucket/...}) given to a local S3
 * file system of another authority is refused by Hadoop's "Wrong FS" check, whose message printed
 * the path, secret and all; and a file system opened on such a URI printed it back in
 * {@code getUri()}, {@code toString()} and every "expected:" part. Neither prints the secret (as
 * written or percent-decoded) now, for every operation and scheme; nothing on disk changes.
 */
class LocalS3WrongFsTest {
  private static final String SECRET = "Wr0ngFsSecret";
  private static final List<String> USER_INFOS = List.of("AKIAKEY:" + SECRET, "AKIAKEY:" + SECRET + "%40x",
      SECRET, "AKIAKEY:" + SECRET.replace("0", "%30"), "a%3Ab:" + SECRET);

  @TempDir
  java.nio.file.Path root;

  /** Every operation of {@link LocalS3AuthorityTest}, and two that only qualify or look. */
  private static final List<LocalS3AuthorityTest.Operation> OPERATIONS = Stream.concat(
      LocalS3AuthorityTest.OPERATIONS.stream(), Stream.<LocalS3AuthorityTest.Operation>of(
          (fs, p) -> fs.exists(new Path(p, "old")),
          (fs, p) -> fs.makeQualified(new Path(p, "old")))).toList();

  private Set<String> tree() throws IOException {
    return LocalS3AuthorityTest.tree(root);
  }

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(SECRET);
    assertThat(URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8)).doesNotContain(SECRET);
  }

  @Test
  void aPathWithUserInfoOnAnotherFileSystemIsRefusedWithoutItsSecret() throws Exception {
    Files.createDirectories(root.resolve("bucket"));
    Files.writeString(root.resolve("bucket/old"), "kept");
    Set<String> before = tree();
    List<String> messages = new ArrayList<>();
    for (String scheme : List.of("s3a", "s3", "s3n")) {
      try (FileSystem fs = FileSystem.get(URI.create(scheme + "://bucket/"), LocalS3FileSystemTest.conf(root))) {
        for (String userInfo : USER_INFOS) {
          for (String bucket : List.of("bucket", "other")) {
            Path path = new Path(scheme + "://" + userInfo + "@" + bucket + "/");
            for (LocalS3AuthorityTest.Operation operation : OPERATIONS) {
              try {
                operation.run(fs, path);
              } catch (IOException | IllegalArgumentException e) {
                messages.add(String.valueOf(e.getMessage()));
                continue;
              }
              throw new AssertionError("not refused: an operation on " + path.toString().replace(SECRET, "***"));
            }
          }
        }
      }
    }
    assertThat(messages).hasSize(3 * USER_INFOS.size() * 2 * OPERATIONS.size())
        .allSatisfy(LocalS3WrongFsTest::assertNoSecret)
        .allSatisfy(m -> assertThat(m).startsWith("Wrong FS: ").contains("***@"));
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void aFileSystemOpenedOnAUriWithUserInfoNeverPrintsIt() throws Exception {
    Files.createDirectories(root.resolve("bucket"));
    Files.writeString(root.resolve("bucket/old"), "kept");
    Set<String> before = tree();
    for (String userInfo : USER_INFOS) {
      URI uri = URI.create("s3a://" + userInfo + "@bucket/");
      try (FileSystem fs = FileSystem.get(uri, LocalS3FileSystemTest.conf(root))) {
        List<String> printed = new ArrayList<>(List.of(fs.getUri().toString(), fs.toString(),
            fs.getWorkingDirectory().toString(), fs.makeQualified(new Path("x")).toString()));
        for (Path other : List.of(new Path("s3a://other/"), new Path(uri), new Path("s3a://" + userInfo + "@other/"))) {
          try {
            fs.getFileStatus(new Path(other, "old"));
            printed.add("read " + other.toString().replace(SECRET, "***"));
          } catch (IOException | IllegalArgumentException e) {
            printed.add(String.valueOf(e.getMessage()));
          }
        }
        assertThat(printed).allSatisfy(LocalS3WrongFsTest::assertNoSecret);
      }
    }
    assertThat(tree()).isEqualTo(before);
  }

  /**
   * Secret keys are 40 base64 chars, and about half hold a {@code /}, where a URI ends its authority:
   * {@code s3a://KEY:secr/et@bucket/} has the authority {@code KEY:secr}, no user info, so masking
   * by the parsed user info printed it whole. Every position of the {@code /} (and of two), on a
   * file system of a bucket and on one opened on such a URI: no message or name shows the key id or
   * any piece of the secret of four chars or more, nothing is served, nothing changes on disk.
   */
  @Test
  void aSecretHoldingASlashIsNeverPrinted() throws Exception {
    Files.createDirectories(root.resolve("bucket"));
    Files.writeString(root.resolve("bucket/old"), "kept");
    Set<String> before = tree();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+";
    java.util.Random random = new java.util.Random(17);
    List<String> printed = new ArrayList<>();
    int checked = 0;
    for (int slash = 1; slash < 40; slash++) {
      StringBuilder secret = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        secret.append(i == slash || (slash % 3 == 0 && i == 39 - slash / 3) ? '/' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String keyId = "AKIASLASH" + (1000 + slash);
      String userInfo = keyId + ":" + secret;
      List<String> pieces = new ArrayList<>(List.of(keyId));
      for (String piece : secret.toString().split("/")) {
        if (piece.length() >= 4) {
          pieces.add(piece);
        }
      }
      printed.clear();
      try (FileSystem bucket = FileSystem.get(URI.create("s3a://bucket/"), LocalS3FileSystemTest.conf(root));
          FileSystem named = FileSystem.get(URI.create("s3a://" + userInfo + "@bucket/"), LocalS3FileSystemTest.conf(root))) {
        printed.addAll(List.of(named.getUri().toString(), named.toString(), named.getWorkingDirectory().toString(),
            named.makeQualified(new Path("x")).toString()));
        for (FileSystem fs : List.of(bucket, named)) {
          for (String target : List.of("bucket", "other")) {
            Path path = new Path("s3a://" + userInfo + "@" + target + "/");
            for (LocalS3AuthorityTest.Operation operation : OPERATIONS) {
              try {
                operation.run(fs, path);
              } catch (IOException | IllegalArgumentException e) {
                printed.add(String.valueOf(e.getMessage()));
                continue;
              }
              throw new AssertionError("not refused: an operation on a path with a key id at slash " + slash);
            }
          }
        }
      }
      for (String text : printed) {
        String decoded = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        for (String piece : pieces) {
          assertThat(text).as("slash at %d", slash).doesNotContain(piece);
          assertThat(decoded).as("slash at %d", slash).doesNotContain(piece);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(39 * 2 * 2 * OPERATIONS.size());
    assertThat(tree()).isEqualTo(before);
  }
}
