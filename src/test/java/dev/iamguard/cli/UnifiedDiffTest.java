package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The streamed unified diff of rewrite --diff is the one GNU diff -u writes for the same two texts. */
class UnifiedDiffTest {

  /** A text of {@code lines} lines, with values rewritten on some of them, fed as segments of random sizes. */
  @Property(tries = 150)
  void equalsGnuDiff(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int lines) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/diff")), "GNU diff is not installed");
    Random random = new Random(seed);
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    StringBuilder diff = new StringBuilder();
    UnifiedDiff unified = new UnifiedDiff("x.sql", diff);
    boolean lastNewline = random.nextInt(4) > 0;
    for (int i = 0; i < lines; i++) {
      String text = "line " + i + (random.nextBoolean() ? " copy t iam_role 'alias'" : "");
      boolean rewritten = text.contains("alias") && random.nextInt(5) == 0;
      String end = i < lines - 1 || lastNewline ? "\n" : "";
      int at = text.indexOf("'alias'");
      if (rewritten) {
        feed(unified, text.substring(0, at), random);
        unified.changed("'alias'", "'arn:aws:iam::123456789012:role/R'");
        feed(unified, text.substring(at + 7) + end, random);
      } else {
        feed(unified, text + end, random);
      }
      before.append(text).append(end);
      after.append(rewritten ? text.replace("'alias'", "'arn:aws:iam::123456789012:role/R'") : text).append(end);
    }
    unified.finish();

    String gnu = gnuDiff(before.toString(), after.toString());
    assertThat(diff.toString()).isEqualTo(gnu);
    assertThat(unified.changed()).isEqualTo(!gnu.isEmpty());
  }

  private static void feed(UnifiedDiff diff, String text, Random random) {
    int at = 0;
    while (at < text.length()) {
      int n = 1 + random.nextInt(Math.max(1, text.length() - at));
      diff.same(text.substring(at, Math.min(text.length(), at + n)));
      at += n;
    }
  }

  /** {@code diff -u} of the two texts, with the headers iamguard writes. */
  static String gnuDiff(String before, String after) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("udiff");
    try {
      Path a = Files.writeString(dir.resolve("a"), before, StandardCharsets.UTF_8);
      Path b = Files.writeString(dir.resolve("b"), after, StandardCharsets.UTF_8);
      Process process = new ProcessBuilder("/usr/bin/diff", "-u", "--label", "a/x.sql", "--label", "b/x.sql",
          a.toString(), b.toString()).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return out;
    } finally {
      for (String name : List.of("a", "b")) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.delete(dir);
    }
  }

  @Test
  void nothingChangedWritesNothing() {
    StringBuilder out = new StringBuilder();
    UnifiedDiff diff = new UnifiedDiff("x.sql", out);
    diff.same("select 1;\n");
    diff.changed("'x'", "'x'");
    diff.finish();

    assertThat(out).isEmpty();
    assertThat(diff.changed()).isFalse();
  }
}
