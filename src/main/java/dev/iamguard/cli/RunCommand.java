package dev.iamguard.cli;

import dev.iamguard.audit.Redactor;
import dev.iamguard.jdbc.IamguardConnection;
import dev.iamguard.jdbc.OutsideSettings;
import dev.iamguard.policy.Decision;
import dev.iamguard.sql.LineText;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard run}: executes scripts statement by statement through the guarded driver,
 * printing one line per statement, and stops at the first denied or failed statement (exit 1).
 * Scripts are read piece by piece ({@link ScriptSource}), so their size is not bounded by memory.
 * On H2 (or with {@code --local-s3}) COPY and UNLOAD are emulated against a local folder.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs SQL scripts through the guarded driver, one statement at a time.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
      description = "jdbc:iamguard:<target URL>, e.g. jdbc:iamguard:h2:mem:etl (a plain jdbc: URL is guarded too)")
  String url;

  @Option(names = "--registry", paramLabel = "FILE", description = "the role registry (else iamguard.registry / IAMGUARD_REGISTRY)")
  Path registry;

  @Option(names = "--user", paramLabel = "NAME", description = "the database user to log in and be checked as")
  String user;

  @Option(names = "--cluster", paramLabel = "ID",
      description = "the cluster id, when the URL does not tell (H2, localhost) and the registry has several")
  String cluster;

  @Option(names = "--password-env", paramLabel = "VAR", description = "the environment variable holding the password")
  String passwordEnv;

  @Option(names = "--policy-files-outside",
      description = "let the registry's policy_files lie outside its folder (absolute paths, .., links)")
  boolean policyFilesOutside;

  @Option(names = "--local-s3", paramLabel = "DIR", description = "folder standing in for S3 (default ./local-s3 on H2)")
  Path localS3;

  @Parameters(paramLabel = "SCRIPT", arity = "1..*", description = "SQL files, folders (*.sql, recursively) or -")
  List<String> scripts = new ArrayList<>();

  @Override
  public Integer call() {
    List<ScriptSource> sources = ScriptSource.list(scripts);
    // files are read once before anything runs, so that a file that cannot be read or decoded, or a
    // job with nothing to run, is refused before its first statement (scripts are not kept in
    // memory: a script of any size runs in memory bounded by its largest statement)
    boolean readOnce = sources.stream().anyMatch(source -> !source.rereadable());
    long[] statements = {0};
    for (ScriptSource source : sources) {
      if (source.rereadable()) {
        source.forEachPieceWhile(System.in, false, piece -> {
          statements[0] += piece.statementCount();
          return true;
        });
      }
    }
    if (statements[0] == 0 && !readOnce) {
      throw nothingToRun(sources); // an empty folder or file in a job is a mistake, not a load
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Connection connection = connect(err)) {
      IamguardConnection guarded = connection.unwrap(IamguardConnection.class);
      StatementRunner runner = new StatementRunner(connection, out, err);
      long[] read = {0};
      for (ScriptSource source : sources) {
        boolean ranAll;
        try {
          ranAll = source.forEachPieceWhile(System.in, false, piece -> { // sent as written: the driver checks what it sends
            read[0] += piece.statementCount();
            return runPiece(runner, guarded, source.name(), piece);
          });
        } catch (CliException unreadable) {
          // standard input or a pipe that broke off: what ran is said, then why the run ends
          out.println("stopped: " + runner.executed() + " statements ran");
          throw unreadable;
        }
        if (!ranAll) {
          out.println("stopped: " + runner.executed() + " statements ran");
          return ExitCodes.DENIED;
        }
      }
      if (read[0] == 0) {
        throw nothingToRun(sources);
      }
      out.println("done: " + runner.executed() + " statements ran");
      return ExitCodes.OK;
    } catch (SQLException e) {
      throw new CliException("cannot connect to " + Redactor.redactUrl(url) + ": " + Redactor.redactMessage(e.getMessage()));
    }
  }

  /**
   * Runs the statements of one piece of a script; false when one was denied or failed. The piece is
   * decided as a whole first, in the session the pieces before it left, so that findings name each
   * statement's number and line in its script and statements are judged as parts of it.
   */
  private static boolean runPiece(StatementRunner runner, IamguardConnection guarded, String name, SqlScript piece) {
    Decision decision;
    try {
      decision = guarded.decisionFor(piece);
    } catch (SQLException e) {
      throw new CliException(name + ": cannot decide on the script: " + Redactor.redactMessage(e.getMessage()));
    }
    List<SqlStatement> statements = piece.statements();
    // a decision on another reading of the text (a JDBC escape the driver rewrites) may count its
    // statements otherwise: each statement is then decided as it is sent, on its own
    boolean aligned = decision != null && decision.statements().size() == statements.size();
    for (int i = 0; i < statements.size(); i++) {
      if (!runner.run(name, statements.get(i), aligned ? decision.statements().get(i) : null)) {
        return false;
      }
    }
    return true;
  }

  private CliException nothingToRun(List<ScriptSource> sources) {
    return new CliException(Inputs.nothingTo("run", scripts, sources.stream().map(ScriptSource::name).toList()));
  }

  /**
   * The guarded connection, its settings said first on {@code err} where they come from outside the
   * command line and the URL (system properties, environment variables), which change every decision.
   */
  private Connection connect(PrintWriter err) throws SQLException {
    Properties properties = new Properties();
    if (user != null && user.isBlank()) {
      throw new CliException("--user is empty: name the database user to log in and be checked as, or leave it out");
    }
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (passwordEnv != null) {
      String password = System.getenv(passwordEnv);
      if (password == null) {
        throw new CliException("--password-env " + passwordEnv + ": the environment variable is not set");
      }
      properties.setProperty("password", password);
    }
    if (registry != null) {
      properties.setProperty("iamguard.registry", registry.toString());
    }
    if (cluster != null) {
      if (cluster.isBlank()) {
        throw new CliException("--cluster is empty: name the cluster the statements run on, or leave it out");
      }
      properties.setProperty("iamguard.cluster", cluster.strip());
    }
    if (policyFilesOutside) {
      properties.setProperty("iamguard.policy-files-outside", "true");
    }
    if (localS3 != null) {
      // refused before anything runs: a script half run up to its first COPY helps nobody
      if (localS3.toString().isBlank()) {
        throw new CliException("--local-s3 is empty: name the folder standing in for S3, or leave it out");
      }
      if (java.nio.file.Files.exists(localS3) && !java.nio.file.Files.isDirectory(localS3)) {
        throw new CliException("--local-s3 " + localS3 + " is not a folder: name the folder standing in for S3 "
            + "(it is created when missing)");
      }
      properties.setProperty("iamguard.local-s3", localS3.toString());
    }
    String guarded = url.startsWith("jdbc:iamguard:") ? url
        : url.startsWith("jdbc:") ? "jdbc:iamguard:" + url.substring("jdbc:".length()) : url;
    List<String> outside = OutsideSettings.of(guarded, properties);
    if (user != null && outside.stream().anyMatch(setting -> setting.startsWith("iamguard.user="))) {
      // checked as the user named here: an IAMGUARD_USER in the environment would have won over the login
      // (without one, the user checked is the one the server reports, as for any connection)
      properties.setProperty("iamguard.user", user);
      outside = OutsideSettings.of(guarded, properties);
    }
    for (String setting : outside) {
      err.println("iamguard run: " + LineText.escape(setting));
    }
    return DriverManager.getConnection(guarded, properties);
  }
}
