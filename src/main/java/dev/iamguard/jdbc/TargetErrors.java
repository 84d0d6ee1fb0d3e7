package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.audit.SecretValues;
import dev.iamguard.sql.SecretSpans;
import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target database's errors, without the secrets of the text that caused them. A database may
 * quote the statement it refused (H2 quotes it whole: {@code Syntax error in SQL statement "alter
 * user bob password 'x'"}) or a value of it ({@code invalid input "x"}); when any message of an
 * error (its own, its causes', its next exceptions') holds a secret value of the text sent, the
 * application gets a copy of the same standard {@code java.sql} type, SQLState and vendor code,
 * with every message masked and without the original, which would print it as its cause (causes
 * and suppressed exceptions that quote no secret are kept, the others left out). Only the
 * failure path pays: nothing is looked at until the target throws.
 */
final class TargetErrors {
  private TargetErrors() {}

  /** {@code error}, or its masked copy when a message quotes a secret of one of {@code texts}. */
  static SQLException masked(SQLException error, String... texts) {
    List<String> secrets = new ArrayList<>(0);
    String carried = null;
    for (String text : texts) {
      // a batch entry ending with a secret keyword leaves its value to the next entry
      // (addBatch("alter user bob password"), addBatch("'...'")), which a driver quotes alone
      secrets.addAll(Redactor.secretsAfter(carried, text)); // none for a null text
      carried = text == null ? null : SecretSpans.keywordAwaitingValue(text, 0, endBeforeSemicolons(text));
    }
    // also masked without them: a driver may quote a bound parameter's value where the text holds ?
    // (Batch entry 0 ALTER USER u PASSWORD ('...') was aborted), which the redactor's shapes catch
    return withSecrets(error, secrets);
  }

  /** Where {@code text} ends before the semicolons and white space it may end with. */
  private static int endBeforeSemicolons(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ';' || Character.isWhitespace(text.charAt(end - 1)))) {
      end--;
    }
    return end;
  }

  /** {@code error}, or its masked copy when a message quotes a secret of one of {@code texts}. */
  static SQLException masked(SQLException error, List<String> texts) {
    return masked(error, texts.toArray(new String[0]));
  }

  /**
   * {@code error}, or its masked copy when a message quotes one of {@code secrets} (the password and
   * keys of a login) or a URL's password.
   */
  static SQLException withSecrets(SQLException error, List<String> secrets) {
    SecretValues values = Redactor.secretValues(secrets); // once for the whole chain: one message per batch entry
    SecretQuotes quotes = new SecretQuotes(error, values);
    if (!quotes.any()) {
      return error;
    }
    return copy(error, values, quotes);
  }

  /**
   * In place of a driver's unchecked exception (an {@code IllegalArgumentException} about a URL it
   * cannot parse) whose message quotes one of {@code secrets} or a URL's password: an
   * {@code SQLException} with the masked message and without the original. Null when none does.
   */
  static SQLException replacing(RuntimeException error, List<String> secrets) {
    SecretValues values = Redactor.secretValues(secrets);
    if (!new SecretQuotes(error, values).any()) {
      return null;
    }
    return new SQLException("iamguard: the target driver failed: " + error.getClass().getName() + ": "
        + Redactor.redactMessage(String.valueOf(error.getMessage()), values), GuardSqlStates.CONNECTION_REFUSED);
  }

  /**
   * The masked copy of {@code error} and of each exception chained after it, in a loop: a batch's
   * error chains one exception per failed entry, a warning chain one per server notice.
   */
  private static SQLException copy(SQLException error, SecretValues secrets, SecretQuotes quotes) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    SQLException first = null;
    SQLException last = null;
    for (SQLException e = error; e != null && !seen.containsKey(e); e = e.getNextException()) {
      SQLException copy = copyOne(e, secrets, quotes, seen);
      if (last == null) {
        first = copy;
      } else {
        last.setNextException(copy); // the chain's end: no walk along it
      }
      last = copy;
    }
    return first;
  }

  /** The masked copy of {@code error} alone: its message, and the cause and suppressed exceptions that quote no secret. */
  private static SQLException copyOne(SQLException error, SecretValues secrets, SecretQuotes quotes,
      Map<Throwable, Boolean> seen) {
    seen.put(error, Boolean.TRUE);
    String message = error.getMessage() == null ? null : Redactor.redactMessage(error.getMessage(), secrets);
    Throwable cause = error.getCause();
    // a cause that quotes no secret still tells where the failure came from
    boolean keep = cause != null && !seen.containsKey(cause) && !quotes.leadsToSecret(cause);
    SQLException copy = sameType(error, message, keep ? cause : null);
    copy.setStackTrace(error.getStackTrace());
    for (Throwable suppressed : error.getSuppressed()) {
      if (!seen.containsKey(suppressed) && !quotes.leadsToSecret(suppressed)) {
        copy.addSuppressed(suppressed); // likewise; one that quotes a secret is left out
      }
    }
    return copy;
  }

  /**
   * {@code warning} chain, or its masked copy (SQLWarnings all) when a message quotes one of
   * {@code secrets} or any SQL secret or URL password: a server notice may quote the statement.
   */
  static SQLWarning maskedWarning(SQLWarning warning, List<String> secrets) {
    return warning == null ? null : (SQLWarning) withSecrets(warning, secrets);
  }

  /**
   * A new exception of the closest standard type: applications catch those, never the driver's own.
   * The cause goes to the constructor: {@code BatchUpdateException}'s only constructor taking
   * {@code long[]} counts sets its cause, after which {@code initCause} throws (drivers that give a
   * batch error a cause, pgjdbc and Redshift's, made {@code executeBatch} throw IllegalStateException).
   */
  private static SQLException sameType(SQLException e, String message, Throwable cause) {
    String state = e.getSQLState();
    int code = e.getErrorCode();
    if (e instanceof SQLWarning) {
      return new SQLWarning(message, state, code, cause);
    } else if (e instanceof BatchUpdateException batch) {
      return new BatchUpdateException(message, state, code, batch.getLargeUpdateCounts(), cause);
    } else if (e instanceof SQLSyntaxErrorException) {
      return new SQLSyntaxErrorException(message, state, code, cause);
    } else if (e instanceof SQLDataException) {
      return new SQLDataException(message, state, code, cause);
    } else if (e instanceof SQLIntegrityConstraintViolationException) {
      return new SQLIntegrityConstraintViolationException(message, state, code, cause);
    } else if (e instanceof SQLFeatureNotSupportedException) {
      return new SQLFeatureNotSupportedException(message, state, code, cause);
    } else if (e instanceof SQLInvalidAuthorizationSpecException) {
      return new SQLInvalidAuthorizationSpecException(message, state, code, cause);
    } else if (e instanceof SQLNonTransientConnectionException) {
      return new SQLNonTransientConnectionException(message, state, code, cause);
    } else if (e instanceof SQLNonTransientException) {
      return new SQLNonTransientException(message, state, code, cause);
    } else if (e instanceof SQLTransactionRollbackException) {
      return new SQLTransactionRollbackException(message, state, code, cause);
    } else if (e instanceof SQLTimeoutException) {
      return new SQLTimeoutException(message, state, code, cause);
    } else if (e instanceof SQLTransientConnectionException) {
      return new SQLTransientConnectionException(message, state, code, cause);
    } else if (e instanceof SQLTransientException) {
      return new SQLTransientException(message, state, code, cause);
    } else if (e instanceof SQLRecoverableException) {
      return new SQLRecoverableException(message, state, code, cause);
    }
    return new SQLException(message, state, code, cause);
  }
}
