package dev.iamguard.jdbc;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.sql.LineText;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.List;

/**
 * Thrown instead of sending a denied statement. SQLState {@value #SQLSTATE}
 * ({@code insufficient_privilege}); the message is the first finding's sentence (it starts with
 * {@code iamguard:}, names the rule, the statement, the role or resource and the remedy), then
 * the others, one per line. The findings and the whole decision are reachable for programs.
 *
 * <p>A denial is a permission error, not a syntax error, so this is an
 * {@link SQLInvalidAuthorizationSpecException}: the JDBC class that frameworks translate by type
 * into a permission failure (Spring's {@code PermissionDeniedDataAccessException}). The SQLState
 * alone would not say it: translators that go by SQLState read class {@code 42} as bad grammar.
 * {@code 42501} stays, as it is what Redshift and PostgreSQL answer for a missing privilege.
 */
public final class GuardDeniedException extends SQLInvalidAuthorizationSpecException {
  /** PostgreSQL's and Redshift's insufficient_privilege. */
  public static final String SQLSTATE = GuardSqlStates.DENIED;

  private final transient Decision decision;

  GuardDeniedException(Decision decision) {
    super(message(decision.errors()), SQLSTATE);
    this.decision = decision;
  }

  /** A denial explained by {@code lead} (a sentence starting with {@code iamguard:}) before the decision's findings. */
  GuardDeniedException(String lead, Decision decision) {
    super(LineText.escape(lead) + "\n" + message(decision.errors()), SQLSTATE);
    this.decision = decision;
  }

  /** The decision that denied the text. */
  public Decision decision() {
    return decision;
  }

  /** The findings that deny, in statement order. */
  public List<Finding> findings() {
    return decision.errors();
  }

  private static String message(List<Finding> errors) {
    if (errors.isEmpty()) {
      return "iamguard: denied";
    }
    // one line a finding, whatever the names in it hold: frameworks print the message to logs and
    // terminals (red-team review: a user name's line feed and escape sequences reached them raw)
    StringBuilder message = new StringBuilder(LineText.escape(errors.get(0).message()));
    for (int i = 1; i < errors.size(); i++) {
      message.append('\n').append(LineText.escape(errors.get(i).message()));
    }
    return message.toString();
  }
}
