package dev.iamguard.jdbc;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL server for one test class, started from the installed binaries
 * ({@code /usr/lib/postgresql/<version>/bin}, else {@code PATH}) in a temporary folder:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalPostgres POSTGRES = new LocalPostgres();
 * }</pre>
 *
 * <p>Every test of the class is skipped, saying why, when no binaries are installed (a skip in
 * {@code beforeEach}, so that Surefire counts and reports each one). The server listens on
 * 127.0.0.1 at a free port, authenticates TCP clients with md5 (the Redshift driver cannot do
 * SCRAM) as {@link #USER} with {@link #password()}, and logs every statement to
 * {@link #serverLog()} ({@code log_statement = all}). It is stopped, and its folder deleted, after
 * the class and, should the JVM exit first, by a shutdown hook. Public for the tests of other
 * packages that need a real server (the lexer's differential test). initdb and pg_ctl refuse to run as
 * root, so as root they run as the {@code postgres} user (the owner of the folder).
 */
public final class LocalPostgres implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final String OS_USER_AS_ROOT = "postgres";

  private final String password = "pw-" + UUID.randomUUID();
  private Path bin;
  private Path psql;
  private String skipReason;
  private Path folder;
  private int port;
  private List<String> runAs = List.of();
  private Thread shutdownHook;

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  /**
   * Runs psql on {@code script} against this server as {@link #USER} over TCP, with
   * {@code standard_conforming_strings=off} as Redshift behaves, printing query results unaligned and
   * without headers, in the script's folder (where a {@code \g FILE} writes); returns its standard
   * output. Its errors are not kept: a script whose statements fail still prints what the others returned.
   */
  public String psqlScript(Path script) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(psql.toString(), "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
        Integer.toString(port), "-U", USER, "-d", DATABASE, "-f", script.toString());
    builder.environment().put("PGPASSWORD", password);
    builder.environment().put("PGOPTIONS", "-c standard_conforming_strings=off");
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.directory(script.toAbsolutePath().getParent().toFile()); // \g FILE and \o FILE write beside the script
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("psql did not finish " + script + " in " + COMMAND_TIMEOUT);
    }
    return out;
  }

  /** What the Redshift driver needs to log in to this server as the superuser {@link #USER}. */
  public java.util.Properties redshiftDriverProperties() {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", USER);
    properties.setProperty("password", password);
    properties.setProperty("ssl", "false");
    properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    return properties;
  }

  /**
   * A connection of the Redshift driver in query mode {@code mode} (null: the driver's default),
   * with backslashes escaping in literals as in Redshift; guarded with the real-driver test registry
   * when {@code guarded}.
   */
  public java.sql.Connection redshiftConnection(boolean guarded, String mode) throws java.sql.SQLException {
    java.util.Properties properties = redshiftDriverProperties();
    properties.setProperty("options", "-c standard_conforming_strings=off -c escape_string_warning=off");
    if (mode != null) {
      properties.setProperty("preferQueryMode", mode);
    }
    String url = "jdbc:redshift://127.0.0.1:" + port() + "/" + DATABASE;
    if (!guarded) {
      return new com.amazon.redshift.Driver().connect(url, properties);
    }
    properties.setProperty(Setting.REGISTRY.key(), "classpath:jdbc/real-driver-registry.yaml");
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return java.sql.DriverManager.getConnection(url.replace("jdbc:", "jdbc:iamguard:"), properties);
  }

  /** The Redshift driver's URL of this server's {@link #DATABASE}. */
  public String redshiftUrl() {
    return "jdbc:redshift://127.0.0.1:" + port() + "/" + DATABASE;
  }

  /** A guarded connection as the superuser, with {@code registry} and the cluster {@code local-cluster}. */
  public java.sql.Connection guardedConnection(String registry) throws java.sql.SQLException {
    return guardedConnection(registry, USER, password);
  }

  /** A guarded connection as {@code user}, with {@code registry} and the cluster {@code local-cluster}. */
  public java.sql.Connection guardedConnection(String registry, String user, String userPassword)
      throws java.sql.SQLException {
    java.util.Properties properties = redshiftDriverProperties();
    properties.setProperty("user", user);
    properties.setProperty("password", userPassword);
    properties.setProperty(Setting.REGISTRY.key(), registry);
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return java.sql.DriverManager.getConnection("jdbc:iamguard:" + redshiftUrl().substring("jdbc:".length()), properties);
  }

  /** The temporary folder holding the data directory, the socket and the log. */
  Path folder() {
    return folder;
  }

  /** Everything the server has logged so far. */
  public String serverLog() {
    try {
      return Files.readString(folder.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  /** Skips each test, saying why, when the server could not be started for lack of binaries. */
  @Override
  public void beforeEach(ExtensionContext context) {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /**
   * Starts the server; when the binaries (or, as root, the postgres user) are missing, records
   * why in {@link #skipReason} instead. Any other failure is an error, not a skip.
   */
  synchronized void start() throws IOException, InterruptedException {
    Optional<Path> binaries = findBinaries();
    if (binaries.isEmpty()) {
      skipReason = "skipped: PostgreSQL binaries (initdb, pg_ctl) not installed; apt-get install postgresql";
      return;
    }
    bin = binaries.get();
    psql = program(bin, "psql").orElse(null);
    if (psql == null) {
      skipReason = "skipped: psql not found next to initdb in " + bin + " nor on the PATH; apt-get install postgresql-client";
      return;
    }
    folder = Files.createTempDirectory("iamguard-pg-");
    shutdownHook = new Thread(this::stopQuietly, "LocalPostgres stop " + folder);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      if (Integer.valueOf(0).equals(Files.getAttribute(folder, "unix:uid"))) { // we own what we create
        Optional<UserPrincipal> postgres = osUser(OS_USER_AS_ROOT);
        if (postgres.isEmpty()) {
          skipReason = "skipped: running as root, initdb refuses root, and there is no " + OS_USER_AS_ROOT
              + " user to run it as; apt-get install postgresql creates one";
          stop();
          return;
        }
        runAs = List.of("runuser", "-u", OS_USER_AS_ROOT, "--");
        Files.setOwner(folder, postgres.get());
      }
      port = freePort();
      Path data = folder.resolve("data");
      run(bin.resolve("initdb"), "-D", data.toString(), "-U", USER, "--auth-local=trust", "--auth-host=md5",
          "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions");
      Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
          "",
          "# LocalPostgres (iamguard tests)",
          "listen_addresses = '127.0.0.1'",
          "port = " + port,
          "unix_socket_directories = '" + folder + "'",
          "ssl = off",
          "password_encryption = md5",
          "log_statement = 'all'",
          "log_line_prefix = '%m [%p] %u@%d app=%a '",
          "lc_messages = 'C'",
          "fsync = off",
          "synchronous_commit = off",
          "full_page_writes = off",
          "max_connections = 30",
          ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      run(bin.resolve("pg_ctl"), "-D", data.toString(), "-l", folder.resolve("server.log").toString(), "-w",
          "-t", "30", "start");
      // md5, not the SCRAM that initdb --pwfile would store: the Redshift driver cannot do SCRAM
      run(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", folder.toString(), "-p", Integer.toString(port),
          "-U", USER, "-d", DATABASE, "-c", "ALTER ROLE " + USER + " PASSWORD '" + password + "'");
    } catch (IOException | InterruptedException | RuntimeException e) {
      stopQuietly();
      throw e;
    }
  }

  private static Optional<UserPrincipal> osUser(String name) throws IOException {
    try {
      return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name));
    } catch (UserPrincipalNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Stops the server and deletes its folder; does nothing when it is not running. */
  synchronized void stop() {
    if (folder == null) {
      return;
    }
    try {
      stopServer();
    } finally {
      deleteFolder();
      folder = null;
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to; it finds nothing left to do
        }
      }
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("LocalPostgres: could not stop the server in " + folder + ": " + e);
    }
  }

  private void stopServer() {
    Path data = folder.resolve("data");
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid = postmasterPid(pidFile);
    try {
      run(bin.resolve("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // pg_ctl failed: end the postmaster ourselves (its children follow it) rather than leave it
      ProcessHandle.of(pid).ifPresent(postmaster -> {
        postmaster.destroyForcibly();
        postmaster.onExit().orTimeout(10, TimeUnit.SECONDS).join();
      });
      throw new IllegalStateException("LocalPostgres: pg_ctl stop failed; killed postmaster " + pid, e);
    }
  }

  private static long postmasterPid(Path pidFile) {
    try {
      return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void deleteFolder() {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("LocalPostgres: could not delete " + folder + ": " + e);
    }
  }

  /**
   * Runs one of the PostgreSQL programs (as the postgres user when we are root) and waits for it;
   * its output goes to a file in the folder, so no pipe can fill up or be held open by the server.
   */
  private void run(Path executable, String... arguments) throws IOException, InterruptedException {
    String program = executable.getFileName().toString();
    List<String> command = new ArrayList<>(runAs);
    command.add(executable.toString());
    command.addAll(List.of(arguments));
    Path output = folder.resolve(program + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("LocalPostgres: " + program + " did not finish within "
          + COMMAND_TIMEOUT.toSeconds() + " s: " + command + "\n" + tail(output));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("LocalPostgres: " + program + " failed (exit " + process.exitValue() + "): "
          + command + "\n" + tail(output) + ("pg_ctl".equals(program) ? "\nserver.log:\n" + tail(folder.resolve("server.log")) : ""));
    }
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * The newest {@code /usr/lib/postgresql/<version>/bin} with initdb and pg_ctl, else the folder
   * the PATH's initdb really lives in (symbolic links resolved, so psql is found next to it).
   */
  static Optional<Path> findBinaries() {
    List<Path> candidates = new ArrayList<>();
    Path installed = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(installed)) {
      try (Stream<Path> versions = Files.list(installed)) {
        versions.sorted(Comparator.comparing(LocalPostgres::version).reversed())
            .forEach(version -> candidates.add(version.resolve("bin")));
      } catch (IOException e) {
        // fall back to the PATH
      }
    }
    onPath("initdb").ifPresent(initdb -> candidates.add(initdb.getParent()));
    return candidates.stream()
        .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
        .findFirst();
  }

  /** {@code name} in {@code bin}, else on the PATH. */
  private static Optional<Path> program(Path bin, String name) {
    Path next = bin.resolve(name);
    return Files.isExecutable(next) ? Optional.of(next) : onPath(name);
  }

  /** The real location of the first executable {@code name} on the PATH. */
  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = entry.isEmpty() ? null : Path.of(entry, name);
      if (candidate != null && Files.isExecutable(candidate)) {
        try {
          return Optional.of(candidate.toRealPath());
        } catch (IOException e) {
          // a dangling link: keep looking
        }
      }
    }
    return Optional.empty();
  }

  private static double version(Path versionFolder) {
    try {
      return Double.parseDouble(versionFolder.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
