package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the GitHub Action runs ({@code scripts/check-changed-sql.sh}) in a throwaway git repository
 * with the CLI jar {@code package} built: only the SQL files changed since the base commit are
 * checked, and iamguard's exit code is the step's. And the container image copies jars that
 * {@code package} really builds. Run by failsafe after {@code package}.
 */
class ChangedSqlScriptIT {
  private static final String ALLOWED = "COPY sales FROM 's3://acmedata/redshift/sales/' IAM_ROLE 'copy-unload';\n";
  private static final String DENIED = "UNLOAD ('select 1') TO 's3://acmedata/exports/x_' IAM_ROLE default;\n";

  @TempDir
  Path repo;

  private static Path cliJar() {
    Path jar = Path.of(System.getProperty("iamguard.cliJar", "target/iamguard-cli.jar"));
    assertThat(jar).as("the CLI jar (failsafe runs after package)").exists();
    return jar;
  }

  private record Run(int code, String out) {}

  private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(out).isTrue();
    return new Run(process.exitValue(), out);
  }

  private String commit(String message) throws IOException, InterruptedException {
    assertThat(run(List.of("git", "add", "-A"), Map.of()).code()).isZero();
    Run commit = run(List.of("git", "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-q", "-m", message), Map.of());
    assertThat(commit.code()).as(commit.out()).isZero();
    return run(List.of("git", "rev-parse", "HEAD"), Map.of()).out().strip();
  }

  private Run check(String base, Map<String, String> more) throws IOException, InterruptedException {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "IAMGUARD_JAR", cliJar().toAbsolutePath().toString(),
        "IAMGUARD_REGISTRY", "registry.yaml",
        "IAMGUARD_USER", "user1",
        "IAMGUARD_BASE", base));
    env.putAll(more);
    return run(List.of("bash", Path.of("scripts/check-changed-sql.sh").toAbsolutePath().toString()), env);
  }

  @BeforeEach
  void repository() throws IOException, InterruptedException {
    assertThat(run(List.of("git", "init", "-q"), Map.of()).code()).isZero();
    Files.copy(Path.of("samples/registry.yaml"), repo.resolve("registry.yaml"));
    Files.writeString(repo.resolve("old_denied.sql"), DENIED);
  }

  @Test
  void onlyTheChangedSqlFilesAreChecked() throws Exception {
    String first = commit("first");
    Files.createDirectories(repo.resolve("etl"));
    Files.writeString(repo.resolve("etl/load.SQL"), ALLOWED);
    Files.writeString(repo.resolve("notes.md"), DENIED);
    String second = commit("an allowed script in upper case, and notes");

    Run allowed = check(first, Map.of());
    assertThat(allowed.code()).as(allowed.out()).isZero();
    assertThat(allowed.out()).contains("etl/load.SQL").doesNotContain("old_denied.sql", "notes.md");

    Files.writeString(repo.resolve("old_denied.sql"), "-- touched\n" + DENIED);
    commit("the denied script changes");
    Run denied = check(second, Map.of());
    assertThat(denied.code()).as(denied.out()).isEqualTo(1);
    assertThat(denied.out()).contains("old_denied.sql", "DENY S3_NOT_PERMITTED").doesNotContain("load.SQL");

    Run parentOfHead = check("", Map.of()); // no base in the event: the commit before HEAD
    assertThat(parentOfHead.code()).isEqualTo(1);
    assertThat(parentOfHead.out()).contains("old_denied.sql").doesNotContain("load.SQL");

    Files.writeString(repo.resolve("notes.md"), "more notes");
    commit("no SQL");
    Run none = check("", Map.of());
    assertThat(none.code()).isZero();
    assertThat(none.out()).contains("no changed .sql files");
  }

  @Test
  void aShallowCloneWithoutItsBaseChecksEveryFileOfTheFirstCommit() throws Exception {
    commit("only commit");
    Run all = check("0000000000000000000000000000000000000000", Map.of()); // a push that created the branch
    assertThat(all.code()).as(all.out()).isEqualTo(1);
    assertThat(all.out()).contains("old_denied.sql");
  }

  @Test
  void aSarifReportGoesToTheOutputFile() throws Exception {
    commit("first");
    Run sarif = check("", Map.of("IAMGUARD_PATHS", "old_denied.sql", "IAMGUARD_FORMAT", "sarif",
        "IAMGUARD_OUTPUT", "iamguard.sarif"));
    assertThat(sarif.code()).isEqualTo(1);
    assertThat(Files.readString(repo.resolve("iamguard.sarif"))).contains("\"version\":\"2.1.0\"", "S3_NOT_PERMITTED");
  }

  @Test
  void theImageCopiesJarsThatPackageBuilds() throws IOException {
    Matcher copy = Pattern.compile("(?m)^COPY --from=build /build/(\\S+) ").matcher(Files.readString(Path.of("Dockerfile")));
    int copies = 0;
    while (copy.find()) {
      assertThat(Path.of(copy.group(1))).as(copy.group(0)).exists();
      copies++;
    }
    assertThat(copies).isEqualTo(2);
    assertThat(cliJar().getFileName().toString()).isEqualTo("iamguard-cli.jar");
  }
}
