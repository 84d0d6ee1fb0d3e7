package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The JSON and SARIF reports are streamed, so a failure found while reading (a later file that
 * is not UTF-8, a bad byte deep inside a large file, after statements were written) left a
 * document cut off on standard output (probe 22b F2), against CLI.md's "one JSON object". It is
 * now closed, with what stopped it ({@code error}; in SARIF an invocation that did not succeed),
 * and the exit code and standard error are as before. Each report format, each place of the failure.
 * The JSON summary counts the statements the document lists: a file over a megabyte is streamed in
 * its turn, and its statements written before the failure were left out of the summary (0 against
 * 199,645 listed for a 2.8 MB file; on one core any file is checked in its turn).
 */
class StreamedDocumentFailureTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  @TempDir
  Path dir;

  static Stream<Arguments> formatsAndFailures() {
    List<Arguments> all = new ArrayList<>();
    for (String format : List.of("explain-json", "check-json", "check-sarif")) {
      for (String failure : List.of("second file", "deep in the first file", "first file",
          "deep in a first file streamed in its turn")) {
        all.add(Arguments.of(format, failure));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("formatsAndFailures")
  void aFailureWhileStreamingClosesTheDocument(String format, String failure) throws Exception {
    byte[] bad = {'s', 'e', 'l', (byte) 0xC3, (byte) 0x28, ';', '\n'};
    StringBuilder good = new StringBuilder();
    // a file over CheckCommand.BUFFERED_FILE is never checked ahead into a buffer: its statements
    // reach the output before the bad byte is read, whatever the number of cores
    boolean streamed = failure.endsWith("in its turn");
    for (int i = 0; streamed ? good.length() <= CheckCommand.BUFFERED_FILE : i < 20_000; i++) {
      good.append("select ").append(i).append(";\n");
    }
    Path first = dir.resolve("a.sql");
    Path second = dir.resolve("b.sql");
    Files.writeString(first, good);
    Files.writeString(second, "select 1;\n");
    String broken = switch (failure) {
      case "second file" -> write(second, "select 1;\n".getBytes(StandardCharsets.UTF_8), bad);
      case "deep in the first file", "deep in a first file streamed in its turn" ->
          write(first, good.toString().getBytes(StandardCharsets.UTF_8), bad);
      default -> write(first, bad, good.toString().getBytes(StandardCharsets.UTF_8));
    };
    CliRun run = switch (format) {
      case "explain-json" -> CliRun.of("explain", "--format", "json", first.toString(), second.toString());
      case "check-json" -> CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "json",
          first.toString(), second.toString());
      default -> CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif", first.toString(),
          second.toString());
    };
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains(broken + ": not valid UTF-8 text").doesNotContain("\tat ");
    JsonNode document = STRICT.readTree(run.out()); // one whole document, or this throws
    if (format.equals("check-sarif")) {
      JsonNode invocation = document.get("runs").get(0).get("invocations").get(0);
      assertThat(invocation.get("executionSuccessful").asBoolean()).isFalse();
      assertThat(invocation.get("toolExecutionNotifications").get(0).get("message").get("text").asText())
          .contains(broken + ": not valid UTF-8 text");
    } else {
      assertThat(document.get("error").asText()).contains(broken + ": not valid UTF-8 text");
      assertThat(document.get("statements").isArray()).isTrue();
      if (format.equals("check-json")) { // the summary counts what the document lists
        JsonNode summary = document.get("summary");
        assertThat(summary.get("statements").asInt()).isEqualTo(document.get("statements").size());
        assertThat(summary.get("allowed").asInt() + summary.get("rewritten").asInt() + summary.get("denied").asInt())
            .isEqualTo(document.get("statements").size());
      }
      if (streamed) { // all but the piece the bad byte stands in were decided and listed
        assertThat(document.get("statements").size()).isGreaterThan(20_000);
      }
    }
  }

  /** Writes {@code parts} to {@code file}; returns the file's name as the messages give it. */
  private static String write(Path file, byte[]... parts) throws Exception {
    try (var out = Files.newOutputStream(file)) {
      for (byte[] part : parts) {
        out.write(part);
      }
    }
    return file.toString();
  }
}
