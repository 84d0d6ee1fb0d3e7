package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iamguard run} on embedded H2, with the sample nightly job and its local S3 data. */
class RunCommandTest {
  @TempDir
  Path dir;
  Path s3;

  @BeforeEach
  void copySampleData() throws IOException {
    s3 = dir.resolve("s3");
    Path from = Path.of("samples/local-s3");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/unload/")).toList()) {
        Path to = s3.resolve(from.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
  }

  static String h2() {
    return "jdbc:iamguard:h2:mem:" + UUID.randomUUID();
  }

  @Test
  void theNightlyJobRunsAllowedAndRewrittenStatementsAndStopsAtTheDeniedOne() throws IOException {
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1",
        "--local-s3", s3.toString(), "samples/etl/nightly.sql");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        "samples/etl/nightly.sql:8 [1] OTHER ALLOW 0 rows",
        "samples/etl/nightly.sql:9 [2] OTHER ALLOW 0 rows",
        "samples/etl/nightly.sql:10 [3] OTHER ALLOW 0 rows",
        "samples/etl/nightly.sql:13 [4] COPY REWRITE 10 rows",
        "samples/etl/nightly.sql:19 [5] COPY ALLOW 6 rows",
        "samples/etl/nightly.sql:24 [6] OTHER ALLOW 4 rows",
        "samples/etl/nightly.sql:30 [7] UNLOAD ALLOW 4 rows",
        "samples/etl/nightly.sql:36 [8] UNLOAD DENY",
        "stopped: 7 statements ran");
    assertThat(run.err()).contains("iamguard: S3_NOT_PERMITTED in statement 8 (line 36, UNLOAD)");
    // revenue per venue from the sample sales: 1: 8 tickets 1184.00, 5: 4+2 = 6, 728+364 = 1092.00, ...
    assertThat(s3.resolve("acmedata/redshift/unload/venue_sales_000")).hasContent(String.join("\n",
        "venueid,venuename,tickets,revenue",
        "1,Toyota Park,8,1184.00",
        "5,Gillette Stadium,6,1092.00",
        "9,Dick's Sporting Goods Park,3,429.00",
        "6,New York Giants Stadium,3,228.00") + "\n");
    assertThat(s3.resolve("acmedata/exports")).doesNotExist();
  }

  @Test
  void theModeGivenInTheUrlIsHonoured() throws IOException {
    CliRun run = CliRun.of("run", "--url", h2() + ";iamguard.mode=audit", "--registry", "samples/registry.yaml",
        "--user", "user1", "--local-s3", s3.toString(), "samples/etl/nightly.sql");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines()).contains(
        "samples/etl/nightly.sql:36 [8] UNLOAD DENY 4 rows (audit mode: sent)",
        "done: 8 statements ran");
    assertThat(run.err()).contains("iamguard: S3_NOT_PERMITTED in statement 8 (line 36, UNLOAD)");
    assertThat(s3.resolve("acmedata/exports")).as("audit mode sends the denied UNLOAD").isDirectory();
  }

  @Test
  void aFailingStatementStopsTheRunWithItsSqlState() throws IOException {
    Path script = Files.writeString(dir.resolve("fail.sql"), "create table t (v int);\ninsert into nosuch values (1);\nselect 1;");
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1", script.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        script + ":1 [1] OTHER ALLOW 0 rows",
        script + ":2 [2] OTHER FAILED 42S02",
        "stopped: 1 statements ran");
    assertThat(run.err()).contains("NOSUCH");
  }

  @Test
  void queriesReportTheRowsReturnedAndAPlainJdbcUrlIsGuardedToo() throws IOException {
    Path script = Files.writeString(dir.resolve("q.sql"), "select 1 union all select 2;\n"
        + "copy t from 's3://acmedata/elsewhere/' iam_role default;");
    CliRun run = CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", "samples/registry.yaml",
        "--user", "user1", "--local-s3", s3.toString(), script.toString());
    assertThat(run.out().lines()).containsExactly(
        script + ":1 [1] OTHER ALLOW 2 rows returned",
        script + ":2 [2] COPY DENY",
        "stopped: 1 statements ran");
  }

  @Test
  void aConnectionErrorNeverPrintsThePasswordInTheUrl() throws IOException {
    Path script = Files.writeString(dir.resolve("s.sql"), "select 1;");
    CliRun run = CliRun.of("run", "--url", "jdbc:nosuchdb://bob:Hunter2@h:5439/dev?user=bob&password=Hunter2",
        "--registry", "samples/registry.yaml", "--user", "user1", script.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("cannot connect to jdbc:nosuchdb://bob:***@h:5439/dev?user=bob&password=***")
        .contains("no registered JDBC driver accepts").doesNotContain("Hunter2");
    assertThat(run.out()).doesNotContain("Hunter2");
  }

  @Test
  void withoutARegistryTheConnectionIsRefused() throws IOException {
    Path script = Files.writeString(dir.resolve("s.sql"), "select 1;");
    CliRun run = CliRun.of("run", "--url", h2(), "--user", "user1", script.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("no registry, connection refused");
  }

  @Test
  void aMissingPasswordVariableIsAUsageError() throws IOException {
    Path script = Files.writeString(dir.resolve("s.sql"), "select 1;");
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml",
        "--password-env", "IAMGUARD_TEST_NO_SUCH_VARIABLE", script.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("IAMGUARD_TEST_NO_SUCH_VARIABLE: the environment variable is not set");
  }

  @Test
  void anAllowedRunExitsZero() throws IOException {
    Path script = Files.writeString(dir.resolve("ok.sql"), "create table t (v int);\ninsert into t values (1), (2);");
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1", script.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out().lines()).containsExactly(
        script + ":1 [1] OTHER ALLOW 0 rows", script + ":2 [2] OTHER ALLOW 2 rows", "done: 2 statements ran");
  }

  @Test
  void aNulInAKeyOrExtensionIsAnOrdinaryFailedStatement() throws IOException {
    Path script = Files.writeString(dir.resolve("nul.sql"), "create table t (v int);\n"
        + "unload ('select 1') to 's3://acmedata/redshift/unload/x_' iam_role default extension 'c\u0000sv';\n"
        + "copy t from 's3://acmedata/redshift/in\u0000x/' iam_role default;\n");
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1",
        "--local-s3", s3.toString(), script.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        script + ":1 [1] OTHER ALLOW 0 rows",
        script + ":2 [2] UNLOAD FAILED 22023",
        "stopped: 1 statements ran");
    assertThat(run.err()).contains("EXTENSION").doesNotContain("\u0000");

    Path copy = Files.writeString(dir.resolve("nul-copy.sql"),
        "create table t (v int);\ncopy t from 's3://acmedata/redshift/in\u0000x/' iam_role default;\n");
    CliRun second = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1",
        "--local-s3", s3.toString(), copy.toString());
    assertThat(second.out().lines()).contains(copy + ":2 [2] COPY FAILED 22023");
    assertThat(second.err()).contains("in\\u0000x").doesNotContain("\u0000");
  }

  @Test
  void messagesAndFileNamesCannotForgeLines() throws IOException {
    Path script = Files.writeString(dir.resolve("evil\n" + "ok.sql:1 [1] COPY ALLOW 1 row\u001b[2K.sql"),
        "select * from \"no\nsuch\u001b[31m\";\n");
    CliRun run = CliRun.of("run", "--url", h2(), "--registry", "samples/registry.yaml", "--user", "user1",
        script.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        dir.resolve("evil\\nok.sql:1 [1] COPY ALLOW 1 row\\u001b[2K.sql") + ":1 [1] OTHER FAILED 42S04",
        "stopped: 0 statements ran");
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).doesNotContain("\u001b").contains("\\u001b[31m");
  }
}
