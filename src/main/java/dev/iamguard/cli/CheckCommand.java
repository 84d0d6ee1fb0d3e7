package dev.iamguard.cli;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard check}: decides on every statement and reports as it goes; exit 1 when a
 * statement fails the check ({@code --fail-on}), 2 on an error, on an invalid suppression and when
 * there is no statement to check. The files of a folder are checked on all cores, reported in order.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks every statement against the registry: ALLOW, REWRITE or DENY with findings.")
final class CheckCommand implements Callable<Integer> {
  /** Files up to this size are checked ahead of their turn, their report buffered; larger ones stream in turn. */
  static final long BUFFERED_FILE = 1 << 20;
  /** The files checked ahead of their turn weigh at most this share of the heap (see {@link #call}). */
  static final long AHEAD_SHARE = 64;

  @Spec
  CommandSpec spec;

  @Mixin
  GuardOptions options;

  @Option(names = "--format", defaultValue = "text", description = "text, json or sarif (default: ${DEFAULT-VALUE})")
  ReportFormat format;

  @Option(names = "--fail-on", defaultValue = "deny", paramLabel = "LEVEL",
      description = "exit 1 on: deny (a denied statement, the default), rewrite (also a rewritten one), "
          + "warning (also a warning or an unused suppression)")
  FailOn failOn;

  @Option(names = {"-q", "--quiet"},
      description = "only the problems: text prints only what fails the check, json only statements with findings or rewrites")
  boolean quiet;

  @Option(names = {"-v", "--verbose"},
      description = "text: each finding's whole problem and remedy, and the findings suppressions and the baseline accepted")
  boolean verbose;

  @Option(names = "--baseline", paramLabel = "FILE", description = "accept the findings this baseline holds")
  Path baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE",
      description = "write the current findings to FILE as the baseline (exit 0 unless an error)")
  Path writeBaseline;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    if (quiet && verbose) {
      throw new CliException("--quiet and --verbose exclude each other");
    }
    if (writeBaseline != null) {
      // a pipe, device or folder there is refused now, not after a check whose report it would cut short
      AtomicFile.refuseUnlessFile(writeBaseline, "the baseline");
    }
    Registry registry = options.loadRegistry();
    Session session = options.session(registry);
    List<ScriptSource> sources = Inputs.sources(paths);
    Baseline accepted = baseline == null ? null : Baseline.load(baseline);
    CheckFormat report = switch (format) {
      case json -> new JsonCheckReport(quiet, accepted != null || writeBaseline != null);
      case sarif -> new SarifReport(Path.of(""), Main.Version.version(), accepted != null);
      case text -> new TextCheckReport(failOn, quiet, verbose);
    };
    FileCheck.Settings settings = new FileCheck.Settings(new Guard(registry), session, report, failOn, accepted,
        format == ReportFormat.sarif, writeBaseline != null);
    PrintWriter out = spec.commandLine().getOut();
    Tally total = new Tally();
    List<SuppressionNote> notes = new ArrayList<>();
    List<Baseline.Entry> entries = new ArrayList<>();
    CheckFormat.Separator separator = new CheckFormat.Separator();
    // The scripts are decided as run sends them: in order, on one connection, so each starts in the
    // session the ones before it left (SET SESSION AUTHORIZATION, GRANT/REVOKE ASSUMEROLE, external
    // schemas). A file checked ahead of its turn started in the given session; it is checked again
    // in its turn when an earlier script changed the session.
    Session[] carried = {session};
    report.begin(out);
    try {
      checkInOrder(sources, settings, report, out, separator, carried, session, total, notes, entries);
      // failures after the last statement are the report's too: nothing checked, a baseline not written
      if (total.statements == 0) {
        throw new CliException(Inputs.nothingToCheck(paths, sources));
      }
      if (writeBaseline != null) {
        Baseline.write(writeBaseline, entries);
      }
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // a JSON or SARIF document stays one document: what was written, and what stopped the rest
      StreamFailure.close(() -> {
        report.failed(e, total, notes, out);
        out.flush();
      });
      throw e;
    }
    report.end(total, notes, out);
    return finish(total, entries);
  }

  private void checkInOrder(List<ScriptSource> sources, FileCheck.Settings settings, CheckFormat report,
      PrintWriter out, CheckFormat.Separator separator, Session[] carried, Session session, Tally total,
      List<SuppressionNote> notes, List<Baseline.Entry> entries) {
    int threads = Runtime.getRuntime().availableProcessors();
    // A file checked ahead holds its parsed piece and its buffered report (together up to about 40
    // times its size, for short COPY statements in JSON) until its turn: the files ahead weigh a
    // 64th of the heap at most, so the heap a folder needs does not grow with the cores.
    new InOrder<ScriptSource, Buffered>(threads, 2 * threads, ScriptSource::size,
        Runtime.getRuntime().maxMemory() / AHEAD_SHARE).run(sources,
        source -> !source.isStdin() && source.size() >= 0 && source.size() <= BUFFERED_FILE,
        source -> {
          StringWriter part = new StringWriter();
          // a failure here writes nothing: the part is dropped, and its tally with it
          return new Buffered(part, FileCheck.run(settings, source, null, part, new CheckFormat.Separator(), () -> {},
              null));
        },
        new InOrder.Handler<>() {
          @Override
          public void buffered(ScriptSource source, Buffered result) {
            if (!carried[0].equals(session)) {
              inTurn(source);
              return;
            }
            report.joinPart(result.part().getBuffer(), out, separator);
            add(source, result.result());
            Inputs.checkOutput(out);
          }

          @Override
          public void inTurn(ScriptSource source) {
            add(source, FileCheck.run(settings.startingIn(carried[0]), source, System.in, out, separator,
                () -> Inputs.checkOutput(out), total));
          }

          private void add(ScriptSource source, FileCheck.Result result) {
            carried[0] = SessionCarried.intoNextScript(carried[0], result.sessionAfter(), source.name());
            total.add(result.tally());
            notes.addAll(result.notes());
            entries.addAll(result.baseline());
          }
        });
  }

  private int finish(Tally total, List<Baseline.Entry> entries) {
    PrintWriter out = spec.commandLine().getOut();
    out.flush();
    if (writeBaseline != null) {
      spec.commandLine().getErr().println("iamguard: wrote " + entries.size() + " findings to the baseline "
          + writeBaseline);
    }
    if (total.invalidSuppressions > 0) {
      spec.commandLine().getErr().println("iamguard: " + total.invalidSuppressions
          + " invalid suppressions (see the report): they accept nothing");
      return ExitCodes.ERROR;
    }
    return writeBaseline == null && total.failing > 0 ? ExitCodes.DENIED : ExitCodes.OK;
  }

  /** A file checked ahead of its turn: its report, and what it adds to the total. */
  private record Buffered(StringWriter part, FileCheck.Result result) {}
}
