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
    return nothingTo("check", paths, sources.stream().map(ScriptSource::name).toList());
  }

  /**
   * Why there was nothing to {@code verb}, for the scripts named {@code names} ({@code -} for
   * standard input) that {@code paths} gave.
   */
  static String nothingTo(String verb, List<String> paths, List<String> names) {
    String nothing = "no SQL statements to " + verb + ": ";
    if (names.isEmpty()) {
      return nothing + String.join(", ", paths) + " holds no .sql files";
    }
    if (names.size() == 1 && names.get(0).equals("-")) {
      return nothing + "standard input held none";
    }
    return nothing + (names.size() == 1 ? names.get(0) + " holds none" : "the " + names.size() + " files hold none");
  }

  /** Ends the command (exit 2) once standard output can no longer be written (a closed pipe). */
  static void checkOutput(PrintWriter out) {
    if (out.checkError()) {
      throw new CliException("cannot write to standard output");
    }
  }
}
