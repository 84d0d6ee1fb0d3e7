package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One audit file is shared by every connection that names it while any holds it, and closed once
 * none does (issue 17: a process that names ever new audit files does not keep every file open).
 */
class JsonLinesAuditFileTest {
  private static final Path OPEN_FILES = Path.of("/proc/self/fd");

  @TempDir
  Path dir;

  private static AuditEvent denial(int statement) {
    return new AuditEvent(null, "DENY", "enforce", "etl", "dev-cluster", statement, 1, "COPY",
        List.of("ROLE_UNKNOWN"), null, "COPY t FROM 's3://lake/in/' IAM_ROLE 'x'");
  }

  @Test
  void connectionsNamingOneFileShareIt() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditFile first = JsonLinesAuditFile.open(file);

    assertThat(JsonLinesAuditFile.open(dir.resolve(".").resolve("audit.jsonl"))).isSameAs(first);
  }

  @Test
  void aFileNothingHoldsIsClosedAndReopenedAppending() throws IOException {
    assumeTrue(Files.isDirectory(OPEN_FILES), "no /proc/self/fd here to see which files are open");
    Path file = dir.resolve("audit.jsonl");
    WeakReference<JsonLinesAuditFile> dropped = recordAndDrop(file);

    for (int i = 0; i < 200 && (dropped.get() != null || isOpen(file)); i++) { // a hang guard, not a timing
      System.gc();
      Thread.onSpinWait();
    }
    assertThat(dropped.get()).as("the sink nothing holds is dropped").isNull();
    assertThat(isOpen(file)).as("its file is closed").isFalse();

    JsonLinesAuditFile.open(file).record(denial(2));
    assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"decision\":\"DENY\""));
  }

  /** Records one line and forgets the sink (in a frame of its own: the caller's frame holds no reference). */
  private WeakReference<JsonLinesAuditFile> recordAndDrop(Path file) throws IOException {
    JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
    sink.record(denial(1));
    assertThat(isOpen(file)).as("the file is open while a connection holds it").isTrue();
    return new WeakReference<>(sink);
  }

  private static boolean isOpen(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> descriptors = Files.list(OPEN_FILES)) {
      return descriptors.anyMatch(descriptor -> {
        try {
          return Files.readSymbolicLink(descriptor).equals(real);
        } catch (IOException | UnsupportedOperationException e) {
          return false; // closed since it was listed
        }
      });
    }
  }
}
