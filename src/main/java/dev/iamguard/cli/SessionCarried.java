package dev.iamguard.cli;

import dev.iamguard.policy.Session;
import java.util.Objects;

/**
 * The session a script leaves to the next one of the same command (check and run send the scripts
 * in order on one connection). A change of identity made in that script is named with the script's
 * file: the findings it causes in a later file must not point at a statement number of their own
 * file (CLI probe F2: a CALL in {@code a.sql} was reported in {@code b.sql} as "statement 2 of the
 * same execution").
 */
final class SessionCarried {
  private SessionCarried() {}

  /**
   * @param before the session the script started in
   * @param after the session it left
   * @param file the script's name as reports give it
   */
  static Session intoNextScript(Session before, Session after, String file) {
    if (after.origin() != Session.Origin.CHANGED
        || before.origin() == Session.Origin.CHANGED && Objects.equals(before.note(), after.note())) {
      return after; // not changed, or changed by an earlier script and named already
    }
    return after.changedBy(after.note() + Session.OF_SCRIPT + file);
  }
}
