package dev.iamguard.cli;

import java.io.PrintWriter;
import java.util.List;

/** What {@code explain}, {@code check} and {@code rewrite} share about their inputs and output. */
final class Inputs {
  private Inputs() {}

  /**
   * The scripts the paths name; refuses to read standard input from a terminal, where it would wait
   * for someone to type a script (a forgotten PATH in a CI job).
   */
  static List<ScriptSource> sources(List<String> paths) {
    List<ScriptSource> sources = ScriptSource.list(paths);
    if (Main.stdinIsTerminal && sources.stream().anyMatch(ScriptSource::isStdin)) {
      throw new CliException("no PATH given and standard input is a terminal: name the SQL files or folders to "
          + "read, or pipe a script in (- reads standard input)");
    }
    return sources;
  }

  /** Why there was nothing to check: empty folders, empty standard input, or files without statements. */
  static String nothingToCheck(List<String> paths, List<ScriptSource> sources) {
    if (sources.isEmpty()) {
      return "no SQL statements to check: " + String.join(", ", paths) + " holds no .sql files";
    }
    if (sources.size() == 1 && sources.get(0).isStdin()) {
      return "no SQL statements to check: standard input held none";
    }
    return "no SQL statements to check: " + (sources.size() == 1 ? sources.get(0).name() + " holds none"
        : "the " + sources.size() + " files hold none");
  }

  /** Ends the command (exit 2) once standard output can no longer be written (a closed pipe). */
  static void checkOutput(PrintWriter out) {
    if (out.checkError()) {
      throw new CliException("cannot write to standard output");
    }
  }
}
