package dev.iamguard.sql;

/**
 * What statements may do to the session they run in, beyond their own result: the bits the
 * statement scan reports, so a connection knows when the identity it checks as may have changed
 * without a second pass over the text. They are conservative (a statement flagged may change
 * nothing), and they see only the text: a function that changes the identity from inside its
 * body is invisible here, which is why the JDBC face also compares what the server reports.
 */
public final class SessionEffects {
  /** Nothing beyond the statement's own result. */
  public static final int NONE = 0;
  /**
   * May change who runs later statements: {@code SET}/{@code RESET SESSION AUTHORIZATION} and
   * {@code session_authorization} in any form, {@code set_config(...)} anywhere in a statement,
   * {@code SET}/{@code RESET ROLE}, {@code RESET ALL}, {@code DISCARD}, {@code CALL}, {@code DO},
   * and the JDBC call escapes {@code {call ...}} and {@code {? = call ...}}.
   */
  public static final int IDENTITY = 1;
  /**
   * Ends, rolls back or marks a transaction, or runs an SQL-level prepared statement
   * ({@code BEGIN}, {@code START}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT},
   * {@code SAVEPOINT}, {@code RELEASE}, {@code PREPARE}, {@code EXECUTE}): undoes or keeps an
   * earlier identity change ({@code SET LOCAL} ends at commit, a rollback restores the identity).
   */
  public static final int TRANSACTION = 2;
  /** Set by {@link SqlScript#scan} when the text must be parsed and inspected. */
  public static final int INSPECT = 4;
  /**
   * Besides {@link #TRANSACTION}: may undo or redo an identity change made before it, so that a
   * statement after it may run as another user than the one before it: a transaction end
   * ({@code COMMIT}, {@code END}, {@code ROLLBACK} also to a savepoint, {@code ABORT},
   * {@code PREPARE TRANSACTION}) or {@code EXECUTE} of an SQL-level prepared statement; not
   * {@code BEGIN}, {@code START}, {@code SAVEPOINT} or {@code RELEASE}.
   */
  public static final int UNDOES = 8;
  /**
   * May rename a schema ({@code ALTER SCHEMA name RENAME TO new_name}): an external schema's tables
   * are read and written with its role, which the guard looks up by the schema's name, so a
   * connection records the rename even when nothing in the text needs a decision.
   */
  public static final int CATALOG = 16;
  /**
   * Holds a {@code ;} inside a {@code --} comment with more text after it on its line: a driver that
   * splits a text at {@code ;} by a lexer of its own, which disagrees with the server's (the Redshift
   * driver and pgjdbc read {@code /}{@code *}{@code /} as a whole comment), may send that text as a
   * statement of its own, which the server then runs and the guard never read
   * ({@link SqlScript#hiddenByDriverSplits}).
   */
  public static final int DRIVER_SPLIT = 32;
  /**
   * May change a procedure ({@code ALTER PROCEDURE} or {@code ALTER ROUTINE}: its owner, its
   * security, a SET of who runs it, its name): on a declared identity a connection records the
   * change in the procedures earlier texts created, whose CALLs it judges, even when nothing in the
   * text needs a decision (sent on its own, {@code alter procedure p() owner to bob} was not
   * recorded, and a later {@code call p()} ran p's COPY as bob, judged for its creator).
   */
  public static final int ROUTINES = 64;
  /**
   * May change who belongs to a group or a Redshift role, or a user's attributes ({@code ALTER GROUP},
   * {@code CREATE GROUP}, {@code DROP GROUP}/{@code ROLE}/{@code USER}, {@code ALTER ROLE}/{@code USER},
   * any {@code GRANT} or {@code REVOKE} but of ASSUMEROLE): the groups and roles a user holds say which ASSUMEROLE
   * grants it holds, so a connection whose server reports them asks again before its next decision,
   * and a declared identity follows the changes it can read ({@link Memberships}). Set by the first
   * words only, so it may be set for a statement that changes none (a GRANT of a table's privileges).
   */
  public static final int MEMBERSHIP = 128;

  private SessionEffects() {}

  /** True when {@code effects} holds {@code bit}. */
  public static boolean has(int effects, int bit) {
    return (effects & bit) != 0;
  }
}
