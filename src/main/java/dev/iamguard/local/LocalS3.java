package dev.iamguard.local;

import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * Redshift's COPY and UNLOAD, emulated against a local folder that stands in for S3, for running
 * ETL scripts on H2: {@code s3://bucket/key} is the file {@code root/bucket/key}. The statements H2
 * cannot run because they exist only for AWS (external schemas, external functions, libraries,
 * models, ASSUMEROLE grants, CREATE DATABASE with IAM_ROLE) are recorded instead of executed.
 *
 * <p>The guard has already allowed every statement handed here. COPY loads in one transaction
 * (or a savepoint inside the caller's): a failure leaves the table unchanged and raises
 * {@code 22P04} naming file, line, column, value and reason, like a row of STL_LOAD_ERRORS.
 * Options that are not emulated raise {@code 0AI01} naming the option; nothing is silently
 * ignored. See {@link CopyOptions} and {@link UnloadOptions} for the option tables.
 */
public final class LocalS3 {
  private final ObjectStore store;

  /** A local S3 rooted at {@code root}; buckets are its sub-folders. */
  public LocalS3(Path root) {
    this.store = new ObjectStore(root);
  }

  /**
   * The local file of {@code s3://bucket/key} (the bucket folder for an empty key), under the same
   * rules COPY and UNLOAD follow: no key that leaves the bucket, no symbolic link leading out of it.
   *
   * @throws SQLException {@code 22023} for a bucket no S3 bucket name can be (empty, starting with a dot,
   *     holding {@code @}, {@code :} or a backslash) or a key no file can have, {@code 58030} for a
   *     link out of the bucket
   */
  public Path file(String bucket, String key) throws SQLException {
    S3Uri.checkBucket(bucket, "s3://" + bucket + "/" + key);
    return store.path(new S3Uri(bucket, key));
  }

  /**
   * The local file whose bytes an emulated COPY may read for {@code s3://bucket/key}: {@link #file},
   * and no symbolic link on the way, even one that stays in the bucket, as COPY reads.
   *
   * @throws SQLException as {@link #file}, and {@code 58030} for a link on the way
   */
  public Path fileToRead(String bucket, String key) throws SQLException {
    S3Uri.checkBucket(bucket, "s3://" + bucket + "/" + key);
    return store.pathToRead(new S3Uri(bucket, key));
  }

  /**
   * The local file an emulated UNLOAD may write for {@code s3://bucket/key}: {@link #file}, and no
   * symbolic link on the way, as UNLOAD writes.
   *
   * @throws SQLException as {@link #file}, and {@code 58030} for a link on the way
   */
  public Path fileToWrite(String bucket, String key) throws SQLException {
    S3Uri.checkBucket(bucket, "s3://" + bucket + "/" + key);
    return store.pathToWrite(new S3Uri(bucket, key));
  }

  /**
   * A fresh, empty file in the staging folder UNLOAD stages its parts in ({@code root/.iamguard-staging},
   * which no bucket name can reach): bytes written there belong to no key, so no listing or COPY sees
   * them, until the caller moves the file to its key (the same file system, so atomically).
   *
   * @throws SQLException {@code 58030} when the staging folder is a symbolic link
   * @throws java.io.IOException when the file cannot be created
   */
  public Path newStagingFile() throws SQLException, java.io.IOException {
    return store.newStagingFile();
  }

  /** The folder standing in for S3. */
  public Path root() {
    return store.root();
  }

  /**
   * True for statements this class executes instead of the database: COPY, UNLOAD, and the
   * auth-carrying DDL H2 cannot run (CREATE/ALTER EXTERNAL SCHEMA, CREATE EXTERNAL FUNCTION,
   * CREATE LIBRARY, CREATE MODEL, CREATE EXTERNAL MODEL, GRANT/REVOKE ASSUMEROLE, CREATE DATABASE
   * with an IAM_ROLE clause, CREATE/ALTER IDENTITY PROVIDER, external tables), and SET/RESET SESSION AUTHORIZATION, whose identity switch the guard
   * tracks itself (H2 has no such statement).
   */
  public static boolean emulates(RedshiftCommand command) {
    return switch (command.kind()) {
      case COPY, UNLOAD, CREATE_EXTERNAL_SCHEMA, ALTER_EXTERNAL_SCHEMA, CREATE_EXTERNAL_FUNCTION, CREATE_LIBRARY,
          CREATE_MODEL, CREATE_EXTERNAL_MODEL, GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE, SET_SESSION_AUTHORIZATION,
          CREATE_IDENTITY_PROVIDER, ALTER_IDENTITY_PROVIDER, CREATE_EXTERNAL_TABLE, ALTER_EXTERNAL_TABLE -> true;
      case CREATE_DATABASE -> command.auth().form() != AuthForm.NONE;
      default -> false;
    };
  }

  /**
   * Executes one statement against the H2 connection.
   *
   * @return rows loaded (COPY) or unloaded (UNLOAD); 0 for recorded DDL
   * @throws SQLException {@code 22P04} when rows cannot be loaded, {@code 0AI01} for an option
   *     that is not emulated, {@code 22023} for an option value Redshift would refuse too,
   *     {@code 58030} for a missing or unreadable object, {@code 42710} when UNLOAD would
   *     overwrite objects without ALLOWOVERWRITE
   */
  public LocalResult execute(Connection connection, SqlStatement statement) throws SQLException {
    return execute(connection, statement, null);
  }

  /**
   * {@link #execute(Connection, SqlStatement)}, reading only the manifest entries {@code readable}
   * accepts: the guard checks a COPY's manifest, not what it lists, which AWS checks against the
   * role when the COPY runs; locally this is asked instead.
   *
   * @param readable whether whoever the COPY acts as may read one {@code s3://} object; null reads
   *     every entry
   * @throws SQLException as above, and {@code 42501} for a manifest entry {@code readable} refuses
   */
  public LocalResult execute(Connection connection, SqlStatement statement, Predicate<String> readable)
      throws SQLException {
    RedshiftCommand command = statement.command();
    if (!emulates(command)) {
      throw new IllegalArgumentException("statement " + statement.index() + " (" + command.kind()
          + ") is not one LocalS3 emulates; send it to the database");
    }
    return switch (command.kind()) {
      case COPY -> {
        EncryptionCheck.refuseClientSideEncryption("COPY", statement);
        yield new CopyRunner(store, readable).run(connection, command);
      }
      case UNLOAD -> {
        EncryptionCheck.refuseClientSideEncryption("UNLOAD", statement);
        yield new UnloadRunner(store).run(connection, command);
      }
      default -> DdlRecorder.record(statement);
    };
  }
}
