package dev.iamguard.cli;

import static dev.iamguard.cli.CheckCommandTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: memory grows with the largest statement, not with the script or the report; running
 * out of memory, or of a reader for the output, is a clear error (exit 2), never a stack trace.
 * Each case runs the CLI in a JVM of its own with a small heap.
 */
class ScaleLimitsTest {
  @TempDir
  Path dir;

  record Exit(int code, String err) {}

  static Exit cli(Path out, String heap, String... args) throws IOException, InterruptedException {
    return cli(out, List.of("-Xmx" + heap), args);
  }

  /** The command line in a JVM of its own, started with {@code jvmOptions}. */
  static Exit cli(Path out, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path err = out.resolveSibling(out.getFileName() + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(600, TimeUnit.SECONDS)).as("the CLI has not hung").isTrue();
    return new Exit(process.exitValue(), Files.readString(err));
  }

  /** A script three times the heap, whose report is larger still, is checked in a 32 MB heap (less the JVM's own few MB). */
  @Test
  void aScriptLargerThanTheHeapIsCheckedAndReported() throws Exception {
    Path script = dir.resolve("big.sql");
    long statements = 0;
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      // the bulk is in the plain statement's literal, so the size comes with few statements to decide
      String batch = "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload';\n"
          + "unload ('select * from sales') to 's3://acmedata/exports/x_' iam_role 'copy-unload';\n"
          + "insert into sales select * from stage where note <> 'it''s -- not a comment; really"
          + " ; iam_role 'x' -- still the literal".repeat(30) + "';\n";
      while (statements < 3 * 80_000) {
        writer.write(batch);
        statements += 3;
      }
    }
    assertThat(Files.size(script)).isGreaterThan(3 * (32L << 20) - (8L << 20));
    Path out = dir.resolve("report.json");

    Exit exit = cli(out, "32m", "check", "--registry", REGISTRY, "--user", "user1", "--format", "json",
        script.toString());

    assertThat(exit.code()).as(exit.err()).isEqualTo(1);
    assertThat(exit.err()).isEmpty();
    assertThat(Files.size(out)).isGreaterThan(Files.size(script));
    String tail;
    try (InputStream in = Files.newInputStream(out)) {
      in.skip(Files.size(out) - 200);
      tail = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(tail).endsWith("\"summary\":{\"statements\":" + statements + ",\"allowed\":" + statements / 3
        + ",\"rewritten\":" + statements / 3 + ",\"denied\":" + statements / 3 + "}}\n");
  }

  /**
   * {@code suggest} keeps each need once, not once per statement: 160,000 COPY and UNLOAD statements
   * of the same two locations (14 MB, a daily script run for a hundred years) are suggested for in a
   * 48 MB heap. Every use was kept (a prefix, an object pattern and the location per statement), and
   * the same script ran a heap of 64 MB out.
   */
  @Test
  void suggestKeepsEachNeedOnceHoweverOftenTheScriptsRepeatIt() throws Exception {
    Path script = dir.resolve("daily.sql");
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      for (int day = 0; day < 40_000; day++) {
        writer.write(("copy venue from 's3://acmedata/redshift/venue/' iam_role 'copy-unload' delimiter '|';\n").repeat(3)
            + "unload ('select * from venue') to 's3://acmedata/redshift/unload/venue_' iam_role 'copy-unload';\n");
      }
    }
    Path out = dir.resolve("suggested.yaml");

    Exit exit = cli(out, "48m", "suggest", "--registry", REGISTRY, "--user", "user1", script.toString());

