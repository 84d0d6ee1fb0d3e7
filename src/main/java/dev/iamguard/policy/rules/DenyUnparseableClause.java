package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.Problem;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SchemaSource;
import java.util.List;

/**
 * {@link RuleId#AUTH_UNPARSEABLE}: an auth clause the SQL front end could not read, or a command
 * that needs credentials written without any (Redshift would refuse it when the job runs).
 */
final class DenyUnparseableClause extends Rule {
  DenyUnparseableClause() {
    super(RuleId.AUTH_UNPARSEABLE, Commands.ALL);
  }

  private static final String REMEDY = "write the statement in the form the Redshift documentation gives, with "
      + "the clause as IAM_ROLE DEFAULT or IAM_ROLE '<role ARN>[,<role ARN>...]' in one single-quoted literal";

  @Override
  List<Finding> evaluate(Inspection in) {
    List<Finding> found = List.of();
    List<Problem> problems = in.command.problems();
    for (int at = 0; at < problems.size(); at++) {
      Problem problem = problems.get(at);
      if (problem.kind() == Problem.Kind.UNPARSEABLE) {
        // the reason names the part that cannot be read: the auth clause, or the statement around it
        found = Inspection.append(found, in.finding(id(), "auth clause", problem.reason(), REMEDY, problem.offset()));
      }
    }
    if (in.command.problems().isEmpty() && in.command.auth().form() == AuthForm.NONE && needsCredentials(in.command)) {
      found = Inspection.append(found, in.finding(id(), in.command.kind().name(), in.command.kind()
              + " has no authorization clause (IAM_ROLE, ACCESS_KEY_ID or CREDENTIALS), so Redshift would refuse it",
          "add IAM_ROLE DEFAULT or IAM_ROLE '<role ARN>'"));
    }
    return found;
  }

  /** Commands that cannot run without credentials; COPY JOB management and Redshift-to-Redshift schemas can. */
  private static boolean needsCredentials(RedshiftCommand command) {
    CommandKind kind = command.kind();
    switch (kind) {
      case COPY:
        return command.targetTable() != null;
      case UNLOAD:
      case CREATE_EXTERNAL_FUNCTION:
      case CREATE_MODEL:
      case CREATE_EXTERNAL_MODEL:
        return true;
      case CREATE_LIBRARY:
        return !command.resources().s3().isEmpty();
      case CREATE_EXTERNAL_SCHEMA: {
        // Kafka, and MSK with AUTHENTICATION none, connect without any role (facts 3; CREATE
        // EXTERNAL SCHEMA: "AUTHENTICATION { none | iam }")
        SchemaSource source = command.resources().schemaSource();
        return source == null || source.needsCredentials(authenticationNone(command));
      }
      case CREATE_DATABASE:
        // a Glue database (FROM ARN) is reached through a role the guard must see
        return command.resources().catalogArn() != null;
      default:
        return false;
    }
  }

  private static boolean authenticationNone(RedshiftCommand command) {
    dev.iamguard.sql.CommandOption authentication = command.option("AUTHENTICATION");
    return authentication != null && "NONE".equals(authentication.value());
  }
}
