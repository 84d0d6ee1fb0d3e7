package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An Avro date or timestamp never loads in another era: timestamps were written for COPY with the
 * pattern {@code yyyy} (year of era, no sign), so 44 BC loaded as 45 AD, silently (red-team review).
 * Across the era boundary and beyond year 9999, for every logical type and column type, a value
 * loads as itself or is a load error, never another value; years 1 to 9999 load.
 */
class AvroEraTest extends WithLocalDb {
  private static final int[] YEARS = {-4712, -44, -1, 0, 1, 2, 1582, 1970, 9999, 10000, 294276};

  @ParameterizedTest
  @CsvSource({"date, DATE", "timestamp-millis, TIMESTAMP", "timestamp-micros, TIMESTAMP",
      "local-timestamp-millis, TIMESTAMP", "local-timestamp-micros, TIMESTAMP", "timestamp-millis, TIMESTAMP WITH TIME ZONE",
      "timestamp-micros, TIMESTAMP WITH TIME ZONE"})
  void aValueLoadsAsItselfOrNotAtAllAcrossTheEras(String logicalType, String columnType) throws Exception {
    db.sql("CREATE TABLE t (id INT, v " + columnType + ")");
    boolean date = logicalType.equals("date");
    Schema value = date ? LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)) : withLogicalType(logicalType);
    Schema schema = SchemaBuilder.record("row").fields().name("id").type().intType().noDefault()
        .name("v").type(value).noDefault().endRecord();
    Map<Integer, LocalDateTime> expected = new HashMap<>();
    File file = root.resolve("b/era.avro").toFile();
    Files.createDirectories(file.toPath().getParent());
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.create(schema, file);
      for (int i = 0; i < YEARS.length; i++) {
        LocalDateTime t = date ? LocalDate.of(YEARS[i], 3, 15).atStartOfDay()
            : LocalDateTime.of(YEARS[i], 3, 15, 12, 30, 45, 123_000_000);
        expected.put(i, t);
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", i);
        long seconds = t.toEpochSecond(ZoneOffset.UTC);
        record.put("v", date ? (Object) (int) t.toLocalDate().toEpochDay()
            : logicalType.endsWith("millis") ? (Object) (seconds * 1_000L + 123L) : (Object) (seconds * 1_000_000L + 123_000L));
        writer.append(record);
      }
    }
    db.run("COPY t FROM 's3://b/era.avro' IAM_ROLE default FORMAT AS AVRO 'auto' MAXERROR 100");
    Map<Integer, LocalDateTime> loaded = new HashMap<>();
    try (Statement statement = db.connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT id, v FROM t")) {
      while (rs.next()) {
        loaded.put(rs.getInt(1), switch (columnType) {
          case "DATE" -> rs.getObject(2, LocalDate.class).atStartOfDay();
          case "TIMESTAMP WITH TIME ZONE" -> rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime();
          default -> rs.getObject(2, LocalDateTime.class);
        });
      }
    }
    for (Map.Entry<Integer, LocalDateTime> row : loaded.entrySet()) {
      assertThat(row.getValue()).as("year %d", YEARS[row.getKey()]).isEqualTo(expected.get(row.getKey()));
    }
    for (int i = 0; i < YEARS.length; i++) {
      if (YEARS[i] >= 1 && YEARS[i] <= 9999) {
        assertThat(loaded).as("year %d", YEARS[i]).containsKey(i);
      }
    }
  }

  private static Schema withLogicalType(String name) {
    Schema schema = Schema.create(Schema.Type.LONG);
    schema.addProp("logicalType", name);
    return new Schema.Parser().parse(schema.toString());
  }
}
