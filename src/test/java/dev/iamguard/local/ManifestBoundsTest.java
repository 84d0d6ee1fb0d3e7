package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A manifest is bounded, and read in time linear in its length: a 10 MB manifest holding one long
 * string took 70 s of SnakeYAML's scanning, and one of 20 MB threw OutOfMemoryError at the caller in
 * a 256 MB heap (red-team review). Whatever a hostile manifest holds, the COPY fails with a load
 * error naming it, in seconds; an ordinary manifest up to the limit loads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ManifestBoundsTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final String ENTRY = "{\"url\": \"s3://b/data\", \"mandatory\": true}";

  @BeforeEach
  void table() throws Exception {
    db.sql("CREATE TABLE d (id INT)");
    LocalDb.put(root, "b/data", "1\n");
  }

  private LocalResult copy() throws SQLException {
    return db.run("COPY d FROM 's3://b/manifest'" + ROLE + " MANIFEST");
  }

  /** A manifest of {@code length} bytes: {@code head}, then {@code fill} repeated, then {@code tail}. */
  private void manifest(String head, String fill, String tail, long length) throws Exception {
    Path file = root.resolve("b/manifest");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(head);
      long written = head.length() + tail.length();
      while (written + fill.length() <= length) {
        out.write(fill);
        written += fill.length();
      }
      out.write(" ".repeat((int) (length - written)));
      out.write(tail);
    }
    assertThat(Files.size(file)).isEqualTo(length);
  }

  /** The shapes of one long scalar: a string value, a url, an object key, a number, a word. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"entries\": [" + ENTRY + "], \"pad\": \"%s\"}",
      "{\"entries\": [{\"url\": \"s3://b/%s\"}]}",
      "{\"entries\": [" + ENTRY + "], \"%s\": 1}",
      "{\"entries\": [" + ENTRY + "], \"pad\": 1%s}",
      "{\"entries\": [" + ENTRY + "], \"pad\": t%s}",
      "{\"entries\": [" + ENTRY + "], \"pad\": \"\\u0041%s\\\"\"}"})
  void aScalarLongerThanAnyManifestNeedsIsALoadErrorInLinearTime(String shape) throws Exception {
    String[] parts = shape.split("%s");
    char fill = shape.contains("1%s") ? '0' : shape.contains("t%s") ? 'r' : 'a';
    int longest = ManifestReader.MAX_BYTES - parts[0].length() - parts[1].length();
    for (int length : new int[] {ManifestReader.MAX_SCALAR + 1, 10 << 20, longest}) {
      Files.writeString(root.resolve("b/manifest"), parts[0] + String.valueOf(fill).repeat(length) + parts[1]);
      assertThatThrownBy(this::copy).isInstanceOf(SQLException.class)
          .hasMessageContaining("COPY manifest s3://b/manifest")
          .hasMessageContaining("longer than " + ManifestReader.MAX_SCALAR + " characters")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58030"));
    }
    assertThat(db.count("d")).isZero();
  }

  @ParameterizedTest
  @ValueSource(longs = {ManifestReader.MAX_BYTES + 1L, 20L << 20, 64L << 20})
  void aManifestBeyondTheLimitIsALoadErrorNamingItsSizeAndTheLimit(long length) throws Exception {
    for (String fill : new String[] {"a", ENTRY + ", "}) {
      manifest("{\"entries\": [" + (fill.equals("a") ? ENTRY + "], \"pad\": \"" : ""), fill.repeat(1024),
          fill.equals("a") ? "\"}" : ENTRY + "]}", length);
      assertThatThrownBy(this::copy).isInstanceOf(SQLException.class)
          .hasMessageContaining("COPY manifest s3://b/manifest is " + length + " bytes")
          .hasMessageContaining("more than the " + ManifestReader.MAX_BYTES + " bytes")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58030"));
    }
  }

  @Test
  void anOrdinaryManifestUpToTheLimitLoads() throws Exception {
    // keys of about 1,000 bytes, near S3's longest (1,024), in folders the local file system can name
    String missing = "{\"url\": \"s3://b/missing/" + ("k".repeat(199) + "/").repeat(5) + "x\", \"mandatory\": false}, ";
    manifest("{\"entries\": [", missing, ENTRY + "]}", ManifestReader.MAX_BYTES);
    assertThat(copy().rows()).isEqualTo(1);
    String longest = "{\"url\": \"s3://b/" + "k".repeat(ManifestReader.MAX_SCALAR - 7) + "\"}, ";
    manifest("{\"entries\": [", longest, ENTRY + "]}", 1 << 20);
    assertThat(copy().rows()).isEqualTo(1);
  }
}
