package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.NonRegularFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file the command line writes whole ({@code check --write-baseline}, {@code suggest --format iam
 * --out}, {@code registry import --out}) is written beside its target and moved over it, and an
 * existing target that is not a regular file is refused before anything is written (exit 2, naming
 * the target and what it is). Before the fix a named pipe, a link to one (or to a device such as
 * {@code /dev/null}) and an empty folder were replaced by a regular file and the command reported
 * success; so was the file a process holds open behind {@code /dev/stdout} or {@code /proc/PID/fd/N}
 * (the report standard output was redirected to). No case here names a real device: a link to a
 * named pipe stands for one, since an unfixed command would replace what the link names.
 */
class WriteTargetKindsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String SEED = "src/test/resources/awscli/seed/";
  private static final String DENIED =
      "copy venue from 's3://other/venue' iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload';\n";

  @TempDir
  Path dir;

  /** A command that writes one file whole: where it writes, and how to run it. */
  enum Writer {
    BASELINE {
      @Override
      Path target(Path dir) {
        return dir.resolve("baseline.json");
      }

      @Override
      CliRun run(Path dir, Path script) {
        return CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--format", "json",
            "--write-baseline", target(dir).toString(), script.toString());
      }
    },
    SUGGEST_OUT {
      @Override
      Path target(Path dir) {
        return dir.resolve("iam").resolve("grants.sql");
      }

      @Override
      CliRun run(Path dir, Path script) {
        return CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-west-2",
            "--user", "etl", "--format", "iam", "--out", dir.resolve("iam").toString(), script.toString());
      }
    },
    IMPORT_OUT {
      @Override
      Path target(Path dir) {
        return dir.resolve("imported").resolve("registry.yaml");
      }

      @Override
      CliRun run(Path dir, Path script) {
        return CliRun.of("registry", "import", "--iam", SEED + "account-123456789012.json",
            SEED + "account-210987654321.json", "--redshift", SEED + "describe-clusters.json",
            "--out", dir.resolve("imported").toString());
      }
    };

    abstract Path target(Path dir);

    abstract CliRun run(Path dir, Path script);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Writer writer : Writer.values()) {
      for (NonRegularFiles kind : NonRegularFiles.values()) {
        cases.add(Arguments.of(writer, kind));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("cases")
  void aTargetThatIsNotARegularFileIsRefusedBeforeAnythingIsWritten(Writer writer, NonRegularFiles kind)
      throws Exception {
    Path script = Files.writeString(dir.resolve("denied.sql"), DENIED);
    Path target = writer.target(dir);
    Files.createDirectories(target.getParent());
    kind.make(target);
    List<String> before = listing(target.getParent());

    CliRun run = writer.run(dir, script);

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains(target.toString()).contains("nothing was written").doesNotContain("\tat ");
    if (!(writer == Writer.SUGGEST_OUT && kind == NonRegularFiles.LINK_TO_FIFO)) {
      // suggest refuses any link in its folder first, saying so
      assertThat(run.err()).contains(kind.named);
    }
    assertThat(Files.isRegularFile(target)).as("%s is still %s", target, kind.named).isFalse();
    if (kind == NonRegularFiles.LINK_TO_FIFO) {
      assertThat(Files.isSymbolicLink(target)).isTrue();
    }
    assertThat(listing(target.getParent())).as("nothing new beside it, no temporary file left").isEqualTo(before);
    if (writer == Writer.BASELINE) {
      assertThat(run.out()).as("refused before the check, not after its report").isEmpty();
    }
  }

  /**
   * The file a process holds open, named through {@code /proc/self/fd/N}, {@code /dev/fd/N} or a
   * link to one (as {@code /dev/stdout} is): here the test's own open file, standing for the
   * report that standard output is redirected to. The baseline must not replace it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/proc/self/fd/", "/dev/fd/", "link"})
  void aProcessesOpenFileIsRefused(String through) throws Exception {
    Path report = Files.writeString(dir.resolve("report.json"), "the report");
    Path script = Files.writeString(dir.resolve("denied.sql"), DENIED);
    try (FileChannel open = FileChannel.open(report, StandardOpenOption.READ)) {
      String fd = descriptorOf(report);
      Path target = switch (through) {
        case "link" -> Files.createSymbolicLink(dir.resolve("stdout"), Path.of("/proc/self/fd/" + fd));
        default -> Path.of(through + fd);
      };
      Assumptions.assumeTrue(Files.exists(target), target + " is not there on this platform");

      CliRun run = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--write-baseline", target.toString(),
          script.toString());

      assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err()).contains("a process's open file").contains("nothing was written").doesNotContain("\tat ");
      assertThat(Files.readString(report)).isEqualTo("the report");
    }
  }

  /** The number under {@code /proc/self/fd} this JVM has {@code file} open as; skips where there is none. */
  private static String descriptorOf(Path file) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc/self/fd on this platform");
    Path real = file.toRealPath();
    try (Stream<Path> all = Files.list(fds)) {
      for (Path fd : all.toList()) {
        try {
          if (Files.readSymbolicLink(fd).equals(real)) {
            return fd.getFileName().toString();
          }
        } catch (IOException e) {
          // closed since it was listed
        }
      }
    }
    Assumptions.abort("the open file is not listed under /proc/self/fd");
    return null;
  }

  private static List<String> listing(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
