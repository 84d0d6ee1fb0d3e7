package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README: "a reader of standard output that goes away ends the command with exit 2 and one line on
 * standard error". Standard output here fails after a given number of bytes (0: at once, or
 * part-way through a report, as {@code | head -c N} does), for every command that writes a report
 * and every format; the error must be exactly one line, naming the output, with no stack trace.
 * Before, the streaming commands said it twice (the command's error, then Main's own check).
 */
class OutputGoneTest {
  @TempDir
  static Path dir;

  static Stream<Arguments> cases() {
    List<List<String>> commands = List.of(
        List.of("check", "--format", "text"), List.of("check", "--format", "json"),
        List.of("check", "--format", "sarif"), List.of("check", "--format", "text", "--verbose"),
        List.of("explain"), List.of("explain", "--format", "json"),
        List.of("rewrite"), List.of("rewrite", "--diff"));
    List<Arguments> cases = new ArrayList<>();
    for (List<String> command : commands) {
      for (int bytes : new int[] {0, 1, 100, 4096, 70_000}) {
        cases.add(Arguments.of(command, bytes));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with output gone after {1} bytes")
  @MethodSource("cases")
  void anOutputThatGoesAwayIsOneLineAndExitTwo(List<String> command, int bytes) throws IOException {
    List<String> args = new ArrayList<>(command);
    if (!command.get(0).equals("explain")) {
      args.addAll(1, List.of("--registry", REGISTRY, "--user", "user1"));
    }
    // rewrite prints nothing when a statement is denied (exit 1): its script denies nothing
    args.add(script(!command.get(0).equals("rewrite")).toString());
    StringWriter err = new StringWriter();
    int[] written = {0};
    OutputStream gone = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        if (written[0]++ >= bytes) {
          throw new IOException("Broken pipe");
        }
      }
    };

    int code = Main.execute(args.toArray(String[]::new),
        new PrintWriter(new OutputStreamWriter(gone, StandardCharsets.UTF_8), true), new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.ERROR);
    assertThat(err.toString()).isEqualTo("iamguard: cannot write to standard output" + System.lineSeparator());
  }

  /** Rewritten, allowed and (if asked) denied statements, enough for a report longer than the largest cut. */
  private static Path script(boolean denied) throws IOException {
    Path file = dir.resolve(denied ? "denied.sql" : "rewritten.sql");
    if (!Files.exists(file)) {
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < 600; i++) {
        sql.append("copy t").append(i).append(" from 's3://acmedata/redshift/x").append(i)
            .append("' iam_role 'copy-unload';\n")
            .append(denied ? "copy venue from 's3://other/x' iam_role 'arn:aws:iam::123456789012:role/Nope';" : "")
            .append(" select ")
            .append(i).append(";\n");
      }
      Files.writeString(file, sql);
    }
    return file;
  }
}
