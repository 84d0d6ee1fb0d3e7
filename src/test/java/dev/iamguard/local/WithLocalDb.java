package dev.iamguard.local;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test against a fresh in-memory H2 database and local S3 folder ({@link #root}): opened before
 * each test (before the subclass's own set-up) and closed after it.
 */
abstract class WithLocalDb {
  /** The folder standing in for S3: buckets are its sub-folders. */
  @TempDir
  Path root;
  LocalDb db;

  @BeforeEach
  final void openLocalDb() throws SQLException {
    db = new LocalDb(root);
  }

  @AfterEach
  final void closeLocalDb() throws SQLException {
    db.close();
  }
}
