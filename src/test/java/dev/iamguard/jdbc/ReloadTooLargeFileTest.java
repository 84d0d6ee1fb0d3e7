package dev.iamguard.jdbc;

import static dev.iamguard.jdbc.ReloadNonRegularFileTest.REGISTRY;
import static dev.iamguard.jdbc.ReloadNonRegularFileTest.UNLOAD;
import static dev.iamguard.jdbc.ReloadNonRegularFileTest.connect;
import static dev.iamguard.jdbc.ReloadNonRegularFileTest.permissions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hot reload ({@link ReloadNonRegularFileTest}'s registry and policy file) with the registry or a
 * policy file grown past the size iamguard reads (sparse files, so
 * cheap): the next statement is decided by the last good registry and one ERROR names the file and its
 * size. Read whole, a 3 GB registry made {@code Statement.execute} throw {@code OutOfMemoryError} at
 * reload (red-team review). Putting the file back reloads as usual.
 *
 * <p>Generated: the registry and a policy file x sizes (64 MiB and one byte, 3 GB) x reload intervals
 * (0: at once; 1 ms: the change is read twice before it applies).
 */
class ReloadTooLargeFileTest {

  @TempDir
  Path dir;

  static Stream<Arguments> grown() {
    return Stream.of("reg.yaml", "p.json").flatMap(file -> Stream.of(64L * 1024 * 1024 + 1, 3L << 30)
        .flatMap(size -> Stream.of(0, 1).map(interval -> Arguments.of(file, size, interval))));
  }

  @ParameterizedTest(name = "{0} grows to {1} bytes, interval {2}")
  @MethodSource("grown")
  void theNextStatementIsDecidedByTheLastGoodRegistry(String file, long size, int interval) throws Exception {
    try (Connection connection = connect(dir, interval)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      assertThat(guarded.decisionFor(UNLOAD.formatted("a")).allowed()).isTrue();
      String log = RegistryReloadTest.capturingStandardError(() -> {
        try (RandomAccessFile out = new RandomAccessFile(dir.resolve(file).toFile(), "rw")) {
          out.setLength(size);
        }
        for (int check = 0; check < 3; check++) {
          Thread.sleep(interval * 5L);
          assertThat(guarded.decisionFor(UNLOAD.formatted("a")).allowed()).as("the last good registry").isTrue();
          assertThat(guarded.decisionFor(UNLOAD.formatted("b")).allowed()).isFalse();
          try (Statement statement = connection.createStatement()) {
            assertThat(assertThrows(SQLException.class, () -> statement.execute(UNLOAD.formatted("b"))).getMessage())
                .contains("S3_NOT_PERMITTED");
          }
        }
      });
      assertThat(log.lines().filter(l -> l.contains("ERROR"))).as(log).singleElement().asString()
          .contains("keeping the last good registry");
      assertThat(log).contains((file.equals("p.json") ? "policy file p.json is " : "the registry is ")
          + String.format(java.util.Locale.ROOT, "%,d bytes", size)).doesNotContain("OutOfMemoryError");
      Files.delete(dir.resolve(file));
      Files.writeString(dir.resolve(file), file.equals("p.json") ? permissions("b") : REGISTRY);
      for (int check = 0; check < 3; check++) {
        Thread.sleep(interval * 5L);
        guarded.decisionFor("SELECT 1");
      }
      assertThat(guarded.decisionFor(UNLOAD.formatted("b")).allowed()).as("reloaded once mended")
          .isEqualTo(file.equals("p.json"));
    }
  }
}
