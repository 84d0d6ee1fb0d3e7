package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file (review "audit file mode/links", confirmed): it was created with the process's
 * umask mode, world-readable under the usual 022 (its lines name users, clusters, roles and
 * buckets), and a symbolic link planted at its path, before opening or in place of a rotated file,
 * was followed: whoever may write the folder could have the decisions appended to any file the
 * application may write, or to one others read. And a line cut short (a full disk, a crash) had the
 * next decision glued to it, so a reader of JSON lines lost that decision too (probe on a 64 KiB
 * tmpfs: the record after space was freed was unreadable).
 *
 * <p>Here: files created at many paths, at opening and after rotations and deletions, are owner-only;
 * an existing file keeps its mode; links of every kind (to a file, dangling, to a folder, chains,
 * relative) at the path are refused at opening and after a rotation, their targets untouched and
 * not created; a file ending inside a line gets the next line whole; and many threads writing, some
 * interrupted, leave every line whole, valid JSON, each decision there once.
 */
class AuditFileModeAndLinksTest {
  private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static AuditEvent denial(String user, int statement) {
    return new AuditEvent("pool", "DENY", "enforce", user, "dev-cluster", statement, 1, "COPY",
        List.of("ROLE_UNKNOWN"), "iamguard: denied", "COPY t FROM 's3://lake/in/' IAM_ROLE 'x'");
  }

  private static void assumePosix() {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions");
  }

