package dev.iamguard.cli;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code iamguard check}: decides on every statement and reports; exit 1 when any is denied. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks every statement against the registry: ALLOW, REWRITE or DENY with findings.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GuardOptions options;

  @Option(names = "--format", defaultValue = "text", description = "text, json or sarif (default: ${DEFAULT-VALUE})")
  ReportFormat format;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    Registry registry = options.loadRegistry();
    Session session = options.session(registry);
    Guard guard = new Guard(registry);
    List<CheckReport.Checked> checked = new ArrayList<>();
    for (ScriptInput input : ScriptInput.readAll(paths, System.in)) {
      Decision decision = guard.inspect(input.text(), session);
      checked.add(new CheckReport.Checked(input.name(), decision));
    }
    String report = switch (format) {
      case json -> CheckReport.json(checked) + "\n";
      case sarif -> SarifReport.write(checked) + "\n";
      case text -> CheckReport.text(checked);
    };
    spec.commandLine().getOut().print(report);
    return checked.stream().allMatch(c -> c.decision().allowed()) ? ExitCodes.OK : ExitCodes.DENIED;
  }
}
