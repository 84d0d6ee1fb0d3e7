package dev.iamguard.cli;

import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code iamguard explain [--format text|json] [PATH...]}: what every statement asks of AWS. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Lists every statement with its command, auth clause, resources and tables.")
final class ExplainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  ReportFormat format;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    if (format == ReportFormat.sarif) {
      throw new CliException("explain writes text or json, not sarif");
    }
    List<ExplainReport.Explained> explained = new ArrayList<>();
    for (ScriptInput input : ScriptInput.readAll(paths, System.in)) {
      explained.add(new ExplainReport.Explained(input.name(), SqlScript.parse(input.text()).statements()));
    }
    String report = format == ReportFormat.json ? ExplainReport.json(explained) + "\n" : ExplainReport.text(explained);
    spec.commandLine().getOut().print(report);
    return ExitCodes.OK;
  }
}
