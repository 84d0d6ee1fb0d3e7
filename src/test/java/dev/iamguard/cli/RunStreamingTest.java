package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.ScriptReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code run} reads its scripts piece by piece, as {@code check} does, instead of whole.
 * Whatever the piece size, a run prints what the script read whole printed (statement numbers and
 * lines in the whole script, the findings naming them, where it stops); files that cannot be
 * decoded are still refused before anything runs, and standard input that breaks off says what ran.
 */
class RunStreamingTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String TABLES = """
      create table venue (venueid int, venuename varchar(100), venuecity varchar(30), venuestate char(2), venueseats int);
      create table sales (salesid int, venueid int, saletime timestamp, qtysold int, pricepaid decimal(8,2));
      create table venue_sales (venueid int, venuename varchar(100), tickets int, revenue decimal(12,2));
      """;
  /** Statements that run on H2 with the sample local S3 (the nightly job's), and some that stop a run. */
  private static final List<String> RUNNING = List.of(
      "copy venue\nfrom 's3://acmedata/redshift/venue/'\niam_role 'copy-unload'\ndelimiter '|'",
      "copy sales from 's3://companyb/redshift/sales/' iam_role "
          + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB' "
          + "csv ignoreheader 1 timeformat 'YYYY-MM-DD HH:MI:SS'",
      "insert into venue_sales select v.venueid, v.venuename, sum(s.qtysold), sum(s.pricepaid) "
          + "from venue v join sales s on s.venueid = v.venueid group by v.venueid, v.venuename",
      "unload ('select * from venue_sales order by revenue desc') to 's3://acmedata/redshift/unload/venue_sales_' "
          + "iam_role default csv header parallel off allowoverwrite",
      "select count(*) from venue",
      "select 'a;b' /* ; */ from venue -- ;\n",
      "delete from venue_sales");
  private static final List<String> STOPPING = List.of(
      "unload ('select * from venue_sales') to 's3://acmedata/exports/venue_sales_' iam_role default csv",
      "copy venue from 's3://acmedata/private/x' iam_role 'copy-unload'",
      "select * from no_such_table");

  @TempDir
  Path dir;

  @AfterProperty
  @AfterEach
  void wholePieces() {
    ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
  }

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> statement = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, Arbitraries.of(RUNNING)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(STOPPING)));
    Arbitrary<String> between = Arbitraries.of(StreamingCheckTest.BETWEEN);
    return Arbitraries.entries(statement, between).list().ofMinSize(1).ofMaxSize(12).map(list -> {
      StringBuilder out = new StringBuilder(TABLES);
      for (Map.Entry<String, String> entry : list) {
        out.append(entry.getKey()).append(entry.getValue());
      }
      return out.toString();
    });
  }

  @Property(tries = 40)
  void aRunOfSmallPiecesPrintsWhatTheWholeScriptPrinted(@ForAll("scripts") String script,
      @ForAll @IntRange(min = 1, max = 160) int chunk) throws IOException {
    Path tries = Files.createTempDirectory("iamguard-run"); // jqwik gives properties no @TempDir
    CliRun whole;
    CliRun pieces;
    try {
      Path file = Files.writeString(tries.resolve("job.sql"), script);
      whole = run(tries, file, ScriptReader.DEFAULT_CHUNK);
      pieces = run(tries, file, chunk);
    } finally {
      try (Stream<Path> files = Files.walk(tries)) {
        for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }

    assertThat(whole.out()).containsPattern("(done|stopped): \\d+ statements ran\n$");
    Statistics.label("run").collect(whole.out().contains("\nstopped: ") ? "stopped" : "done");
    Statistics.label("run").coverage(c -> {
      c.check("stopped").percentage(p -> p > 3);
      c.check("done").percentage(p -> p > 10);
    });
    Statistics.label("copies run").collect(whole.out().contains(" COPY ") ? "some" : "none");
    assertThat(pieces.out()).isEqualTo(whole.out());
    assertThat(pieces.err()).isEqualTo(whole.err());
    assertThat(pieces.code()).isEqualTo(whole.code());
  }

  /** Runs {@code file} on a fresh H2 and a fresh copy of the sample local S3, reading {@code chunk} chars at a time. */
  private static CliRun run(Path dir, Path file, int chunk) throws IOException {
    Path s3 = Files.createTempDirectory(dir, "s3");
    Path from = Path.of("samples/local-s3");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path sample : files.filter(Files::isRegularFile).toList()) {
        Path to = s3.resolve(from.relativize(sample).toString());
        Files.createDirectories(to.getParent());
        Files.copy(sample, to);
      }
    }
    ScriptSource.chunk = chunk;
    try {
      return CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY,
          "--user", "user1", "--local-s3", s3.toString(), file.toString());
    } finally {
      ScriptSource.chunk = ScriptReader.DEFAULT_CHUNK;
    }
  }

  /** The denied statement far into a script read in small pieces is named by its number and line in the script. */
  @Test
  void aStatementFarIntoTheScriptIsNamedByItsPlaceInIt() throws IOException {
    StringBuilder script = new StringBuilder("create table t (a int);\n");
    for (int i = 0; i < 500; i++) {
      script.append("insert into t values (").append(i).append(");\n");
    }
    script.append("unload ('select * from t')\nto 's3://acmedata/exports/t_'\niam_role default;\nselect 1;\n");
    Path file = Files.writeString(dir.resolve("long.sql"), script);

    CliRun run = run(dir, file, 64);

    assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
    // statement 1 creates the table, 2 to 501 insert (one a line), 502 unloads on line 502
    assertThat(run.out().lines().toList()).hasSize(503).endsWith(file + ":501 [501] OTHER ALLOW 1 row",
        file + ":502 [502] UNLOAD DENY", "stopped: 501 statements ran");
    assertThat(run.err()).contains("S3_NOT_PERMITTED in statement 502 (line 502, UNLOAD)");
  }

  /** A file that is not UTF-8 is refused before the files named before it run, as when scripts were read whole. */
  @Test
  void anUndecodableFileIsRefusedBeforeAnythingRuns() throws IOException {
    Path first = Files.writeString(dir.resolve("a.sql"), "create table t (a int);\ninsert into t values (1);\n");
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    bad.writeBytes("select 1;\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    bad.write(0xC3); // a lead byte and no continuation
    bad.writeBytes("\nselect 2;\n".getBytes(StandardCharsets.UTF_8));
    Path second = Files.write(dir.resolve("b.sql"), bad.toByteArray());
    ScriptSource.chunk = 16;

    CliRun run = CliRun.of("run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY,
        "--user", "user1", first.toString(), second.toString());

    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(second + ": not valid UTF-8 text");
  }

  /** Standard input is read once, as it comes: when it breaks off, the run says what ran, then why it stopped. */
  @Test
  void standardInputThatBreaksOffSaysWhatRan() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes("create table t (a int);\n".getBytes(StandardCharsets.UTF_8));
    in.writeBytes("insert into t values (1);\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    in.write(0xFF); // never a byte of UTF-8
    in.writeBytes("\ninsert into t values (2);\n".getBytes(StandardCharsets.UTF_8));
    ScriptSource.chunk = 16;
    InputStream saved = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      System.setIn(new ByteArrayInputStream(in.toByteArray()));
      code = Main.execute(new String[] {"run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(), "--registry",
          REGISTRY, "--user", "user1", "-"}, new PrintWriter(out), new PrintWriter(err));
    } finally {
      System.setIn(saved);
    }

    assertThat(code).isEqualTo(ExitCodes.ERROR);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).startsWith("-:1 [1] ");
    assertThat(lines.subList(0, lines.size() - 1)).hasSizeBetween(2, 51).allMatch(line -> line.endsWith(" ALLOW 0 rows")
        || line.endsWith(" ALLOW 1 row"));
    assertThat(lines.get(lines.size() - 1)).isEqualTo("stopped: " + (lines.size() - 1) + " statements ran");
    assertThat(err.toString()).contains("-: not valid UTF-8 text").doesNotContain("\tat ");
  }

  /** Standard input that holds no statement is still "nothing to run". */
  @Test
  void emptyStandardInputIsNothingToRun() {
    CliRun run = CliRun.withStdin("-- only a comment\n", "run", "--url", "jdbc:iamguard:h2:mem:" + UUID.randomUUID(),
        "--registry", REGISTRY, "--user", "user1", "-");

    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("no SQL statements to run: standard input held none");
  }
}
