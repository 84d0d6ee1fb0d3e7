package dev.iamguard.cli;

import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard explain [--format text|json] [PATH...]}: what every statement asks of AWS,
 * written statement by statement as the scripts stream through.
 */
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
    List<ScriptSource> sources = Inputs.sources(paths);
    PrintWriter out = spec.commandLine().getOut();
    boolean json = format == ReportFormat.json;
    CheckFormat.Separator separator = new CheckFormat.Separator();
    if (json) {
      out.print("{\"statements\":[");
    }
    for (ScriptSource source : sources) {
      // each piece is written out on a parsing thread (the tables a query reads cost a JSqlParser
      // parse), then joined in order
      source.forEachPieceAhead(System.in, piece -> render(source.name(), piece, json), text -> {
        if (json) {
          separator.join(text, out);
        } else {
          out.append(text);
        }
        Inputs.checkOutput(out);
      });
    }
    if (json) {
      out.print("]}\n");
    }
    return ExitCodes.OK;
  }

  /** One piece's statements as JSON objects (comma-separated) or text lines. */
  private static StringBuilder render(String file, SqlScript piece, boolean json) {
    StringBuilder text = new StringBuilder();
    CheckFormat.Separator own = new CheckFormat.Separator();
    for (SqlStatement statement : piece.statements()) {
      if (json) {
        own.before(text);
        JsonWriter writer = new JsonWriter();
        ExplainReport.statement(writer, file, statement);
        writer.drainTo(text);
      } else {
        ExplainReport.text(text, file, statement);
      }
    }
    return text;
  }
}
