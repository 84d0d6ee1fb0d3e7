package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A statement nested deeper than the target's driver can parse (H2's recursive parser overflows
 * the stack) is a failed statement: {@code run} says which one failed and what ran before it, and
 * exits 1 with a message, never a stack trace. Before the fix the StackOverflowError escaped: a
 * Java stack trace of a thousand lines, exit 1 from the JVM, and no "stopped:" line.
 */
class DeepStatementRunTest {
  private static final int DEPTH = 200_000;

  @TempDir
  Path dir;

  /** Nestings H2 reads recursively: parentheses, function calls, CASE, unary minus. */
  static List<String> deepStatements() {
    return List.of(
        "select " + "(".repeat(DEPTH) + "1" + ")".repeat(DEPTH),
        "select " + "abs(".repeat(DEPTH) + "1" + ")".repeat(DEPTH),
        "select " + "case when true then ".repeat(DEPTH / 4) + "1" + " end".repeat(DEPTH / 4),
        "SELECT\n" + "- ".repeat(DEPTH) + "1");
  }

  /** Each deep statement after two that ran, with statements after it that must not run. */
  static Stream<Arguments> scripts() {
    return deepStatements().stream().flatMap(deep -> Stream.of(
        Arguments.of("create table t(i int);\ninsert into t values (1);\n" + deep + ";\ninsert into t values (2);\n", 2, 3),
        Arguments.of("create table t(i int); insert into t values (1); " + deep, 2, 3)));
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void aTooDeepStatementFailsAndTheRunSaysWhatRan(String script, int ran, int failedIndex) throws IOException {
    Path file = Files.writeString(dir.resolve("deep.sql"), script);
    CliRun run = CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", "samples/registry.yaml",
        "--user", "user1", file.toString());
    assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.out()).contains("[" + failedIndex + "] OTHER FAILED").contains("stopped: " + ran + " statements ran")
        .doesNotContain("[" + (failedIndex + 1) + "]");
    assertThat(run.err()).contains("nests too deeply").doesNotContain("StackOverflowError").doesNotContain("\tat ");
  }
}
