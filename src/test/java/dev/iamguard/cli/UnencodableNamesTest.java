package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PATH whose name the JVM cannot encode (non-ASCII under the C locale, where Java encodes file
 * names as ASCII) is exit 2 with one line naming it and the remedy, in every command that takes
 * scripts. Before the fix the InvalidPathException escaped as a Java stack trace. In a UTF-8
 * locale the same names are read.
 */
class UnencodableNamesTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final List<String> NAMES = List.of("é.sql", "日本 語.sql", "load-\uD83D\uDE00.sql");

  @TempDir
  Path dir;

  private static List<String> command(String command) {
    return new ArrayList<>(switch (command) {
      case "explain" -> List.of("explain");
      case "check", "rewrite", "suggest" -> List.of(command, "--registry", REGISTRY, "--user", "user1");
      case "run" -> List.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY, "--user", "user1");
      default -> throw new IllegalArgumentException(command);
    });
  }

  @Test
  void underTheCLocaleEveryCommandNamesTheProblem() throws Exception {
    Assumptions.assumeTrue(StandardCharsets.UTF_8.name().equals(System.getProperty("sun.jnu.encoding", "")),
        "the test JVM must read non-ASCII file names (a UTF-8 locale) to write the scripts");
    for (String name : NAMES) {
      Path file = Files.writeString(dir.resolve(name), "select 1;\n");
      for (String command : List.of("explain", "check", "rewrite", "run", "suggest")) {
        List<String> args = command(command);
        args.add(file.toString());
        Result c = inCLocale(args);
        assertThat(c.code).as(command + " " + name + ": " + c.err).isEqualTo(ExitCodes.ERROR);
        assertThat(c.err).contains("not a file name this system can encode").contains("C.UTF-8").doesNotContain("\tat ")
            .doesNotContain("Exception");
        assertThat(c.err.strip().lines().count()).as(c.err).isEqualTo(1);

        // the same name in this (UTF-8) JVM is read
        CliRun utf8 = CliRun.of(args.toArray(String[]::new));
        assertThat(utf8.code()).as(command + " " + name + ": " + utf8.err()).isEqualTo(ExitCodes.OK);
      }
    }
  }

  private record Result(int code, String err) {}

  private Result inCLocale(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("LC_") || key.equals("LANG"));
    env.put("LC_ALL", "C");
    Path err = dir.resolve("err-" + UUID.randomUUID() + ".txt");
    Process process = builder.redirectError(err.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }
}
