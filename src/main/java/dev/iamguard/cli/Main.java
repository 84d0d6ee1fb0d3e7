package dev.iamguard.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.sql.LineText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code iamguard} command line: {@code explain}, {@code check}, {@code rewrite}, {@code run},
 * {@code registry} (import, validate, schema, diff) and {@code access}.
 */
@Command(name = "iamguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Finds and checks the AWS authorization clauses of Amazon Redshift SQL.",
    subcommands = {ExplainCommand.class, CheckCommand.class, RewriteCommand.class, RunCommand.class,
        RegistryCommand.class, AccessCommandLine.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its code. Scripts are read as UTF-8, so reports and
   * rewritten scripts are written as UTF-8 too, whatever the platform charset: {@code rewrite}
   * must leave every byte outside a rewritten clause unchanged.
   */
  public static void main(String[] args) {
    // The CLI's own logging (slf4j-simple): audit denials and errors on standard error, short lines.
    System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.exit(execute(args, utf8(System.out), utf8(System.err)));
  }

  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Runs the command line with the given output streams; returns the exit code (for tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setExitCodeExceptionMapper(e -> ExitCodes.ERROR)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof CliException) {
            cmd.getErr().println("iamguard: " + printable(e));
            return ExitCodes.ERROR;
          }
          throw e;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The message, escaped so that a file name or registry value cannot start a line of its own or
   * send a terminal escape; the lines of a registry's problem list (each escaped where it is
   * made) stay lines.
   */
  private static String printable(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (!(e.getCause() instanceof RegistryException)) {
      return LineText.escape(message);
    }
    StringBuilder out = new StringBuilder();
    for (String line : message.split("\n", -1)) {
      out.append(out.isEmpty() ? "" : "\n").append(LineText.escape(line));
    }
    return out.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"iamguard " + (version == null ? "(development build)" : version)};
    }
  }
}
