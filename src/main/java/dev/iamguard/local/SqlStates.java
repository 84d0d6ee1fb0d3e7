package dev.iamguard.local;

import dev.iamguard.sql.Spelling;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.util.Set;

/**
 * The SQLSTATEs the emulation raises, in one place. Redshift itself answers most load and unload
 * failures with {@code XX000} (internal error) and a pointer to STL_LOAD_ERRORS; locally a
 * specific, standard class is more useful to callers that branch on it.
 */
final class SqlStates {
  /** PostgreSQL {@code bad_copy_file_format} (class 22, data exception): a row could not be loaded. */
  static final String LOAD_ERROR = "22P04";
  /**
   * Class 0A ({@code feature_not_supported}), iamguard's own subclass: an option, source or format
   * the emulation does not implement. Not {@code 0A000} itself, which HikariCP takes for a broken
   * connection (it closes it, and an in-memory H2 database with it).
   */
  static final String NOT_EMULATED = "0AI01";
  /** {@code invalid_parameter_value}: an option value Redshift would reject as well. */
  static final String INVALID_OPTION = "22023";
  /** PostgreSQL {@code io_error} (class 58, system error): a missing or unreadable object. */
  static final String IO_ERROR = "58030";
  /** {@code syntax_error}: an option word Redshift does not know (it refuses the statement too). */
  static final String UNKNOWN_OPTION = "42601";
  /** {@code duplicate_object}: UNLOAD would overwrite objects and ALLOWOVERWRITE is absent. */
  static final String TARGET_NOT_EMPTY = "42710";
  /** A statement Redshift does not read (42601, syntax error). */
  static final String SYNTAX_ERROR = "42601";
  /** {@code insufficient_privilege}: a manifest entry the COPY's role may not read. */
  static final String NOT_PERMITTED = "42501";

  private SqlStates() {}

  /** An option, source or format that is refused rather than silently ignored. */
  static SQLException notEmulated(String command, String what) {
    return new SQLFeatureNotSupportedException(command + " option " + what
        + " is not emulated by the local S3 emulation; run this statement against Redshift, or"
        + " remove the option for local runs", NOT_EMULATED);
  }

  /**
   * An option the emulation does not run: one Redshift has ({@link #notEmulated}), or a word that is
   * none of Redshift's {@code known} options of {@code command}, with the nearest one as a suggestion
   * ({@code DELIMETER}: did you mean DELIMITER?).
   */
  static SQLException refusedOption(String command, String name, Set<String> known) {
    if (known.contains(name)) {
      return notEmulated(command, name);
    }
    String suggestion = Spelling.nearest(name, known).map(option -> "; did you mean " + option + "?").orElse("");
    return new SQLSyntaxErrorException(command + " option " + name + " is not a Redshift " + command + " option"
        + suggestion + " (Redshift refuses the statement too)", UNKNOWN_OPTION);
  }

  static SQLException notPermitted(String message) {
    return new SQLException(message, NOT_PERMITTED);
  }

  /**
   * An option given twice, or a second data format: Redshift refuses "conflicting or redundant
   * options" rather than let one of them win.
   */
  static SQLException redundantOption(String command, String what) {
    return new SQLException(command + " option " + what + ": conflicting or redundant options; give each once",
        SYNTAX_ERROR);
  }

  static SQLException invalidOption(String message) {
    return new SQLException(message, INVALID_OPTION);
  }

  static SQLException io(String message, Throwable cause) {
    return new SQLException(message, IO_ERROR, cause);
  }
}
