package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17: a form that the readings of the ambiguity check lex differently, early in a script,
 * must not make {@code check} hold the rest of it. Before, a 12 MB script starting with
 * {@code select 'a\'';} ran out of a 32 MB heap (exit 2): the reader cut only where the reading
 * without backslash escapes also stood between tokens, and after that literal it never did again.
 * The last case (a statement only that reading sees, never ended) held the rest of the script
 * until a hidden statement's verdict was read from its first words.
 */
class AmbiguousScriptScaleTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} then {2} x {1}")
  @CsvSource(delimiter = '|', value = {
      "select 'a\\'';|400000|insert into t values ('x', 2);",
      "select b'\\';|600000|select 'x' as y;",
      "select a#$$;|800000|select 'x', 1;",
      // a reading without escapes starts 'select (' inside the first literal and never ends it
      "select '\\'; select (';|400000|insert into t values ('x', 2);"})
  void aScriptMuchLargerThanTheHeapIsCheckedInPieces(String head, int count, String body) throws Exception {
    Path script = dir.resolve("ambiguous.sql");
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      writer.write(head + "\n");
      for (int i = 0; i < count; i++) {
        writer.write(body + "\n");
      }
    }
    assertThat(Files.size(script)).isGreaterThan(9L << 20);
    Path out = dir.resolve("report.txt");

    ScaleLimitsTest.Exit exit = ScaleLimitsTest.cli(out, "32m", "check", "--registry", REGISTRY, "--user", "user1",
        script.toString());

    assertThat(exit.code()).as(exit.err()).isZero();
    assertThat(exit.err()).isEmpty();
    assertThat(Files.readString(out)).endsWith((count + 1) + " statements: " + (count + 1)
        + " allowed, 0 rewritten, 0 denied\n");
  }
}
