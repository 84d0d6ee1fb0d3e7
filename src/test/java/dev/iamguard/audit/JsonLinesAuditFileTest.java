package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.OpenFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One audit file is shared by every connection that names it while any holds it, and closed when
 * the last hold is given back, or once nothing refers to it (issue 17: a process that names ever new
 * audit files does not keep every file open).
 */
class JsonLinesAuditFileTest {
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
    OpenFiles.require();
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

  @Test
  void theFileIsClosedWhenTheLastHoldIsGivenBackAndReopenedAppending() throws IOException {
    OpenFiles.require();
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditFile first = JsonLinesAuditFile.open(file);
    JsonLinesAuditFile second = JsonLinesAuditFile.open(file);
    assertThat(second).isSameAs(first);
    assertThat(OpenFiles.count(file)).as("one descriptor for both holds").isEqualTo(1);

    first.release();
    first.record(denial(1));
    assertThat(isOpen(file)).as("one hold is left").isTrue();

    second.release();
    assertThat(isOpen(file)).as("no hold is left").isFalse();
    assertThatThrownBy(() -> first.record(denial(2)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write the audit file").hasMessageContaining("closed");
    assertThatThrownBy(first::release).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("released more often than opened");

    JsonLinesAuditFile reopened = JsonLinesAuditFile.open(file);
    assertThat(reopened).as("a closed file is not handed out again").isNotSameAs(first);
    reopened.record(denial(3));
    reopened.release();
    assertThat(Files.readAllLines(file)).hasSize(2)
        .satisfiesExactly(line -> assertThat(line).contains("\"statement\":1"),
            line -> assertThat(line).contains("\"statement\":3"));
  }

  /**
   * A FileChannel is closed for everyone when a thread writing to it is interrupted (an executor
   * cancelling a query): every later statement of every connection would fail to be audited.
   */
  @Test
  void aWriterThatIsInterruptedLeavesTheFileOpenForEveryone() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
    boolean[] stillInterrupted = new boolean[1];
    Thread interrupted = new Thread(() -> {
      Thread.currentThread().interrupt();
      sink.record(denial(1));
      stillInterrupted[0] = Thread.currentThread().isInterrupted();
    });
    Throwable[] failed = new Throwable[1];
    interrupted.setUncaughtExceptionHandler((thread, e) -> failed[0] = e);
    interrupted.start();
    interrupted.join();

    assertThat(failed[0]).as("the interrupted thread's line is written").isNull();
    assertThat(stillInterrupted[0]).as("its interrupt is left for the application").isTrue();
    sink.record(denial(2));
    sink.release();
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  /** Records one line and forgets the sink (in a frame of its own: the caller's frame holds no reference). */
  private WeakReference<JsonLinesAuditFile> recordAndDrop(Path file) throws IOException {
    JsonLinesAuditFile sink = JsonLinesAuditFile.open(file);
    sink.record(denial(1));
    assertThat(isOpen(file)).as("the file is open while a connection holds it").isTrue();
    return new WeakReference<>(sink);
  }

  private static boolean isOpen(Path file) throws IOException {
    return OpenFiles.isOpen(file);
  }
}
