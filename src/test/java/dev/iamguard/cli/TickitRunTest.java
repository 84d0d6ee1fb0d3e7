package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import dev.iamguard.samples.TickitSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of issue 15: the TICKIT schema and load script of the Redshift Getting Started Guide
 * ({@code ../shared/corpus/tickit/tickit.sql}, read where it is, unchanged) runs through
 * {@code iamguard run} on H2 with the committed sample files and the TICKIT registry.
 */
class TickitRunTest {
  @Test
  void theGettingStartedScriptRunsUnchangedOnH2() throws Exception {
    Path script = SharedFiles.require("corpus/tickit/tickit.sql");
    String db = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection keep = DriverManager.getConnection(db)) {
      CliRun run = CliRun.of("run", "--url", "jdbc:iamguard:" + db.substring("jdbc:".length()), "--registry", "samples/tickit/registry.yaml",
          "--local-s3", "samples/tickit/local-s3", script.toString());
      assertThat(run.err()).isEmpty();
      assertThat(run.code()).isZero();
      assertThat(run.out().lines().filter(l -> l.contains("] OTHER ALLOW"))).hasSize(7);
      assertThat(run.out().lines().filter(l -> l.contains("] COPY ALLOW"))).hasSize(7);
      for (Map.Entry<String, Integer> table : TickitSamples.rowCounts().entrySet()) {
        assertThat(count(keep, table.getKey())).as(table.getKey()).isEqualTo(table.getValue());
        assertThat(run.out()).contains("COPY ALLOW " + table.getValue() + " rows");
      }
      // the values arrive as Redshift reads them: time formats, booleans, empty fields as NULL
      try (Statement statement = keep.createStatement();
           ResultSet rs = statement.executeQuery("select s.saletime, d.holiday, d.\"DAY\", u.likesports, u.liketheatre,"
               + " e.starttime, l.priceperticket from sales s join date d on d.dateid = s.dateid"
               + " join users u on u.userid = s.buyerid join event e on e.eventid = s.eventid"
               + " join listing l on l.listid = s.listid where s.salesid = 2")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getTimestamp(1)).hasToString("2008-01-24 09:17:33.0");
        assertThat(rs.getBoolean(2)).isFalse();
        assertThat(rs.getString(3)).isEqualTo("TH "); // CHAR(3) is blank-padded, in Redshift too
        assertThat(rs.getObject(4)).isEqualTo(true);
        assertThat(rs.getObject(5)).isEqualTo(false);
        assertThat(rs.getTimestamp(6)).hasToString("2008-01-24 19:00:00.0");
        assertThat(rs.getBigDecimal(7)).isEqualByComparingTo("76.00");
      }
    }
  }

  @Test
  void theCommittedSampleFilesAreWhatTheGeneratorWrites() throws Exception {
    for (Map.Entry<String, String> file : TickitSamples.files().entrySet()) {
      Path committed = Path.of("samples/tickit/local-s3", TickitSamples.PREFIX + file.getKey());
      assertThat(Files.readString(committed, StandardCharsets.UTF_8)).as(committed.toString())
          .isEqualTo(file.getValue());
    }
    try (var files = Files.walk(Path.of("samples/tickit/local-s3"))) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(TickitSamples.files().size());
    }
  }

  private static int count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
