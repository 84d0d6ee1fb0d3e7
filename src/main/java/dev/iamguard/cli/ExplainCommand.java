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
    try {
      explain(sources, out, json, separator);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      if (json) {
        // one JSON object still: the statements so far and what stopped the rest
        StreamFailure.close(() -> out.print("]," + StreamFailure.jsonMember(e) + "}\n"));
      }
      throw e;
    }
    if (json) {
      out.print("]}\n");
    }
    return ExitCodes.OK;
  }

  private static void explain(List<ScriptSource> sources, PrintWriter out, boolean json,
      CheckFormat.Separator separator) {
    for (ScriptSource source : sources) {
      // the tables a query reads cost a JSqlParser parse: they are found on a parsing thread; the
      // piece is written out here, statement by statement, so memory holds the pieces in flight,
      // never their report (a piece's JSON is up to 50 times its text)
      source.forEachPieceAhead(System.in, piece -> json ? withTables(piece) : piece, piece -> {
        for (SqlStatement statement : piece.statements()) {
          if (json) {
            JsonWriter writer = JsonWriter.masking();
            ExplainReport.statement(writer, source.name(), statement);
            separator.before(out);
            writer.drainTo(out);
          } else {
            StringBuilder line = new StringBuilder();
            ExplainReport.text(line, source.name(), statement);
            out.append(line);
          }
        }
        Inputs.checkOutput(out);
      });
    }
  }

  /** {@code piece}, the tables each query of it reads (procedure bodies included) found and kept. */
  private static SqlScript withTables(SqlScript piece) {
    piece.statements().forEach(ExplainCommand::findTables);
    return piece;
  }

  private static void findTables(SqlStatement statement) {
    if (statement.command().query() != null) {
      statement.command().query().reads();
    }
    statement.command().body().forEach(ExplainCommand::findTables);
  }
}
