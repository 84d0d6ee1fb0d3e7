package dev.iamguard.cli;

import dev.iamguard.policy.access.AccessReport;
import dev.iamguard.policy.access.RegistryIssue;
import dev.iamguard.policy.access.RegistryValidator;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.LineText;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard registry validate}: loads the registry (exit 2 with every problem when it does
 * not load) and reports what loads but is probably not meant (exit 1 when anything is).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Checks a registry: errors (exit 2) and warnings (exit 1): roles and chains no one can use,"
        + " aliases that are other roles' names, whole-bucket grants, attached roles it does not describe.")
final class RegistryValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the registry")
  Path registry;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  ReportFormat format;

  @Option(names = "--policy-files-outside",
      description = "let the registry's policy_files lie outside its folder (absolute paths, .., links)")
  boolean policyFilesOutside;

  @Override
  public Integer call() {
    if (format == ReportFormat.sarif) {
      throw new CliException("--format sarif is for check; validate writes text or json");
    }
    Registry loaded = RegistryFiles.load(registry, policyFilesOutside);
    List<RegistryIssue> issues = RegistryValidator.validate(loaded, AccessReport.forValidation(loaded));
    StringBuilder out = new StringBuilder();
    if (format == ReportFormat.json) {
      JsonWriter json = new JsonWriter().beginObject().field("file", registry.toString()).name("warnings").beginArray();
      for (RegistryIssue issue : issues) {
        json.beginObject().field("code", issue.code()).field("line", issue.line()).field("path", issue.path())
            .field("message", issue.message()).endObject();
      }
      json.endArray().name("summary").beginObject().field("warnings", issues.size()).endObject().endObject();
      out.append(json).append('\n');
    } else {
      for (RegistryIssue issue : issues) {
        out.append(LineText.escape(registry + ":" + issue.line() + ": warning " + issue.code() + " " + issue.path()
            + ": " + issue.message())).append('\n');
      }
      out.append(registry).append(": loads; ").append(issues.size()).append(issues.size() == 1 ? " warning" : " warnings")
          .append('\n');
    }
    spec.commandLine().getOut().print(out);
    return issues.isEmpty() ? ExitCodes.OK : ExitCodes.DENIED;
  }
}
