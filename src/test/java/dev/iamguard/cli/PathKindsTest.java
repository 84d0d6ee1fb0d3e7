package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command reads the same kinds of PATH and names the problem when it cannot: a named pipe
 * (what a shell's {@code <(command)} gives) and a device are read as they come, not called missing;
 * a dangling symbolic link or a loop of links says so; and a PATH that holds no statement is exit
 * 2 for {@code run} as it is for {@code check} and {@code explain} (before the fix, {@code run}
 * printed "done: 0 statements ran" and exited 0 for an empty folder or file).
 */
class PathKindsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String DENIED = "copy venue from 's3://other/venue' "
      + "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";

  @TempDir
  Path dir;

  private static List<String> command(String command) {
    return new ArrayList<>(switch (command) {
      case "explain" -> List.of("explain", "--format", "json");
      case "check" -> List.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "json");
      case "rewrite" -> List.of("rewrite", "--registry", REGISTRY, "--user", "user1");
      case "run" -> List.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY,
          "--user", "user1");
      default -> throw new IllegalArgumentException(command);
    });
  }

  private static CliRun run(String command, String... paths) {
    List<String> args = command(command);
    args.addAll(List.of(paths));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** A named pipe is read (once) like a file: the denied COPY it carries is found by every command. */
  @ParameterizedTest
  @ValueSource(strings = {"explain", "check", "rewrite", "run"})
  void aNamedPipeIsRead(String command) throws Exception {
    Path fifo = dir.resolve("from a pipe.sql");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not installed: " + e.getMessage());
      return;
    }
    Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        Files.writeString(fifo, "select 1;\n" + DENIED); // blocks until the command opens the pipe
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliRun run;
    try {
      run = run(command, fifo.toString());
    } finally {
      if (!writer.isDone()) {
        // the command never opened it, or the writer is just ending: opening a pipe to read and
        // write never blocks (a plain read would wait for a writer forever once this one is gone),
        // and lets a writer still waiting for a reader write and end while it is held open
        try (FileChannel unblock = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          writer.get(30, TimeUnit.SECONDS);
        }
      }
      writer.get(30, TimeUnit.SECONDS);
    }
    assertThat(run.err()).doesNotContain("no such file");
    switch (command) {
      case "explain" -> {
        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertThat(new ObjectMapper().readTree(run.out()).get("statements").size()).isEqualTo(2);
      }
      case "check" -> {
        assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(new ObjectMapper().readTree(run.out()).get("summary").get("denied").asInt()).isEqualTo(1);
      }
      case "rewrite" -> {
        assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.out()).isEmpty();
      }
      default -> {
        assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.out()).contains("[1] OTHER ALLOW").contains("[2] COPY DENY").contains("stopped: 1 statements ran");
      }
    }
  }

  /** A device that reads empty (/dev/null) is read, not called missing; it holds no statement. */
  @ParameterizedTest
  @ValueSource(strings = {"explain", "check", "rewrite", "run"})
  void aDeviceIsReadNotCalledMissing(String command) {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
    CliRun run = run(command, "/dev/null");
    assertThat(run.err()).doesNotContain("no such file").doesNotContain("Exception");
    if (command.equals("check") || command.equals("run")) {
      assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err()).contains("no SQL statements").contains("/dev/null holds none");
    } else { // explain and rewrite of nothing print nothing (README: only check calls no statement an error)
      assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    }
  }

  /** --in-place cannot replace a pipe or a device: refused before anything is read or written. */
  @org.junit.jupiter.api.Test
  void inPlaceRefusesWhatIsNotAFile() {
    CliRun run = CliRun.of("rewrite", "--in-place", "--registry", REGISTRY, "--user", "user1", "/dev/null");
    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("--in-place").contains("/dev/null");
  }

  /** Dangling links and loops of links, alone or among good files: exit 2 naming the link. */
  @ParameterizedTest
  @ValueSource(strings = {"explain", "check", "rewrite", "run"})
  void brokenLinksAreNamed(String command) throws IOException {
    Path good = Files.writeString(dir.resolve("good.sql"), "select 1;\n");
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.sql"), dir.resolve("nowhere.sql"));
    Path one = dir.resolve("one.sql");
    Path two = dir.resolve("two.sql");
    Files.createSymbolicLink(one, two);
    Files.createSymbolicLink(two, one);
    Path self = Files.createSymbolicLink(dir.resolve("self.sql"), dir.resolve("self.sql"));
    for (Path broken : List.of(dangling, one, self)) {
      for (String[] paths : List.of(new String[] {broken.toString()}, new String[] {good.toString(), broken.toString()})) {
        CliRun run = run(command, paths);
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains(broken.toString()).contains("symbolic link").doesNotContain("Exception");
        assertThat(run.out()).as("nothing runs or is reported before the error").doesNotContain("ALLOW");
      }
    }
    // a link to a good file is that file
    Path link = Files.createSymbolicLink(dir.resolve("link.sql"), good);
    assertThat(run(command, link.toString()).code()).isEqualTo(ExitCodes.OK);
  }

  /** run with nothing to run: exit 2 naming what held nothing, and nothing connected or printed. */
  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "  \t\r\n", "-- only a comment\n", "/* a block */", ";", ";;\n;"})
  void runOfNothingIsAnError(String text) throws IOException {
    Path file = Files.writeString(dir.resolve("empty script.sql"), text);
    Path folder = Files.createDirectories(dir.resolve("no sql"));
    Files.writeString(folder.resolve("README.txt"), DENIED);
    Files.writeString(folder.resolve("load.sql.bak"), DENIED);
    for (String[] paths : List.of(new String[] {file.toString()}, new String[] {folder.toString()},
        new String[] {file.toString(), folder.toString(), file.toString()})) {
      CliRun run = run("run", paths);
      CliRun check = run("check", paths);
      assertThat(check.code()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.code()).as(text + " " + run.out()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err()).contains("no SQL statements to run");
      assertThat(run.out()).isEmpty();
    }
    List<String> fromStdin = command("run");
    fromStdin.add("-");
    CliRun stdin = CliRun.withStdin(text, fromStdin.toArray(String[]::new));
    assertThat(stdin.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(stdin.err()).contains("standard input held none");
  }
}
