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

  @Test
  void aRegistryThatIsNotUtf8SaysWhereAndWhatToDo() throws Exception {
    byte[] latin1 = "version: 1\n# caf\u00e9 au lait\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Path registry = Files.write(dir.resolve("latin1.yaml"), latin1);

    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", registry.toString(), "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("latin1.yaml:2: the registry is not UTF-8 text: the byte 0xE9 at line 2, column 6"
        + " is not UTF-8 (a file saved as Latin-1 or Windows-1252?); save the file as UTF-8");

    Path utf16 = Files.write(dir.resolve("utf16.yaml"), // as Windows Notepad saves "Unicode": a BOM, then UTF-16LE
        "\ufeffversion: 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    assertThat(CliRun.withStdin("select 1;", "check", "--registry", utf16.toString(), "--user", "u").err())
        .contains("utf16.yaml: the registry is UTF-16 text; save it as UTF-8");
  }

  @Test
  void aFolderGivenAsTheRegistryNamesTheFilesInIt() {
    CliRun run = CliRun.withStdin("select 1;", "check", "--registry", "samples", "--user", "u");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("samples: is a folder, not a registry file; name the registry file in it, e.g. "
        + Path.of("samples", "registry-iam.yaml") + " or " + Path.of("samples", "registry.yaml"));
  }

  @Test
  void anEmptyUserIsAUsageError() {
    for (String command : new String[] {"check", "rewrite"}) {
      CliRun run = CliRun.withStdin("select 1;", command, "--registry", "samples/registry.yaml", "--user", " ");
      assertThat(run.code()).as(command).isEqualTo(2);
      assertThat(run.err()).as(command).contains("--user is empty: name the database user the statements run as");
    }
    CliRun run = CliRun.withStdin("select 1;", "run", "--url", "jdbc:iamguard:h2:mem:empty-user", "--registry",
        "samples/registry.yaml", "--user", "", "-");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--user is empty");
  }
}
