package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.CommandOption;
import java.util.List;
import java.util.Set;

/**
 * {@link RuleId#COPY_JOB_UNCHECKED}: {@code COPY JOB RUN name} runs a stored COPY whose role,
 * source and options were fixed when the job was created ("Run a copy job. The stored COPY command
 * parameters are used."), so the guard cannot see what it touches. A warning by default; denied
 * under {@code policy.copy_job_run: deny}, silent under {@code allow}.
 */
final class DenyCopyJobRun extends Rule {
  DenyCopyJobRun() {
    super(RuleId.COPY_JOB_UNCHECKED, Set.of(CommandKind.COPY));
  }

  @Override
  List<Finding> evaluate(Inspection in) {
    CommandOption job = in.command.option("JOB");
    if (job == null || !"RUN".equals(job.value())) {
      return List.of();
    }
    Severity severity = Inspection.severity(in.registry.settings().copyJobRun());
    if (severity == null) {
      return List.of();
    }
    String name = job.values().size() > 1 ? job.values().get(1) : "?";
    return List.of(in.finding(id(), name, "COPY JOB RUN " + name + " runs a stored COPY whose role and source"
            + " were set when the job was created, so they cannot be checked here",
        "create the job through the guard (COPY ... JOB CREATE is checked like COPY), or set policy.copy_job_run"
            + " in " + in.registryFile(), in.statement.start(), severity));
  }
}
