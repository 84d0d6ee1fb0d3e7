package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline with a char outside the BMP wherever it stands, at the edges of the YAML library's
 * 1,024-char buffer above all (a file name with an emoji, a comment): the library read the second
 * half of the pair past the end of its buffer, and {@code check --baseline} printed an
 * IndexOutOfBoundsException's stack trace. Each baseline loads, with the file name written.
 */
class BaselineAstralCharTest {
  private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  @Test
  void aBaselineLoadsWhereverItsCharOutsideTheBmpStands() throws Exception {
    for (String astral : new String[] {"\uD83D\uDE00", "\uD834\uDD1E"}) {
      for (int pad = 940; pad < 1100; pad++) {
        for (int copies = 1; copies <= 2; copies++) { // the second copy lands at the next buffer's edge
          String name = ("a".repeat(pad) + astral + "b").repeat(copies) + ".sql";
          Path file = dir.resolve("baseline.json");
          Files.writeString(file, "{\"iamguard_baseline\": 1, \"findings\": [{\"file\": \"" + name
              + "\", \"rule\": \"ROLE_UNKNOWN\", \"fingerprint\": \"" + FINGERPRINT + "\", \"count\": 1}]}\n",
              StandardCharsets.UTF_8);
          assertThat(Baseline.load(file).forFile(name)).as(astral + " after " + pad + " chars, " + copies)
              .isEqualTo(Map.of(FINGERPRINT, 1));
        }
      }
    }
  }

  @Test
  void checkAcceptsItsOwnBaselineOfAFileWhoseNameHasAnEmojiAtTheBuffersEdge() throws Exception {
    String registry = Path.of("samples", "registry.yaml").toAbsolutePath().toString();
    String emoji = "\uD83D\uDE00";
    Path folder = dir.resolve("x".repeat(200)).resolve("y".repeat(200)).resolve("z".repeat(200)).resolve("w".repeat(200));
    Files.createDirectories(folder);
    // where the name's emoji stands in the baseline for a name of 10 chars before it; then names that put it
    // on the char before, at and after the library's 1,024 (a name's chars stand in the baseline one to one)
    int at = emojiInBaseline(registry, folder, 10, emoji);
    assertThat(at).isBetween(800, 1000);
    for (int target = 1021; target <= 1026; target++) {
      int before = 10 + target - at;
      assertThat(emojiInBaseline(registry, folder, before, emoji)).isEqualTo(target);
      CliRun again = CliRun.of("check", "--registry", registry, "--user", "user1",
          "--baseline", folder.resolve("baseline.json").toString(), script(folder, before, emoji).toString());
      assertThat(again.err()).as("emoji at " + target).doesNotContain("Exception");
      assertThat(again.code()).as(again.err()).isZero();
    }
  }

  private static Path script(Path folder, int before, String emoji) {
    return folder.resolve("s".repeat(before) + emoji + ".sql");
  }

  /** Writes the baseline of a denied script whose name has {@code before} chars before its emoji; where that is. */
  private static int emojiInBaseline(String registry, Path folder, int before, String emoji) throws Exception {
    Path script = script(folder, before, emoji);
    Files.writeString(script, "copy t from 's3://acmedata/x/' iam_role 'arn:aws:iam::123456789012:role/Nobody';\n");
    Path baseline = folder.resolve("baseline.json");
    CliRun first = CliRun.of("check", "--registry", registry, "--user", "user1",
        "--write-baseline", baseline.toString(), script.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).contains("wrote 3 findings to the baseline");
    return Files.readString(baseline, StandardCharsets.UTF_8).indexOf(emoji);
  }
}
