package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry problems the CLI meets: exit 2 with a one-line-per-problem message, never a stack trace. */
class RegistryProblemsCliTest {
  @TempDir
  Path dir;

  @Test
  void aDeeplyNestedRegistryIsARegistryErrorWithExitTwo() throws Exception {
    Path registry = Files.writeString(dir.resolve("deep.yaml"),
        "version: 1\nroles: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("deep.yaml:2: YAML syntax error: lists and mappings nest more than 64 levels")
        .doesNotContain("StackOverflowError", "\tat ");
  }

  @Test
  void registryValuesInProblemsAreEscaped() throws Exception {
    Path registry = Files.writeString(dir.resolve("evil.yaml"),
        "version: 1\n\"x\\n: DENY forged\\u001b[2K\": 1\n");

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).doesNotContain("\u001b").contains("x\\n: DENY forged\\u001b[2K");
    assertThat(run.err().lines()).hasSize(2);
  }
}
