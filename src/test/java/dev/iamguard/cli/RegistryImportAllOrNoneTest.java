package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry import --out DIR} over an earlier import puts its registry and policy files in place
 * all or none. The registry names its documents by path, so a folder holding the new documents beside
 * the old registry (or the other way round) describes roles that exist nowhere: an old registry whose
 * inline document was replaced by the new one says the role may do what it may not, or the reverse.
 *
 * <p>For every file the second import writes, that file is made unwritable (a folder holding a file
 * in its place, which nothing moves over); the import must exit 2 naming it, and leave every file of the
 * folder as it was, with no new file, folder or temporary file left behind. The second import takes every
 * role ({@code --all-roles}), so some of its documents go to folders it makes.
 */
class RegistryImportAllOrNoneTest {
  private static final String SEED = "src/test/resources/awscli/seed/";

  @TempDir
  Path dir;

  @Test
  void aFileThatCannotBeWrittenLeavesTheEarlierImportAsItWas() throws IOException {
    // the second export: the same account with its bucket renamed, so the documents naming it differ
    Path changed = dir.resolve("account-123456789012.json");
    Files.writeString(changed, Files.readString(Path.of(SEED + "account-123456789012.json"))
        .replace("acmedata", "acmedata-2"));
    Path first = dir.resolve("first");
    assertThat(importInto(first, SEED + "account-123456789012.json", false).code()).isZero();
    Path probe = dir.resolve("probe");
    CliRun written = importInto(probe, changed.toString(), true);
    assertThat(written.code()).as(written.err()).isZero();
    List<String> writes = files(probe).keySet().stream().toList();
    assertThat(writes).contains("registry.yaml").hasSizeGreaterThan(5);
    // --all-roles the second time: roles the first import left out get new folders, which must go again
    assertThat(writes).as("files in folders the first import did not make")
        .anyMatch(f -> !Files.isDirectory(first.resolve(f).getParent()));
    Map<String, String> earlier = files(first);
    assertThat(writes.stream().filter(f -> earlier.containsKey(f) && !files(probe).get(f).equals(earlier.get(f))))
        .as("the documents the second import changes").hasSizeGreaterThan(1);

    for (String blocked : writes) {
      Path out = dir.resolve("out-" + writes.indexOf(blocked));
      copy(first, out);
      Path target = out.resolve(blocked);
      Files.deleteIfExists(target);
      Files.createDirectories(target);
      Files.writeString(target.resolve("keep"), "a folder where the import writes a file");
      Map<String, String> before = files(out);
      List<String> foldersBefore = folders(out);

      CliRun run = importInto(out, changed.toString(), true);

      assertThat(run.code()).as(blocked).isEqualTo(2);
      assertThat(run.err()).as(blocked).contains(target.toString()).contains("nothing was written")
          .doesNotContain("\tat ");
      assertThat(files(out)).as("after failing at " + blocked).isEqualTo(before);
      assertThat(folders(out)).as("no folder made for the documents either, failing at " + blocked)
          .isEqualTo(foldersBefore);
    }
  }

  private static CliRun importInto(Path out, String account, boolean allRoles) {
    List<String> args = new ArrayList<>(List.of("registry", "import", "--iam", account, SEED + "account-210987654321.json",
        "--redshift", SEED + "describe-clusters.json", "--grants", SEED + "svv_iam_privileges.csv",
        "--keep", "samples/registry.yaml", "--out", out.toString()));
    if (allRoles) {
      args.add("--all-roles");
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Every regular file under {@code folder} (temporary ones included), by relative path, with its text. */
  private static Map<String, String> files(Path folder) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static List<String> folders(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isDirectory).map(p -> folder.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(from)) {
      paths = new ArrayList<>(walk.toList());
    }
    for (Path p : paths) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
  }
}
