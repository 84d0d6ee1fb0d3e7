package dev.iamguard.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.Set;
import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.sql.LineText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code iamguard} command line: {@code explain}, {@code check}, {@code rewrite}, {@code run},
 * {@code suggest}, {@code registry} (import, validate, schema, diff) and {@code access}.
 */
@Command(name = "iamguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Finds and checks the AWS authorization clauses of Amazon Redshift SQL.",
    subcommands = {ExplainCommand.class, CheckCommand.class, RewriteCommand.class, RunCommand.class,
        SuggestCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its code. Scripts are read as UTF-8, so reports and
   * rewritten scripts are written as UTF-8 too, whatever the platform charset: {@code rewrite}
   * must leave every byte outside a rewritten clause unchanged.
   */
  public static void main(String[] args) {
    LastWords.prepare();
    int code;
    try {
      // The CLI's own logging (slf4j-simple): audit denials and errors on standard error, short lines.
      System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
          System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
      System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
      stdinIsTerminal = Terminal.stdinIsTerminal();
      code = execute(args, utf8(new FileOutputStream(FileDescriptor.out)), utf8(System.err));
    } catch (OutOfMemoryError e) {
      // execute says so itself; this is where the command line ran out before it could, or its words did
      reserve = null;
      code = LastWords.outOfMemory(said);
    }
    LastWords.exit(code);
  }

  /**
   * True when standard input is a terminal: a command that would read it instead of a PATH
   * refuses, rather than wait for typing. Set by {@link #main}; tests run with a stream.
   */
  static volatile boolean stdinIsTerminal;

  /**
   * Standard output is written to its file descriptor, not through {@code System.out}, whose
   * PrintStream swallows write errors: a closed pipe must end a long check (exit 2), not let it
   * run on writing nowhere. {@code println} flushes; reports written with {@code print} are flushed
   * between pieces.
   */
  private static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /**
   * Memory set aside while a command runs and let go when the heap runs out, so that the line
   * saying so can be written: in a heap of 8 to 16 MB the command line runs out while picocli loads
   * its classes, and without this room the line ran out too and the JVM's own handler after it
   * (exit 1, "OutOfMemoryError thrown from the UncaughtExceptionHandler").
   */
  private static volatile byte[] reserve;
  private static final int RESERVE = 256 * 1024;
  /** What is written when even the message naming the cause cannot be built. */
  static final String OUT_OF_MEMORY = "iamguard: out of memory: give the Java heap more with java -Xmx...";
  /** Set once the out-of-memory line is written, so that a failure after it does not add a second one. */
  private static volatile boolean said;

  /** Says that the heap ran out, naming what the command holds; returns the exit code. */
  private static int outOfMemory(String[] args, OutOfMemoryError e, PrintWriter err) {
    try {
      err.println("iamguard: out of memory (" + LineText.escape(String.valueOf(e.getMessage())) + "): "
          + heldBy(args.length > 0 ? args[0] : ""));
    } catch (OutOfMemoryError again) {
      err.println(OUT_OF_MEMORY); // if this runs out too, main writes the line without the heap
    }
    said = true;
    return ExitCodes.ERROR;
  }

  /** What {@code command} holds that may outgrow the heap, and what to do. */
  private static String heldBy(String command) {
    return switch (command) {
      case "registry", "access" -> "the registry, or what the command builds from it, is larger than the Java heap"
          + " allows; give more with java -Xmx...";
      // suggest keeps each distinct location it reads (not each statement): splitting the scripts would
      // not shrink that, and would suggest for a part of them only
      case "suggest" -> "the distinct S3 locations and other resources the scripts use, a statement or the"
          + " registry are more than the Java heap holds; give more with java -Xmx..., or a --prefix-depth that"
          + " merges dated folders";
      default -> StreamFailure.HEAP_ADVICE;
    };
  }

  /** The commands that stream scripts; see {@link #execute}. */
  private static final Set<String> STREAMING = Set.of("explain", "check", "rewrite", "run");

  /** Runs the command line with the given output streams; returns the exit code (for tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    reserve = new byte[RESERVE];
    said = false;
    CommandLine commandLine = new CommandLine(new Main());
    // The streaming commands run in a heap bounded by their largest statement (a 32 MB heap checks
    // a 90 MB script); the registry commands' model is built only when one of them may be asked for.
    if (args.length == 0 || !STREAMING.contains(args[0])) {
      commandLine.addSubcommand(new RegistryCommand()).addSubcommand(new AccessCommandLine());
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand())
        .setOut(out)
        .setErr(err)
        .setExitCodeExceptionMapper(e -> ExitCodes.ERROR)
        .setParameterExceptionHandler(Main::parameterError)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof CliException) {
            cmd.getErr().println("iamguard: " + printable(e));
            return ExitCodes.ERROR;
          }
          if (e instanceof UncheckedIOException io) {
            cmd.getErr().println("iamguard: " + StreamFailure.message(io));
            return ExitCodes.ERROR;
          }
          if (e instanceof InvalidPathException path) {
            // a name the platform charset cannot hold (LANG=C and a non-ASCII name): never a stack trace
            cmd.getErr().println("iamguard: " + LineText.escape(path.getMessage())
                + ": run with a UTF-8 locale (LANG=C.UTF-8), or rename the file");
            return ExitCodes.ERROR;
          }
          throw e;
        });
    withoutSubcommandVersions(commandLine);
    int code;
    try {
      code = commandLine.execute(args);
    } catch (OutOfMemoryError e) {
      reserve = null;
      code = outOfMemory(args, e, err);
    } catch (StackOverflowError e) {
      err.println("iamguard: a statement nests too deeply to read (stack overflow): simplify it, or give a larger "
          + "stack with java -Xss...");
      code = ExitCodes.ERROR;
    } catch (LinkageError e) {
      // a class missing or of another version (the Redshift driver's IAM login without the AWS SDK): a
      // line saying which and what to do, not the JVM's stack trace and exit 1
      err.println("iamguard: " + LineText.escape(missingClass(e)));
      code = ExitCodes.ERROR;
    }
    out.flush();
    // a command that found the output gone has said so (exit 2): one line, not two
    if (out.checkError() && code != ExitCodes.ERROR) {
      err.println("iamguard: cannot write to standard output");
      code = ExitCodes.ERROR;
    }
    err.flush();
    return code;
  }

  /**
   * picocli's handling of a bad command line (its message, then suggestions or the usage), with the
   * message masked: picocli quotes what was typed ({@code Unknown option: '--x=...'}, {@code but was
   * '...'}), and an option value may hold a key or password (a secret pasted in the wrong place) that
   * would land in a CI log. Each argument, and the value after an option's {@code =}, that holds a
   * secret the Redactor knows is replaced by its masked form wherever the message quotes it; the
   * message is then masked as a whole and escaped to one line.
   */
  private static int parameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println(LineText.escape(maskedArguments(String.valueOf(e.getMessage()), args)));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      commandLine.usage(err, commandLine.getColorScheme());
    }
    return ExitCodes.ERROR;
  }

  /**
   * {@code message} with each argument, or option value after {@code =}, that holds a secret shown as
   * {@code ***} where the message quotes it (whole: what remains of a value masked in part, such as
   * {@code aws_secret_access_key=***}, still reads as a secret and would mask the option's name with it);
   * then masked as a whole.
   */
  static String maskedArguments(String message, String[] args) {
    java.util.Map<String, String> masks = new java.util.TreeMap<>(
        java.util.Comparator.comparingInt(String::length).reversed().thenComparing(java.util.Comparator.naturalOrder()));
    for (String arg : args) {
      int equals = arg.indexOf('=');
      // an option's name is kept: read alone as SQL, "--name" is a comment and would be masked with the value
      String value = arg.startsWith("-") && equals > 0 ? arg.substring(equals + 1) : arg;
      if (!value.isEmpty() && !Redactor.redactMessage(value).equals(value)) {
        masks.put(arg, arg.substring(0, arg.length() - value.length()) + Redactor.MASK);
        masks.put(value, Redactor.MASK); // picocli quotes an option's value on its own too
      }
    }
    String masked = message;
    for (java.util.Map.Entry<String, String> mask : masks.entrySet()) { // a whole argument before its value
      masked = masked.replace(mask.getKey(), mask.getValue());
    }
    return Redactor.redactMessage(masked);
  }

  /** Where a class of the AWS SDK (v2, then v1) lives: the Redshift driver's IAM login loads them. */
  private static final java.util.List<String> AWS_SDK = java.util.List.of("software/amazon/awssdk/", "com/amazonaws/");

  /**
   * Says which class could not be loaded or linked and what to do. The iamguard CLI jar carries the
   * Redshift driver but not the AWS SDK its IAM authentication ({@code redshift:iam://} URLs, IAM
   * properties) needs, so that case gets its own remedy.
   */
  static String missingClass(LinkageError e) {
    StringBuilder causes = new StringBuilder();
    for (Throwable t = e; t != null && causes.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
      causes.append(' ').append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    String said = Redactor.redactMessage(e.getClass().getSimpleName() + ": " + e.getMessage());
    String dotted = causes.toString().replace('.', '/');
    if (AWS_SDK.stream().anyMatch(dotted::contains)) {
      return "the Redshift driver's IAM authentication needs the AWS SDK, which the iamguard CLI jar does not carry ("
          + said + "): connect with a jdbc:redshift://HOST:5439/DB URL and a password (--password-env VAR), or run"
          + " with the SDK jars on the classpath: java -cp iamguard-cli.jar:SDK_JARS dev.iamguard.cli.Main ...";
    }
    return "a class this command needs cannot be loaded (" + said + "): run the CLI jar as built"
        + " (java -jar iamguard-cli.jar), or put the library holding it, of the version the others were built"
        + " against, on the classpath (java -cp iamguard-cli.jar:JARS dev.iamguard.cli.Main ...)";
  }

  /**
   * Takes {@code -V/--version} off every subcommand, recursively: their standard options listed it
   * but, with no version of their own, it printed nothing, ran nothing and exited 0, so {@code check
   * -V ...} (a typo in a CI job) passed without checking. {@code iamguard --version} prints it; on a
   * subcommand the option is now unknown (exit 2).
   */
  private static void withoutSubcommandVersions(CommandLine commandLine) {
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      CommandLine.Model.OptionSpec version = sub.getCommandSpec().findOption("--version");
      if (version != null) {
        sub.getCommandSpec().remove(version);
      }
      withoutSubcommandVersions(sub);
    }
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

  /**
   * No command named: a usage error (exit 2, the usage on standard error), as for {@code iamguard
   * registry} alone; a pipeline step whose command variable came out empty must not pass.
   */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a command: explain, check, rewrite, run, suggest, registry or access");
  }

  /** The version: the jar manifest's Implementation-Version, else the one Maven wrote into version.properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"iamguard " + version()};
    }

    static String version() {
      String version = Main.class.getPackage().getImplementationVersion();
      if (version != null) {
        return version;
      }
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        java.util.Properties properties = new java.util.Properties();
        if (in != null) {
          properties.load(in);
        }
        String built = properties.getProperty("version", "");
        return built.isEmpty() || built.startsWith("${") ? "(development build)" : built;
      } catch (java.io.IOException e) {
        return "(development build)";
      }
    }
  }
}
