package dev.iamguard.jdbc;

/**
 * The SQLSTATEs the driver raises, in one place, each the standard class a caller (a pool, a
 * retry loop) already knows how to treat.
 */
final class GuardSqlStates {
  /**
   * {@code insufficient_privilege} (class 42), as PostgreSQL and Redshift answer a missing grant: a
   * denied statement ({@link GuardDeniedException#SQLSTATE}).
   */
  static final String DENIED = "42501";
  /**
   * {@code sqlclient_unable_to_establish_sqlconnection} (class 08): the connection is refused
   * before or while it is opened (no registry, a registry with errors, a wrong setting). Pools
   * treat class 08 as "this connection cannot be used", never as a statement error.
   */
  static final String CONNECTION_REFUSED = "08001";
  /**
   * {@code invalid_authorization_specification} (class 28): who the connection runs as cannot be
   * read from the server or does not match what the settings say.
   */
  static final String IDENTITY_UNKNOWN = "28000";
  /**
   * Class 0A ({@code feature_not_supported}) with an implementation-defined subclass (the SQL
   * standard leaves subclasses starting I to Z to implementations): a call the emulation or the guard
   * cannot serve as asked (an emulated statement prepared, in a batch, or through executeQuery; a
   * text the guard cannot read as the driver sends it). Not {@code 0A000} itself: HikariCP takes
   * that for a broken connection and closes it, losing the application's transaction, where these
   * refusals send nothing and the connection goes on (frameworks probe F2).
   */
  static final String NOT_SUPPORTED = "0AI01";
  /**
   * {@code io_error} (class 58, system error): a decision could not be audited (an audit file that
   * cannot be written, a sink that failed), so the statement is not sent.
   */
  static final String AUDIT_FAILED = "58030";
  /**
   * {@code invalid_descriptor_index} (class 07, dynamic SQL error): a parameter asked of a statement
   * that has none (an emulated prepared statement's parameter metadata).
   */
  static final String NO_SUCH_PARAMETER = "07009";
  /** {@code null_value_not_allowed} (class 22): a null SQL text. */
  static final String NULL_SQL = "22004";

  /** {@code invalid_cursor_state}: a result set its statement closed by running again. */
  static final String INVALID_CURSOR_STATE = "24000";

  /**
   * {@code object_not_in_prerequisite_state} (class 55): a statement used after it was closed, which
   * the guard finds itself where it runs the statement locally (an emulated COPY or UNLOAD).
   */
  static final String CLOSED = "55000";

  private GuardSqlStates() {}
}
