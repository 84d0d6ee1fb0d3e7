package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A COPY of 100,000 rows completes; the time is printed, not asserted. */
class CopyVolumeTest {
  private static final int ROWS = 100_000;

  @TempDir
  Path root;

  @Test
  void copiesOneHundredThousandRows() throws Exception {
    Path file = root.resolve("b/big/sales.txt");
    Files.createDirectories(file.getParent());
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= ROWS; i++) {
        out.write(i + "|customer " + i + "|" + (i % 1000) + "." + (i % 100) + "|2024-01-" + (1 + i % 28)
            + "|2024-01-01 10:" + (10 + i % 50) + ":00.5|" + (i % 2 == 0 ? "t" : "f") + "\n");
      }
    }
    try (LocalDb db = new LocalDb(root)) {
      db.sql("CREATE TABLE sales (id BIGINT, customer VARCHAR(50), amount DECIMAL(10,2), sale_day DATE,"
          + " sold TIMESTAMP, paid BOOLEAN)");

      long start = System.nanoTime();
      LocalResult result = db.run("COPY sales FROM 's3://b/big/sales' IAM_ROLE default");
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("COPY of " + ROWS + " rows from local S3 into H2 took " + millis + " ms");

      assertThat(result.rows()).isEqualTo(ROWS);
      assertThat(db.count("sales")).isEqualTo(ROWS);
      assertThat(db.rows("SELECT customer, amount FROM sales WHERE id = 12345"))
          .containsExactly(List.of("customer 12345", new java.math.BigDecimal("345.45")));
    }
  }
}
