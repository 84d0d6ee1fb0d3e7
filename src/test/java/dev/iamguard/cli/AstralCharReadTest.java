package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iamguard.sql.ScriptReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A character outside the BMP (an emoji, a mathematical letter) is two UTF-16 chars. Asked for one
 * char with such a character next, the script reader's decoder returned 0, and the script reader,
 * filling its window to the last slot, asked again forever: a script starting with an emoji, or
 * holding one where a 262,144-char window ends, hung {@code explain}, {@code check},
 * {@code rewrite} and {@code run} at full CPU, standard input too. Classes of input: text of 1- to
 * 4-byte characters read in slices of every small length (one char included) from buffers of
 * several sizes, with the JDK's decoder as the oracle; scripts with astral characters at every
 * offset across the window's end, at several window sizes and at the real one, with each
 * statement's line and column worked out by hand (lines end at LF, CRLF or a lone CR, columns
 * count UTF-16 units) and the JSON read by Jackson. The timeout only turns a hang into a failure.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AstralCharReadTest {
  private static final String[] PIECES = {"a", " ", "\n", "\r\n", "é", "€", "中", "😀", "𝒳", "🀄", ";", "'"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @AfterEach
  void wholeWindows() {
    ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
  }

  @Test
  void everyReadOfAtLeastOneCharGetsOneOrEnds() throws IOException {
    Random random = new Random(4711);
    for (int n = 0; n < 600; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(60); i > 0; i--) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      String expected = new String(bytes, StandardCharsets.UTF_8);
      int slice = 1 + n % 5;
      StringBuilder got = new StringBuilder();
      try (Utf8Input reader = new Utf8Input(new ByteArrayInputStream(bytes), 16 + random.nextInt(3) * 5)) {
        char[] buffer = new char[slice];
        for (int calls = 0; ; calls++) {
          int read = reader.read(buffer, 0, slice);
          if (read < 0) {
            break;
          }
          assertThat(read).as("read %d of %s in slices of %d", calls, text, slice).isBetween(1, slice);
          got.append(buffer, 0, read);
          assertThat(calls).as("reads of %s", text).isLessThan(4 * expected.length() + 4);
        }
      }
      assertThat(got.toString()).as("slices of %d", slice).isEqualTo(expected);
    }
  }

  @Test
  void scriptsWithAstralCharsAtEveryWindowEndAreListedWithTheirPlaces() throws IOException {
    String[] fills = {" ", "\t", "\r\n", "\n", "\r", "/*😀*/", "-- 😀\n", "/*𝒳é*/", "-- x😀\r\n"};
    String[] statements = {"select '😀'", "😀", "select 1", "create table \"𝒳\" (a int)"};
    Random random = new Random(4712);
    for (int n = 0; n < 120; n++) {
      StringBuilder script = new StringBuilder();
      List<int[]> places = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int s = 0; s < count; s++) {
        for (int f = random.nextInt(s == 0 && n % 3 == 0 ? 1 : 4); f > 0; f--) {
          script.append(fills[random.nextInt(fills.length)]);
        }
        places.add(place(script));
        script.append(statements[random.nextInt(statements.length)]).append(random.nextBoolean() ? ";\n" : ";\r\n");
      }
      Path file = dir.resolve("s" + n + ".sql");
      Files.writeString(file, script.toString());
      for (int chunk : new int[] {1, 2, 3, 5, 8}) {
        ScriptSource.chunk = chunk;
        CliRun run = CliRun.of("explain", "--format", "json", file.toString());
        assertThat(run.code()).as("%s at chunk %d: %s", script, chunk, run.err()).isZero();
        JsonNode listed = JSON.readTree(run.out()).get("statements");
        assertThat(listed).as(script.toString()).hasSize(count);
        for (int s = 0; s < count; s++) {
          assertThat(new int[] {listed.get(s).get("line").asInt(), listed.get(s).get("column").asInt()})
              .as("statement %d of %s at chunk %d", s + 1, script, chunk).containsExactly(places.get(s));
        }
      }
    }
  }

  /** At the real window, an emoji just before, at and after its end, in every command that reads scripts. */
  @Test
  void anEmojiAtTheRealWindowsEndIsRead() throws IOException {
    for (int shift = -2; shift <= 2; shift++) {
      StringBuilder script = new StringBuilder();
      int lines = ScriptReader.DEFAULT_CHUNK / 10 - 1;
      script.append("select 1;\n".repeat(lines));
      // the first char is read alone, then windows of DEFAULT_CHUNK: the emoji's first half lands at its last slot at shift 0
      script.append("--").append("x".repeat(ScriptReader.DEFAULT_CHUNK - script.length() - 2 + shift)).append("😀\nselect 2;\n");
      Path file = dir.resolve("w" + shift + ".sql");
      Files.writeString(file, script.toString());
      CliRun checked = CliRun.of("check", "--registry", RewriteCommandTest.REGISTRY, "--user", "user1", "--format", "json",
          file.toString());
      assertThat(checked.code()).as("shift %d: %s", shift, checked.err()).isZero();
      assertThat(JSON.readTree(checked.out()).get("summary").get("statements").asInt()).isEqualTo(lines + 1);
      CliRun rewritten = CliRun.of("rewrite", "--registry", RewriteCommandTest.REGISTRY, "--user", "user1", file.toString());
      assertThat(rewritten.code()).as("shift %d: %s", shift, rewritten.err()).isZero();
      assertThat(rewritten.out()).isEqualTo(script.toString());
    }
    for (String script : new String[] {"😀;\nselect 1;\n", "𝒳 select 1;", "🀄"}) {
      CliRun stdin = CliRun.withStdin(script, "explain", "--format", "json", "-");
      assertThat(stdin.code()).as(script).isZero();
      assertThat(JSON.readTree(stdin.out()).get("statements").get(0).get("line").asInt()).isEqualTo(1);
      CliRun ran = CliRun.withStdin(script, "run", "--url", "jdbc:iamguard:h2:mem:astral" + script.length(),
          "--registry", RewriteCommandTest.REGISTRY, "--user", "user1",
          "--local-s3", dir.resolve("s3").toString(), "-");
      assertThat(ran.out()).as("%s: %s", script, ran.err()).contains("-:1 [1] OTHER");
    }
  }

  /** The line and the UTF-16 column where the next char of {@code text} stands (LF, CRLF and a lone CR end lines). */
  private static int[] place(CharSequence text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        i++;
      }
      if (c == '\r' || c == '\n') {
        line++;
        start = i + 1;
      }
    }
    return new int[] {line, text.length() - start + 1};
  }
}
