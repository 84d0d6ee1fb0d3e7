package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.CommandOption;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#COPY_JOB_REFUSED}: {@code COPY ... JOB CREATE} accepts only an explicit
 * {@code IAM_ROLE 'arn'} and no manifest; Redshift refuses the rest when the statement runs. The
 * COPY JOB page: "You can't specify a COPY command with authorization types such as access key and
 * secret key. Only COPY commands that use the IAM_ROLE parameter for authorization are supported";
 * "COPY JOB doesn't support the default IAM role associated with the cluster. You must specify the
 * IAM_ROLE in the COPY command"; "You can't specify a manifest file."
 */
final class DenyRefusedCopyJob extends Rule {
  DenyRefusedCopyJob() {
    super(RuleId.COPY_JOB_REFUSED, Set.of(CommandKind.COPY));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    CommandOption job = in.command.option("JOB");
    if (job == null || !"CREATE".equals(job.value())) {
      return List.of();
    }
    String why = in.command.auth().isDefault() ? "IAM_ROLE default (COPY JOB does not support the cluster's default role)"
        : in.command.auth().form() == AuthForm.CREDENTIALS || in.command.auth().form() == AuthForm.ACCESS_KEYS
            ? in.command.auth().form() + " (COPY JOB accepts only IAM_ROLE)"
        : in.command.option("MANIFEST") != null ? "MANIFEST (COPY JOB watches a location for new files)"
        : null;
    if (why == null) {
      return List.of();
    }
    return List.of(in.finding(id(), why.substring(0, why.indexOf(" (")), "COPY ... JOB CREATE with " + why
            + ", which Redshift refuses",
        "write IAM_ROLE '<role ARN>' (the role the job will use) and a source prefix without MANIFEST"));
  }
}
