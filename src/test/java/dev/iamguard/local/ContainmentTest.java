package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local S3 folder is a jail: a symbolic link inside it (to a file, a folder, the bucket, the
 * staging folder, or named by a manifest) never lets COPY read or UNLOAD write outside it; and a
 * key or extension no file name can carry is an invalid value (22023), not a runtime exception.
 */
class ContainmentTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  /** A folder outside the local S3 folder, holding what must never be read or written through it. */
  @TempDir
  Path outside;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(outside.resolve("secret"), "42|secret\n", StandardCharsets.UTF_8);
    db.sql("CREATE TABLE t (id INT, name VARCHAR(20))");
  }

  private static String state(Throwable e) {
    return ((SQLException) e).getSQLState();
  }

  private void assertRefused(String sql) {
    assertThatThrownBy(() -> db.run(sql))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("symbolic link that leads outside the bucket folder")
        .satisfies(e -> assertThat(state(e)).isEqualTo("58030"));
  }

  @Test
  void aFileLinkLeavingTheBucketIsRefusedNotRead() throws Exception {
    LocalDb.put(root, "b/in/part1", "1|one\n");
    Files.createSymbolicLink(root.resolve("b/in/part2"), outside.resolve("secret"));

    assertRefused("COPY t FROM 's3://b/in/part'" + ROLE);
    assertThat(db.count("t")).isZero();
  }

  @Test
  void aFileLinkNamedExactlyIsRefused() throws Exception {
    Files.createDirectories(root.resolve("b"));
    Files.createSymbolicLink(root.resolve("b/data"), outside.resolve("secret"));

    assertRefused("COPY t FROM 's3://b/data'" + ROLE);
    assertThat(db.count("t")).isZero();
  }

  @Test
  void aFolderLinkLeavingTheBucketIsRefused() throws Exception {
    Files.createDirectories(root.resolve("b"));
    Files.createSymbolicLink(root.resolve("b/in"), outside);

    assertRefused("COPY t FROM 's3://b/in/'" + ROLE);
    assertRefused("COPY t FROM 's3://b/in/secret'" + ROLE);
    assertThat(db.count("t")).isZero();
  }

  @Test
  void aBucketThatIsALinkIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("b"), outside);

    assertRefused("COPY t FROM 's3://b/secret'" + ROLE);
    assertRefused("UNLOAD ('select 1 as x') TO 's3://b/out/x_'" + ROLE);
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
    }
  }

  /*
   * Was aLinkInsideTheBucketThatStaysInsideIsRead (1 row loaded). Probe 23c L2: through such a link
   * a COPY loaded an object the role is denied (IAM Deny on data/secret/*) under a permitted key;
   * ObjectStore.pathToWrite already refused in-bucket links for UNLOAD for that reason ("through a
   * link an UNLOAD would write ... objects of another prefix than the one the guard checked"), and S3
   * has no links to emulate. Reads now follow the same rule; InBucketLinksTest covers the layouts.
   */
  @Test
  void aLinkInsideTheBucketThatStaysInsideIsRefused() throws Exception {
    LocalDb.put(root, "b/real/part", "1|one\n");
    Files.createDirectories(root.resolve("b/in"));
    Files.createSymbolicLink(root.resolve("b/in/part"), root.resolve("b/real/part"));

    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/in/part'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("never through a link")
        .satisfies(e -> assertThat(state(e)).isEqualTo("58030"));
    assertThat(db.count("t")).isZero();
  }

  @Test
  void aManifestEntryThatIsALinkIsRefused() throws Exception {
    Files.createDirectories(root.resolve("b/in"));
    Files.createSymbolicLink(root.resolve("b/in/data"), outside.resolve("secret"));
    LocalDb.put(root, "b/in/manifest", "{\"entries\": [{\"url\": \"s3://b/in/data\", \"mandatory\": true}]}");

    assertRefused("COPY t FROM 's3://b/in/manifest'" + ROLE + " MANIFEST");
    assertThat(db.count("t")).isZero();
  }

  @Test
  void aManifestThatIsALinkIsRefused() throws Exception {
    Files.writeString(outside.resolve("manifest"), "{\"entries\": [{\"url\": \"s3://b/in/data\"}]}");
    LocalDb.put(root, "b/in/data", "1|one\n");
    Files.createSymbolicLink(root.resolve("b/in/manifest"), outside.resolve("manifest"));

    assertRefused("COPY t FROM 's3://b/in/manifest'" + ROLE + " MANIFEST");
  }

  @Test
  void unloadNeverWritesThroughAFolderLink() throws Exception {
    Files.createDirectories(root.resolve("b"));
    Files.createSymbolicLink(root.resolve("b/out"), outside);

    assertRefused("UNLOAD ('select 1 as x') TO 's3://b/out/x_'" + ROLE);
    assertRefused("UNLOAD ('select 1 as x') TO 's3://b/out/deeper/x_'" + ROLE);
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
    }
  }

  @Test
  void unloadNeverStagesThroughALinkedStagingFolder() throws Exception {
    Files.createSymbolicLink(root.resolve(".iamguard-staging"), outside);

    assertThatThrownBy(() -> db.run("UNLOAD ('select 1 as x') TO 's3://b/out/x_'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("staging folder")
        .satisfies(e -> assertThat(state(e)).isEqualTo("58030"));
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
    }
    assertThat(Files.exists(root.resolve("b/out"))).isFalse();
  }

  @Test
  void aDanglingLinkIsRefused() throws Exception {
    Files.createDirectories(root.resolve("b/in"));
    Files.createSymbolicLink(root.resolve("b/in/part"), outside.resolve("missing"));

    assertRefused("COPY t FROM 's3://b/in/'" + ROLE);
  }

  @Test
  void aNulInAKeyIsAnInvalidValue() {
    for (String sql : List.of("COPY t FROM 's3://b/in/pa\u0000rt'" + ROLE,
        "UNLOAD ('select 1 as x') TO 's3://b/out\u0000/x_'" + ROLE,
        "COPY t FROM 's3://b\u0000c/in/part'" + ROLE)) {
      assertThatThrownBy(() -> db.run(sql))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("character no local")
          .satisfies(e -> assertThat(state(e)).isEqualTo("22023"));
    }
  }

  @Test
  void aNulInAManifestUrlIsAnInvalidValue() throws Exception {
    LocalDb.put(root, "b/in/manifest", "{\"entries\": [{\"url\": \"s3://b/in/da\\u0000ta\"}]}");

    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/in/manifest'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(state(e)).isEqualTo("22023"));
  }

  @Test
  void aBadExtensionIsAnInvalidValue() {
    for (String extension : List.of("c\u0000sv", "a\\b", "x\ny", "\u009b31m")) {
      assertThatThrownBy(() -> db.run("UNLOAD ('select 1 as x') TO 's3://b/out/x_'" + ROLE + " EXTENSION '"
          + extension + "'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("EXTENSION")
          .satisfies(e -> assertThat(state(e)).isEqualTo("22023"));
    }
    assertThat(Files.exists(root.resolve("b"))).isFalse();
  }

  @Test
  void aDeeplyNestedManifestIsAReadErrorNotAStackOverflow() throws Exception {
    LocalDb.put(root, "b/in/manifest", "[".repeat(20_000) + "]".repeat(20_000));

    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/in/manifest'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("nests more than")
        .satisfies(e -> assertThat(state(e)).isEqualTo("58030"));
  }

  @Test
  void aDeeplyNestedJsonRecordIsALoadErrorNotAStackOverflow() throws Exception {
    LocalDb.put(root, "b/in/deep.json", "{\"id\": 1, \"name\": " + "[".repeat(20_000) + "]".repeat(20_000) + "}\n");

    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/in/deep.json'" + ROLE + " JSON 'auto'"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("nests more than 64 levels")
        .satisfies(e -> assertThat(state(e)).isEqualTo("22P04"));
  }
}
