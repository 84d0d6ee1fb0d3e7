package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VARBYTE(n) column holds at most n bytes; a longer value is a load error of its row (1204, input
 * beyond the range of the type), which MAXERROR may skip as it skips a VARCHAR too long, and which
 * TRUNCATECOLUMNS does not shorten (the reference applies it to VARCHAR and CHAR only). H2 refused
 * such a value at the insert instead, which failed the whole COPY, whatever MAXERROR said, with H2's
 * message. Hand-checked oracle: value k bytes long loads, as itself, exactly when k &le; n; in text,
 * CSV and JSON alike.
 */
class VarbyteLengthTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final List<String> FORMATS = List.of("", " CSV", " JSON 'auto'");

  private static String hex(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7 - 128);
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static String data(String format, List<String> values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      text.append(format.contains("JSON") ? "{\"id\": " + i + ", \"v\": \"" + values.get(i) + "\"}"
          : i + (format.contains("CSV") ? "," : "|") + values.get(i)).append('\n');
    }
    return text.toString();
  }

  @Test
  void everyValueUpToTheLengthLoadsAndEveryLongerOneIsASkippableLoadError() throws Exception {
    int file = 0;
    for (String format : FORMATS) {
      for (int n = 1; n <= 6; n++) {
        db.sql("DROP TABLE IF EXISTS t");
        db.sql("CREATE TABLE t (id INTEGER, v VARBINARY(" + n + "))");
        List<String> values = new ArrayList<>();
        List<String> fitting = new ArrayList<>();
        for (int k = 1; k <= n + 3; k++) {
          values.add(hex(k, k + n));
          if (k <= n) {
            fitting.add(hex(k, k + n));
          }
        }
        String key = "b/f" + (++file) + "/d";
        LocalDb.put(root, key, data(format, values));
        for (String extra : List.of(" MAXERROR 100", " MAXERROR 100 TRUNCATECOLUMNS")) {
          db.sql("DELETE FROM t");
          String copy = "COPY t FROM 's3://" + key + "'" + ROLE + format + extra;
          LocalResult result = db.run(copy);

          List<String> loaded = new ArrayList<>();
          for (List<Object> row : db.rows("SELECT v FROM t ORDER BY id")) {
            loaded.add(row.get(0).toString());
          }
          List<String> expected = new ArrayList<>();
          for (String value : fitting) {
            expected.add(java.util.Arrays.toString(HexFormat.of().parseHex(value)));
          }
          assertThat(loaded).as(copy + " n=" + n).isEqualTo(expected);
          assertThat(result.rows()).as(copy).isEqualTo(n);
          assertThat(result.note()).as(copy).contains("3 record(s) could not be loaded", "(load error 1204)",
              "exceeds DDL length " + n);
        }
      }
    }
  }

  @Test
  void withoutMaxErrorTheFirstLongValueFailsTheCopyNamingItAndLoadsNothing() throws Exception {
    int file = 0;
    for (String format : FORMATS) {
      for (int n = 1; n <= 4; n++) {
        db.sql("DROP TABLE IF EXISTS t");
        db.sql("CREATE TABLE t (id INTEGER, v VARBINARY(" + n + "))");
        db.sql("INSERT INTO t VALUES (-1, NULL)");
        List<String> values = new ArrayList<>();
        for (int row = 0; row < 1500; row++) {  // the long value after a first batch of rows
          values.add(hex(row == 1200 ? n + 1 : n, row));
        }
        String key = "b/g" + (++file) + "/d";
        LocalDb.put(root, key, data(format, values));
        String copy = "COPY t FROM 's3://" + key + "'" + ROLE + format;

        assertThatThrownBy(() -> db.run(copy)).as(copy).isInstanceOf(SQLException.class)
            .hasMessageContaining("line 1201").hasMessageContaining("column v")
            .hasMessageContaining("load error 1204")
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22P04"));
        assertThat(db.count("t")).as(copy).isEqualTo(1);
      }
    }
  }
}
