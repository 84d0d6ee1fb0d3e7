package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An UNLOAD that fails leaves the objects as they were (probe 21b U1, Q1, P1): a key it would write
 * that is a folder of other objects locally (S3 has a key and keys under it side by side), a
 * quoted query of more than one statement (H2 would run them all, unchecked), a decimal wider than
 * Redshift's NUMERIC in Parquet.
 */
class UnloadAllOrNothingTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (x INTEGER, s VARCHAR(1000))");
    db.sql("INSERT INTO t SELECT x, REPEAT('a', 1000) FROM SYSTEM_RANGE(1, 6000)");
  }

  private List<String> files() throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p) + "=" + size(p)).sorted().toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Each key an UNLOAD of two parts and a manifest writes, taken by a folder of another object. */
  @Test
  void aKeyThatIsAFolderLocallyRefusesTheWholeUnloadBeforeAnythingMoves() throws Exception {
    String unload = "UNLOAD ('select x, s from t order by x') TO 's3://b/out/y_'" + ROLE
        + " MAXFILESIZE 5 MB ALLOWOVERWRITE MANIFEST";
    db.run(unload);
    assertThat(files()).hasSize(3); // two parts and the manifest
    for (String taken : List.of("y_0000_part_00", "y_0000_part_01", "y_manifest")) {
      Path folder = root.resolve("b/out/" + taken);
      Path kept = root.resolve("b/kept");
      Files.move(folder, kept);
      Files.createDirectories(folder.resolve("z"));
      Files.writeString(folder.resolve("z/obj"), "other");
      List<String> before = files();

      assertThatThrownBy(() -> db.run(unload)).isInstanceOf(SQLException.class)
          .hasMessageContaining("is a folder of other objects locally");

      assertThat(files()).as(taken).isEqualTo(before);
      Files.delete(folder.resolve("z/obj"));
      Files.delete(folder.resolve("z"));
      Files.delete(folder);
      Files.move(kept, folder);
    }
  }

  @Test
  void aQueryOfMoreThanOneStatementRunsNothing() throws Exception {
    for (String query : List.of("select 1; drop table t", "select 1; delete from t", "select x from t;\nselect 2")) {
      assertThatThrownBy(() -> db.run("UNLOAD ('" + query.replace("'", "''") + "') TO 's3://b/q_'" + ROLE))
          .isInstanceOf(SQLException.class).hasMessageContaining("UNLOAD takes one SELECT statement")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
    }
    assertThat(db.count("t")).isEqualTo(6000);
    assertThat(files()).isEmpty();
    assertThat(db.run("UNLOAD ('select 1;') TO 's3://b/one_'" + ROLE).rows()).isEqualTo(1);
  }

  @Test
  void aDecimalWiderThanRedshiftsIsAnOverflowInParquet() throws Exception {
    for (String value : List.of("CAST(99999999999999999999999999999999999999 AS DECIMAL(38, 0)) * 10",
        "CAST(12345678901234567890123456789012345678901.5 AS DECIMAL(45, 1))")) {
      assertThatThrownBy(() -> db.run("UNLOAD ('select " + value + " as d') TO 's3://b/pq_'" + ROLE
          + " FORMAT AS PARQUET")).isInstanceOf(SQLException.class).hasMessageContaining("numeric value out of range")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"));
    }
    assertThat(files()).isEmpty();
  }
}
