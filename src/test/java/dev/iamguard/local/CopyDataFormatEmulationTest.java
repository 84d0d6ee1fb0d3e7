package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.sql.CopyFormatClauses;
import java.io.File;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The emulation reads COPY's data format clause in every spelling the guard reads
 * ({@link CopyFormatClauses}): 'auto' and 'auto ignorecase' load, a JSONPaths file and 'noshred' are
 * refused ({@code 0AI01}) naming the format and the option, whether FORMAT, its AS or the AS before
 * the option is written or not. An option in another case loads or is refused by name, never ignored.
 */
class CopyDataFormatEmulationTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  static Stream<CopyFormatClauses.Clause> clauses() {
    return CopyFormatClauses.of(List.of("JSON", "AVRO"), List.of("auto", "auto ignorecase", "noshred", "s3://b/jp.json"),
        List.of(" ", "\n-- c\n ")).stream();
  }

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (id INTEGER)");
    LocalDb.put(root, "b/json/j", "{\"id\": 7}\n");
    Schema schema = SchemaBuilder.record("row").fields().name("id").type().intType().noDefault().endRecord();
    File file = root.resolve("b/avro/a.avro").toFile();
    Files.createDirectories(file.toPath().getParent());
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.create(schema, file);
      GenericRecord record = new GenericData.Record(schema);
      record.put("id", 7);
      writer.append(record);
    }
  }

  @ParameterizedTest
  @MethodSource("clauses")
  void everySpellingLoadsOrIsRefusedByName(CopyFormatClauses.Clause clause) throws Exception {
    String sql = "COPY t FROM 's3://b/" + (clause.format().equals("JSON") ? "json/" : "avro/") + "'" + ROLE + clause.sql();
    String option = clause.option();
    boolean auto = option.equals("auto") || option.equals("auto ignorecase");
    if (auto) {
      assertThat(db.run(sql).rows()).as(sql).isEqualTo(1);
      assertThat(db.rows("SELECT id FROM t")).as(sql).containsExactly(List.of(7));
      return;
    }
    String named = clause.format() + " '" + option + "'";
    if (option.equalsIgnoreCase("auto") || option.equalsIgnoreCase("auto ignorecase")) {
      // the option's case: the emulation's own reading, loaded or refused by name
      try {
        assertThat(db.run(sql).rows()).as(sql).isEqualTo(1);
      } catch (SQLException e) {
        assertThat(e.getMessage()).as(sql).contains(named);
        assertThat(e.getSQLState()).as(sql).isEqualTo("0AI01");
      }
      return;
    }
    assertThatThrownBy(() -> db.run(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(named)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
    assertThat(db.rows("SELECT id FROM t")).as(sql).isEmpty();
  }
}