    assertThat(exit.err()).isEmpty();
    assertThat(exit.code()).isZero();
    // the folder read, and the folder whose keys start with venue_ (a registry grants by folder)
    assertThat(Files.readString(out)).startsWith("# iamguard suggest: the least privilege the scripts need"
            + " (160000 statements read, 160000 using AWS resources covered, 0 not resolved)\n")
        .contains("      s3_read: [\"s3://acmedata/redshift/venue/\"]\n", "      s3_write: [\"s3://acmedata/redshift/unload/\"]\n");
  }

  /**
   * A GRANT ASSUMEROLE naming a role no statement uses is a gap named at the end, when every
   * statement is read: where it stands is kept, not the statement, which held its piece of the
   * script (256K characters). 200 such grants, each in a piece of its own (61 MB), are reported in a
   * 48 MB heap; kept whole they ran a heap of 64 MB out.
   */
  @Test
  void suggestKeepsWhereAGrantStandsNotItsPieceOfTheScript() throws Exception {
    Path script = dir.resolve("grants.sql");
    String filler = ("insert into audit_log values ('" + "x".repeat(2_000) + "');\n").repeat(150);
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 200; i++) {
        writer.write("grant assumerole on 'arn:aws:iam::123456789012:role/Unused" + i + "' to user1 for copy;\n" + filler);
      }
    }
    Path out = dir.resolve("suggested.yaml");

    Exit exit = cli(out, "48m", "suggest", "--registry", REGISTRY, "--user", "user1", script.toString());

    assertThat(exit.code()).as(exit.err()).isEqualTo(1);
    assertThat(exit.err()).startsWith("iamguard: 200 of 30200 statements could not be resolved");
    String suggested = Files.readString(out);
    for (int i = 0; i < 200; i++) { // each grant is a line followed by 150 lines of filler
      assertThat(suggested).contains("#   " + script + ":" + (151 * i + 1) + ":1: GRANT_ASSUMEROLE: names role "
          + "arn:aws:iam::123456789012:role/Unused" + i + ", which no statement uses");
    }
  }

  /**
   * {@code run} reads its script piece by piece too: a script three times the heap runs on H2 to its
   * denied last statement, named by its number and line (read whole, it ran out of memory).
   */
  @Test
  void aScriptLargerThanTheHeapRuns() throws Exception {
    Path script = dir.resolve("run.sql");
    int statements = 0;
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      String query = "select 1 where '" + "x ".repeat(2_000) + "' <> '';\n"; // one line, 4 KB
      while (statements < 25_200) {
        writer.write(query);
        statements++;
      }
      writer.write("unload ('select 1') to 's3://acmedata/exports/x_' iam_role default;\n");
    }
    assertThat(Files.size(script)).isGreaterThan(3 * (32L << 20));
    Path out = dir.resolve("run.out");

    Exit exit = cli(out, "32m", "run", "--url", "jdbc:iamguard:h2:mem:big", "--registry", REGISTRY, "--user", "user1",
        script.toString());

    assertThat(exit.code()).as(exit.err()).isEqualTo(1);
    // statements 1 to 25,200 are the queries, one a line; 25,201, on line 25,201, is denied
    assertThat(exit.err()).contains("S3_NOT_PERMITTED in statement 25201 (line 25201, UNLOAD)")
        .doesNotContain("out of memory", "\tat ");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(statements + 2);
    assertThat(lines.get(0)).isEqualTo(script + ":1 [1] OTHER ALLOW 1 rows returned");
    assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly(script + ":25201 [25201] UNLOAD DENY",
        "stopped: 25200 statements ran");
  }

  /**
   * A baseline of 80,000 findings (12 MB) is read in a 64 MB heap: loaded whole, it took about 34
   * bytes of heap per byte of file and ran out of memory whatever the script.
   */
  @Test
  void aLargeBaselineIsReadInASmallHeap() throws Exception {
    Path baseline = dir.resolve("baseline.json");
    try (Writer writer = Files.newBufferedWriter(baseline, StandardCharsets.UTF_8)) {
      writer.write("{\"iamguard_baseline\": 1,\n \"findings\": [");
      for (int i = 0; i < 80_000; i++) {
        writer.write((i == 0 ? "\n" : ",\n") + "  {\"file\": \"x/" + i % 500 + ".sql\", \"rule\": \"S3_NOT_PERMITTED\", "
            + "\"fingerprint\": \"" + String.format("%064x", i * 7919L) + "\", \"count\": 1}");
      }
      writer.write("\n ]}\n");
    }
    Path script = Files.writeString(dir.resolve("one.sql"), "select 1;\n");
    Path out = dir.resolve("baseline.out");

    Exit exit = cli(out, "64m", "check", "--registry", REGISTRY, "--user", "user1", "--baseline", baseline.toString(),
        script.toString());

    assertThat(exit.code()).as(exit.err()).isZero();
    assertThat(Files.readAllLines(out)).last().asString().isEqualTo("1 statements: 1 allowed, 0 rewritten, 0 denied");
  }

  /** What {@code run} of a script printed, and how it ended. */
  record Run(Path script, Exit exit, List<String> lines) {}

  /**
   * {@code run} of {@code sql} (written to {@code name.sql}) on an in-memory H2 database, with this
   * test's {@code s3} folder as local S3, in a JVM of {@code heap}.
   */
  private Run runOnLocalS3(String name, String heap, String sql) throws IOException, InterruptedException {
    Path script = Files.writeString(dir.resolve(name + ".sql"), sql);
    Path out = dir.resolve(name + ".out");
    Exit exit = cli(out, heap, "run", "--url", "jdbc:iamguard:h2:mem:local", "--registry", REGISTRY, "--user", "user1",
        "--local-s3", dir.resolve("s3").toString(), script.toString());
    return new Run(script, exit, Files.readAllLines(out));
  }

  /**
   * An emulated {@code COPY ... JSON 'auto'} reads its data file as it goes: a file three times the
   * heap (10,000 objects of 10 KB, most of it a key the table does not have) loads in a 32 MB heap. Read
   * whole, as before issue 17's JSON change, it ran out of memory at the first file.
   */
  @Test
  void aJsonFileLargerThanTheHeapIsCopied() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("s3/acmedata/redshift/json"));
    int objects = 0;
    try (Writer writer = Files.newBufferedWriter(folder.resolve("part_00.json"), StandardCharsets.UTF_8)) {
      String pad = "p".repeat(10_240);
      while (objects < 10_000) {
        writer.write("{\"id\": " + objects++ + ", \"pad\": \"" + pad + "\"}\n");
      }
    }
    assertThat(Files.size(folder.resolve("part_00.json"))).isGreaterThan(3 * (32L << 20));

    Run run = runOnLocalS3("json", "32m", "create table t (id int);\n"
        + "copy t from 's3://acmedata/redshift/json/' iam_role 'copy-unload' json 'auto';\n"
        + "select count(*), sum(id) from t;\n");

    assertThat(run.exit().code()).as(run.exit().err()).isZero();
    assertThat(run.lines()).contains(run.script() + ":2 [2] COPY REWRITE 10000 rows",
        run.script() + ":3 [3] OTHER ALLOW 1 rows returned");
  }

  /**
   * A CSV quote left open, or a line without a line feed, runs over the rest of a file twice the
   * heap: the row is read to its end without being kept past Redshift's 4 MB row limit, so the COPY
   * ends with the load error (a 48 MB heap: a row of 4 MB is kept while it is read, and this JVM's
   * class path of test jars takes more heap than the CLI's; the reader before kept the whole row
   * and ran out of memory).
   */
  @Test
  void aRowRunningOverALargeFileIsALoadErrorNotAnOutOfMemory() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("s3/acmedata/redshift/rows"));
    try (Writer csv = Files.newBufferedWriter(folder.resolve("open.csv"), StandardCharsets.UTF_8);
        Writer text = Files.newBufferedWriter(folder.resolve("long.txt"), StandardCharsets.UTF_8)) {
      csv.write("1,one\n2,\"two\n");
      text.write("1|one\n");
      String lines = "3,three\n".repeat(8_192);
      String fields = "|".repeat(1 << 16);
      for (int i = 0; i < 1_600; i++) {
        csv.write(lines);
        text.write(fields);
      }
      text.write("\n2|two\n");
    }
    assertThat(Files.size(folder.resolve("open.csv"))).isGreaterThan(2 * (48L << 20));
    assertThat(Files.size(folder.resolve("long.txt"))).isGreaterThan(2 * (48L << 20));

    Run run = runOnLocalS3("rows", "48m", "create table t (id int, note varchar(10));\n"
        + "copy t from 's3://acmedata/redshift/rows/long' iam_role 'copy-unload' maxerror 10;\n"
        + "copy t from 's3://acmedata/redshift/rows/open' iam_role 'copy-unload' csv;\n");

    assertThat(run.lines()).as(run.exit().err()).contains(run.script() + ":2 [2] COPY REWRITE 2 rows");
    assertThat(run.exit().err()).contains("s3://acmedata/redshift/rows/open.csv line 2: missing closing quote")
        .doesNotContain("out of memory", "\tat ");
    assertThat(run.exit().code()).as(run.exit().err()).isNotZero();
  }

  /**
   * The caches of parsed role ARNs and query tables bound their characters, not only their
   * entries: 2,000 COPYs, each naming a distinct 50 KB role (malformed), once stayed in the ARN
   * cache whole and ran a 64 MB heap out of memory.
   */
  @Test
  void distinctLongRoleArnsAreNotKept() throws Exception {
    Path script = dir.resolve("arns.sql");
    String name = "x".repeat(50_000);
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 2_000; i++) {
        writer.write("copy t from 's3://acmedata/redshift/p/' iam_role 'arn:aws:iam::123456789012:role/U" + i + name
            + "';\n");
      }
    }
    Path out = dir.resolve("arns.out");

    Exit exit = cli(out, "64m", "check", "--registry", REGISTRY, "--user", "user1", script.toString());

    assertThat(exit.code()).as(exit.err()).isEqualTo(1);
    assertThat(exit.err()).isEmpty();
    assertThat(Files.readAllLines(out)).last().asString().isEqualTo("2000 statements: 0 allowed, 0 rewritten, 2000 denied");
  }

  /**
   * A statement of an eighth of the heap is reported in every format: check --format json held the
   * escaped text of a statement in memory beside its copies and ran out where text and SARIF did not
   * (probe 24a F2); its sql field is now written a slice at a time, and is the statement whole.
   */
  @Test
  void aLargeStatementIsReportedInEveryFormatInTheSameHeap() throws Exception {
    Path script = dir.resolve("wide.sql");
    int size = 6 << 20;
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      writer.write("select '");
      String filler = "a\"b\u00e9\tc/".repeat(1 << 10); // Latin-1 (one byte a character), no backslash (no other reading)
      for (int written = 0; written < size; written += filler.length()) {
        writer.write(filler);
      }
      writer.write("';\n");
    }
    String statement = Files.readString(script).strip();
    statement = statement.substring(0, statement.length() - 1);
    for (String format : List.of("text", "json", "sarif")) {
      Path out = dir.resolve("wide." + format);
      Exit exit = cli(out, "64m", "check", "--registry", REGISTRY, "--user", "user1", "--format", format,
          script.toString());

      assertThat(exit.code()).as(format + ": " + exit.err()).isZero();
      if (format.equals("json")) {
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(out.toFile());
        assertThat(report.get("statements").get(0).get("sql").asText()).isEqualTo(statement);
      }
    }
  }

  /**
   * A megabyte of one psql form (meta-commands, variables) is one problem at half a million places:
   * each was a finding of a few hundred characters, so check of that one statement ran out of a 256
   * MB heap in every format. A hundred places of each problem are reported and the rest counted, in
   * a 56 MB heap: it needed 64 MB while each place was a {@code Problem} until the command kept its
   * hundred ({@code CompactProblems}: 8 bytes a place; 48 MB since).
   */
  @ParameterizedTest
  @ValueSource(strings = {"\\\\ ", ":a "})
  void aStatementOfOneProblemAtEveryPlaceIsReportedInASmallHeap(String part) throws Exception {
    Path script = dir.resolve("places.sql");
    Files.writeString(script, "select " + part.repeat((1 << 20) / part.length()) + "\nselect 1;\n");
    for (String format : List.of("text", "json", "sarif")) {
      Path out = dir.resolve("places." + format);
      Exit exit = cli(out, "56m", "check", "--registry", REGISTRY, "--user", "user1", "--format", format,
          script.toString());

      assertThat(exit.code()).as(format + ": " + exit.err()).isEqualTo(1);
      assertThat(exit.err()).isEmpty();
      assertThat(Files.size(out)).as(format).isLessThan(4L << 20);
      String report = Files.readString(out);
      assertThat(report).as(format).contains(" more times in this statement, not listed: a psql ");
      if (format.equals("json")) {
        com.fasterxml.jackson.databind.JsonNode findings = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report).get("statements").get(0).get("findings");
        assertThat(findings.size()).isEqualTo(101);
        assertThat(findings.get(100).get("message").asText()).matches("iamguard: AUTH_UNPARSEABLE in statement 1 "
            + "\\(line 1, OTHER\\): the same \\d+ more times in this statement, not listed: a psql .*");
      }
    }
  }

  @Test
  void aStatementLargerThanTheHeapIsAClearError() throws Exception {
    Path script = dir.resolve("huge.sql");
    try (Writer writer = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
      writer.write("select 1;\ncopy t from 's3://acmedata/redshift/x' iam_role 'copy-unload' -- ");
      String filler = "x".repeat(1 << 16);
      for (int i = 0; i < 1024; i++) { // a 64 MB comment inside one statement
        writer.write(filler);
      }
      writer.write("\n;\n");
    }

    for (String command : List.of("check", "explain", "rewrite", "check json", "check sarif", "explain json")) {
      String name = command.split(" ")[0];
      List<String> args = new ArrayList<>(List.of(name));
      if (!name.equals("explain")) {
        args.addAll(List.of("--registry", REGISTRY, "--user", "user1"));
      }
      if (command.contains(" ")) {
        args.addAll(List.of("--format", command.split(" ")[1]));
      }
      args.add(script.toString());
      Path out = dir.resolve(command.replace(' ', '-') + ".out");
      Exit exit = cli(out, "32m", args.toArray(String[]::new));

      assertThat(exit.code()).as(command + ": " + exit.err()).isEqualTo(2);
      assertThat(exit.err()).startsWith("iamguard: out of memory").doesNotContain("\tat ", "Exception in thread");
      if (command.contains(" ")) {
        // the document names the failure in the words of standard error's line (it said "out of memory" alone)
        String line = exit.err().strip().substring("iamguard: ".length());
        assertThat(Files.readString(out)).as(command).contains(new JsonWriter().value(line).toString());
      }
    }
  }

  /** A reader that goes away (head, a closed pipe) ends the check at once: exit 2, not a run to the end. */
  @Test
  void aClosedStandardOutputEndsTheCheck() throws Exception {
    Path script = dir.resolve("s.sql");
    Files.writeString(script, "unload ('select 1') to 's3://acmedata/exports/x_' iam_role 'copy-unload';\n"
        .repeat(300_000));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check", "--registry", REGISTRY, "--user",
        "user1", "--format", "json", script.toString());
    Process process = new ProcessBuilder(command).start();
    byte[] first = process.getInputStream().readNBytes(100);
    process.getInputStream().close();

    assertThat(process.waitFor(600, TimeUnit.SECONDS)).as("the CLI has not hung").isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("{\"statements\":[");
    assertThat(process.exitValue()).as(err).isEqualTo(2);
    assertThat(err).contains("iamguard: cannot write to standard output").doesNotContain("\tat ");
  }
}
