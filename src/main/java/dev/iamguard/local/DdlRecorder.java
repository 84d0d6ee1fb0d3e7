package dev.iamguard.local;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.LineText;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the auth-carrying DDL H2 cannot run (external schemas, external functions, libraries,
 * models, ASSUMEROLE grants, CREATE DATABASE ... IAM_ROLE): nothing is sent to the database, one
 * INFO line is logged with the command and the object's name only (never the auth clause), and the
 * result says so.
 */
final class DdlRecorder {
  private static final Logger LOG = LoggerFactory.getLogger("dev.iamguard.local");

  private DdlRecorder() {}

  static LocalResult record(SqlStatement statement) {
    RedshiftCommand command = statement.command();
    if (command.kind() == CommandKind.SET_SESSION_AUTHORIZATION) {
      String user = command.sessionUser() == null ? "the login user" : command.sessionUser();
      return new LocalResult(0, "session authorization switched to " + user + " for the guard; not sent to H2");
    }
    String what = words(command.kind());
    // a quoted name may hold a line break or a terminal escape: escaped, so it cannot forge a log line
    String object = command.objectName() == null ? "" : " " + LineText.escape(command.objectName());
    LOG.info("recorded, not executed: {}{} (statement {}, line {})", what, object, statement.index(), statement.line());
    return new LocalResult(0, "recorded only: " + what + object + " is not emulated on H2");
  }

  /** {@code CREATE_EXTERNAL_SCHEMA} as {@code CREATE EXTERNAL SCHEMA}. */
  static String words(CommandKind kind) {
    return kind.name().replace('_', ' ');
  }
}
