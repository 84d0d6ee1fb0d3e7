package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every spelling of one audit file (absolute, relative, with {@code .} or {@code ..}, through a
 * folder link, through a folder link and then {@code ..}, doubled slashes) writes to the file the
 * operating system names by it, and all of them share one writer. The oracle is the file system:
 * the lines are read back through each spelling, and no other file of that name appears. A
 * spelling {@code link/../x} was read as {@code x} beside the link (the path tidied as text), so
 * the lines went to another file than the one named, silently when a folder was there; and a
 * folder reached through a link opened a second writer on the same file.
 */
class AuditFileSpellingsTest {
  private static final Pattern STATEMENT = Pattern.compile("\"statement\":(\\d+),");

  @TempDir
  Path dir;
  private Path target;
  private List<Path> spellings;

  @BeforeEach
  void folders() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("real/sub"));
    Files.createDirectories(dir.resolve("other"));
    Files.createDirectories(dir.resolve("sub")); // where link/../sub/x.jsonl lands when read as text
    Files.createSymbolicLink(dir.resolve("link"), sub);
    Files.createSymbolicLink(dir.resolve("up"), dir.resolve("real"));
    target = sub.resolve("x.jsonl");
    Path cwd = Path.of("").toAbsolutePath();
    spellings = List.of(
        target,
        dir.resolve("real/./sub/x.jsonl"),
        dir.resolve("other/../real/sub/x.jsonl"),
        dir.resolve("link/x.jsonl"),
        dir.resolve("link/../sub/x.jsonl"),
        dir.resolve("link/./../sub/./x.jsonl"),
        dir.resolve("up/sub/x.jsonl"),
        dir.resolve("up/../link/x.jsonl"),
        Path.of(dir + "//real//sub//x.jsonl"),
        cwd.relativize(target),
        cwd.relativize(dir).resolve("link/../sub/x.jsonl")); // relativize would tidy the .. as text
  }

  private static AuditEvent event(int statement) {
    return new AuditEvent(null, "DENY", "enforce", "etl", null, statement, 1, "COPY", List.of("ROLE_UNKNOWN"),
        null, "COPY t FROM 's3://lake/in/' IAM_ROLE 'x'");
  }

  /** The statement numbers of the file's lines, in order; every line a whole JSON object. */
  private static List<Integer> statements(Path file) throws IOException {
    List<Integer> found = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      assertThat(line).startsWith("{\"time\":").endsWith("}");
      Matcher m = STATEMENT.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      found.add(Integer.parseInt(m.group(1)));
    }
    return found;
  }

  /** Files named x.jsonl anywhere under the test folder, links not followed: only the target. */
  private List<Path> filesNamedX() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().equals("x.jsonl")).toList();
    }
  }

  @Test
  void eachSpellingWritesTheFileItNames() throws IOException {
    for (int i = 0; i < spellings.size(); i++) {
      Path spelling = spellings.get(i);
      JsonLinesAuditFile sink = JsonLinesAuditFile.open(spelling);
      sink.record(event(i));
      sink.release();
      assertThat(Files.isSameFile(spelling, target)).as("the test's own premise, " + spelling).isTrue();
      List<Integer> expected = new ArrayList<>();
      for (int j = 0; j <= i; j++) {
        expected.add(j);
      }
      assertThat(statements(spelling)).as(spelling.toString()).isEqualTo(expected);
    }
    assertThat(filesNamedX()).containsExactly(target);
  }

  /**
   * A file named through a folder link follows the link when it is pointed at another folder (a
   * rotation of dated folders): the next line goes to the file the path names then.
   */
  @Test
  void aFolderLinkPointedElsewhereTakesTheNextLine() throws IOException {
    Path next = Files.createDirectories(dir.resolve("next"));
    Path rotating = Files.createSymbolicLink(dir.resolve("current"), target.getParent());
    JsonLinesAuditFile sink = JsonLinesAuditFile.open(rotating.resolve("x.jsonl"));
    sink.record(event(1));
    Files.delete(rotating);
    Files.createSymbolicLink(rotating, next);
    sink.record(event(2));
    sink.release();
    assertThat(statements(target)).containsExactly(1);
    assertThat(statements(next.resolve("x.jsonl"))).containsExactly(2);
  }

  @Test
  void everySpellingSharesOneWriterAndEveryLineIsWrittenWholeOnce() throws Exception {
    int rounds = 20;
    int perThread = 50;
    ExecutorService threads = Executors.newFixedThreadPool(spellings.size());
    try {
      for (int round = 0; round < rounds; round++) {
        Files.deleteIfExists(target);
        List<JsonLinesAuditFile> sinks = new ArrayList<>();
        for (Path spelling : spellings) {
          sinks.add(JsonLinesAuditFile.open(spelling));
        }
        assertThat(sinks).as("one writer for every spelling").allSatisfy(s -> assertThat(s).isSameAs(sinks.get(0)));
        CyclicBarrier start = new CyclicBarrier(spellings.size());
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < sinks.size(); t++) {
          JsonLinesAuditFile sink = sinks.get(t);
          int first = t * perThread;
          writers.add(threads.submit(() -> {
            start.await(60, TimeUnit.SECONDS);
            for (int k = 0; k < perThread; k++) {
              sink.record(event(first + k));
            }
            return null;
          }));
        }
        for (Future<?> writer : writers) {
          writer.get(60, TimeUnit.SECONDS);
        }
        for (JsonLinesAuditFile sink : sinks) {
          sink.release();
        }
        Map<Integer, Integer> seen = new HashMap<>();
        for (int statement : statements(target)) {
          seen.merge(statement, 1, Integer::sum);
        }
        assertThat(seen).as("round " + round).hasSize(spellings.size() * perThread);
        assertThat(seen.values()).as("round " + round).containsOnly(1);
        assertThat(filesNamedX()).containsExactly(target);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
