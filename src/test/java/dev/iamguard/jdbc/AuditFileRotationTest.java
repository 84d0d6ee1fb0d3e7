package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file of long-lived connections and pools is rotated (logrotate's {@code create}: the
 * file renamed, a new one expected at the path) or deleted by an operator: the lines written after
 * went to the renamed file, or to the deleted one and were lost, with no error (probe 22c F2). Each
 * line now goes to the file the path names when it is written, for a connection opened before the
 * change and one opened after, and none is lost.
 */
class AuditFileRotationTest {
  @TempDir
  Path dir;

  private Connection open(Path audit) throws SQLException {
    Properties properties = TestRegistry.properties("etl");
    properties.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    properties.setProperty("iamguard.audit-file", audit.toString());
    return DriverManager.getConnection(TestRegistry.h2Url(), properties);
  }

  @Test
  void linesFollowThePathThroughRotationAndDeletion() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Path rotated = dir.resolve("audit.jsonl.1");
    try (Connection held = open(audit)) {
      AuditFileLifetimeTest.deny(held);
      Files.move(audit, rotated);
      AuditFileLifetimeTest.deny(held); // the path names no file: opened again there
      try (Connection after = open(audit)) {
        AuditFileLifetimeTest.deny(after);
      }
      assertThat(Files.readAllLines(rotated)).hasSize(1);
      assertThat(Files.readAllLines(audit)).as("written where the path now points").hasSize(2);

      Files.move(audit, dir.resolve("audit.jsonl.2"));
      Files.writeString(audit, ""); // logrotate's create: a new, empty file at the path
      AuditFileLifetimeTest.deny(held);
      assertThat(Files.readAllLines(audit)).as("the new file, not the renamed one").hasSize(1);
      assertThat(Files.readAllLines(dir.resolve("audit.jsonl.2"))).hasSize(2);

      Files.delete(audit);
      AuditFileLifetimeTest.deny(held);
      AuditFileLifetimeTest.deny(held);
      assertThat(Files.readAllLines(audit)).as("created again, nothing lost").hasSize(2);
    }
  }
}
