package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script found in a folder whose name the platform charset cannot decode (a Latin-1 name under a
 * UTF-8 locale; any non-ASCII name under {@code LANG=C}) is refused with one line naming it, before
 * any statement is read: {@code rewrite --in-place} stopped with a Java stack trace, {@code --diff}
 * printed a name {@code patch} could not find, and {@code check} and {@code explain} reported a name
 * of U+FFFD characters that is no file. The names are made from bytes, whatever this JVM's locale.
 */
class UndecodableFileNameTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String SCRIPT = "samples/etl/02_rewrites.sql";

  @TempDir
  Path dir;

  /** Copies the sample script into {@code folder} under the name the shell's printf makes of {@code octal}. */
  private static void copyAs(Path folder, String octal) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    Process copy = new ProcessBuilder("sh", "-c", "cp \"$1\" \"$2/$(printf \"$3\")\"", "sh", SCRIPT, folder.toString(), octal)
        .inheritIO().start();
    assertThat(copy.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(copy.exitValue()).isZero();
  }

  private static List<List<String>> commands(Path folder) {
    String f = folder.toString();
    return List.of(
        List.of("check", "--registry", REGISTRY, "--user", "user1", f),
        List.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "sarif", f),
        List.of("explain", "--format", "json", f),
        List.of("rewrite", "--registry", REGISTRY, "--user", "user1", "--in-place", f),
        List.of("rewrite", "--registry", REGISTRY, "--user", "user1", "--diff", f),
        List.of("run", "--url", "jdbc:iamguard:h2:mem:names", "--registry", REGISTRY, "--user", "user1", f),
        List.of("suggest", "--registry", REGISTRY, "--user", "user1", f));
  }

  /** Every file under {@code folder}, with its bytes, to see that nothing was written. */
  private static List<String> contents(Path folder) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        all.add(file + "=" + java.util.Arrays.hashCode(Files.readAllBytes(file)));
      }
    }
    return all;
  }

  @Test
  void aLatin1NameInAFolderIsRefusedByEveryCommandBeforeItReadsAStatement() throws Exception {
    Path folder = dir.resolve("scripts");
    copyAs(folder, "caf\\351.sql"); // é in Latin-1: no UTF-8
    copyAs(folder.resolve("deeper"), "ok.sql");
    List<String> before = contents(folder);

    for (List<String> command : commands(folder)) {
      CliRun run = CliRun.of(command.toArray(String[]::new));

      assertThat(run.code()).as(String.join(" ", command)).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err()).as(String.join(" ", command))
          .contains("scripts/caf", "a name in this folder is not valid text in the platform's charset")
          .doesNotContain("Exception");
      assertThat(run.err().lines().count()).as(String.join(" ", command)).isEqualTo(1);
      if (!command.contains("sarif") && !command.contains("json")) {
        assertThat(run.out()).as(String.join(" ", command)).isEmpty();
      }
      assertThat(contents(folder)).as(String.join(" ", command)).isEqualTo(before);
    }
  }

  @Test
  void aFolderNameItselfUndecodableIsRefusedToo() throws Exception {
    Path top = dir.resolve("top");
    Files.createDirectories(top);
    Process make = new ProcessBuilder("sh", "-c", "mkdir \"$1/$(printf 'd\\377')\" && cp \"$2\" \"$1/$(printf 'd\\377')/a.sql\"",
        "sh", top.toString(), SCRIPT).inheritIO().start();
    assertThat(make.waitFor(30, TimeUnit.SECONDS)).isTrue();

    CliRun run = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", top.toString());

    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("a name in this folder is not valid text");
  }

  /**
   * The case found: a UTF-8 name under {@code LANG=C}, whose charset (ASCII) cannot hold it, in a
   * JVM of its own started so. {@code rewrite --in-place} threw InvalidPathException out of main.
   */
  @Test
  void aUtf8NameUnderAnAsciiLocaleIsOneLineNotAStackTrace() throws Exception {
    Path folder = dir.resolve("utf8");
    copyAs(folder, "\\303\\274n\\303\\257.sql"); // ünï.sql in UTF-8
    List<String> before = contents(folder);
    List<String> jvm = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    for (List<String> command : List.of(commands(folder).get(3), commands(folder).get(0))) {
      List<String> args = new ArrayList<>(jvm);
      args.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
      builder.environment().put("LC_ALL", "C");
      builder.environment().put("LANG", "C");
      Process process = builder.start();
      String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(process.exitValue()).as(said).isEqualTo(ExitCodes.ERROR);
      assertThat(said).as(command.toString()).contains("not valid text in the platform's charset")
          .doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(contents(folder)).isEqualTo(before);
    }
  }
}