  private static Set<PosixFilePermission> mode(Path file) throws IOException {
    return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void filesTheSinkCreatesAreOwnerOnly() throws IOException {
    assumePosix();
    List<Path> paths = new ArrayList<>();
    for (String name : List.of("audit.jsonl", "a b.jsonl", "d\u00e9cisions.jsonl", ".hidden", "no-extension")) {
      paths.add(dir.resolve(name));
      paths.add(Files.createDirectories(dir.resolve("nested/" + name.length())).resolve(name));
    }
    for (Path file : paths) {
      JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
      sink.record(denial("etl", 1));
      assertThat(mode(file)).as("created: %s", file).isEqualTo(OWNER_ONLY);

      Files.move(file, file.resolveSibling(file.getFileName() + ".1")); // rotated away
      sink.record(denial("etl", 2));
      assertThat(mode(file)).as("created again after a rotation: %s", file).isEqualTo(OWNER_ONLY);

      Files.delete(file);
      sink.record(denial("etl", 3));
      assertThat(mode(file)).as("created again after a deletion: %s", file).isEqualTo(OWNER_ONLY);
      sink.release();
      assertThat(Files.readAllLines(file)).hasSize(1);
    }
  }

  @Test
  void anExistingFileKeepsItsMode() throws IOException {
    assumePosix();
    for (String mode : List.of("rw-r-----", "rw-rw----", "rw-------", "rw-r--r--")) {
      Path file = dir.resolve("kept-" + mode + ".jsonl");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode)); // past the umask
      JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
      sink.record(denial("etl", 1));
      sink.release();

      assertThat(PosixFilePermissions.toString(mode(file))).isEqualTo(mode);
    }
  }

  /** The links planted: name, what the link names (relative to the folder), and how to make the target. */
  private List<Path[]> plantLinks(String prefix) throws IOException {
    Path existing = Files.writeString(dir.resolve(prefix + "-victim.txt"), "keep\n");
    Path folder = Files.createDirectories(dir.resolve(prefix + "-folder"));
    Path missing = dir.resolve(prefix + "-missing.txt");
    Path chainEnd = Files.writeString(dir.resolve(prefix + "-chain-end.txt"), "keep\n");
    Path chainMiddle = Files.createSymbolicLink(dir.resolve(prefix + "-chain-middle"), chainEnd);
    return List.of(new Path[] {dir.resolve(prefix + "-to-file.jsonl"), existing},
        new Path[] {dir.resolve(prefix + "-dangling.jsonl"), missing},
        new Path[] {dir.resolve(prefix + "-to-folder.jsonl"), folder},
        new Path[] {dir.resolve(prefix + "-chain.jsonl"), chainMiddle},
        new Path[] {dir.resolve(prefix + "-relative.jsonl"), existing.getFileName()});
  }

  private static Set<String> targetsUntouched(Path link, Path target) throws IOException {
    Path resolved = link.resolveSibling(target);
    Set<String> problems = new HashSet<>();
    Path end = Files.isSymbolicLink(resolved) ? resolved.resolveSibling(Files.readSymbolicLink(resolved)) : resolved;
    if (Files.isRegularFile(end) && !Files.readString(end).equals("keep\n")) {
      problems.add(end + " was written");
    }
    if (end.getFileName().toString().endsWith("-missing.txt") && Files.exists(end, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(end + " was created");
    }
    if (Files.isDirectory(end)) {
      try (var listing = Files.list(end)) {
        if (listing.findAny().isPresent()) {
          problems.add(end + " got a file");
        }
      }
    }
    return problems;
  }

  @Test
  void aLinkAtThePathIsRefusedAtOpening() throws IOException {
    for (Path[] planted : plantLinks("open")) {
      Path link = Files.createSymbolicLink(planted[0], planted[1]);

      assertThatThrownBy(() -> JsonLinesAuditFile.open(link)).as(link.toString())
          .isInstanceOf(IOException.class).hasMessageContaining(link.getFileName().toString());
      assertThat(targetsUntouched(link, planted[1])).as(link.toString()).isEmpty();
      assertThat(Files.isSymbolicLink(link)).isTrue();
    }
  }

  @Test
  void aLinkPlantedInPlaceOfTheFileIsNotFollowed() throws IOException {
    for (boolean rotated : new boolean[] {true, false}) {
      for (Path[] planted : plantLinks(rotated ? "rotated" : "deleted")) {
        Path file = planted[0];
        JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
        sink.record(denial("etl", 1));
        if (rotated) {
          Files.move(file, file.resolveSibling(file.getFileName() + ".1"));
        } else {
          Files.delete(file);
        }
        Files.createSymbolicLink(file, planted[1]);

        assertThatThrownBy(() -> sink.record(denial("etl", 2))).as(file.toString())
            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write the audit file");
        assertThat(targetsUntouched(file, planted[1])).as(file.toString()).isEmpty();
        sink.release();
      }
    }
  }

  /** A file ending inside a line (a write cut short by a full disk or a crash): the next decision is a line of its own. */
  @Test
  void aFileEndingInsideALineGetsTheNextLineWhole() throws IOException {
    List<String> cuts = List.of("{\"time\":\"2025-01-31T02", "{", "{\"sql\":\"COPY \\", "x", "{\"a\":1}\n{\"b\"");
    for (int i = 0; i < cuts.size(); i++) {
      Path file = dir.resolve("cut-" + i + ".jsonl");
      Files.writeString(file, cuts.get(i), StandardCharsets.UTF_8);
      JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
      sink.record(denial("etl", 7));
      sink.record(denial("etl", 8));
      sink.release();

      List<String> lines = Files.readAllLines(file);
      assertThat(lines.subList(lines.size() - 2, lines.size())).as(cuts.get(i))
          .allSatisfy(line -> assertThat(JSON.readTree(line).get("statement").asInt()).isIn(7, 8));
      assertThat(String.join("\n", lines)).startsWith(cuts.get(i));
    }
    Path whole = Files.writeString(dir.resolve("whole.jsonl"), "{\"a\":1}\n");
    JsonLinesAuditFile sink = JsonLinesAuditFile.open(whole);
    sink.record(denial("etl", 1));
    sink.release();
    assertThat(Files.readAllLines(whole)).as("no empty line after a whole one").hasSize(2).doesNotContain("");
  }

  @Test
  void concurrentWritersLeaveEveryLineWholeAndEachDecisionOnce() throws Exception {
    Path file = dir.resolve("busy.jsonl");
    JsonLinesAuditFile first = JsonLinesAuditFile.open(file);
    JsonLinesAuditFile second = JsonLinesAuditFile.open(file);
    int threads = 12;
    int each = 150;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    Throwable[] failed = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      String user = "u" + t + "\u00a0\"\n\\"; // escapes in every line
      JsonLinesAuditFile sink = t % 2 == 0 ? first : second;
      boolean interrupting = t % 3 == 0;
      Thread writer = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < each; i++) {
            if (interrupting && i % 7 == 0) {
              Thread.currentThread().interrupt(); // an executor cancelling: the line is written all the same
            }
            sink.record(denial(user, i));
            Thread.interrupted();
          }
        } catch (InterruptedException e) {
          failed[0] = e;
        }
      });
      writer.setUncaughtExceptionHandler((thread, e) -> failed[0] = e);
      writers.add(writer);
      writer.start();
    }
    start.countDown();
    for (Thread writer : writers) {
      writer.join();
    }
    first.release();
    second.release();

    assertThat(failed[0]).isNull();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      JsonNode node = JSON.readTree(line); // throws on a line that is not whole JSON
      assertThat(seen.add(node.get("user").asText() + "#" + node.get("statement").asInt())).as(line).isTrue();
    }
    assertThat(lines).hasSize(threads * each);
  }
}
