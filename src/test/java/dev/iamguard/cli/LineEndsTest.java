package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripts saved with LF, CRLF, lone-CR (old Mac) or mixed line ends, with or without a UTF-8 BOM.
 * A line ends at LF, CRLF or a lone CR, as editors show them and as Redshift's scanner ends a
 * {@code --} comment: check and explain report the line and column a reader sees (the oracle is
 * where the test put each clause, by line), an inline suppression on a line of its own applies to
 * the statement after it, and {@code rewrite --in-place} keeps every byte but the rewritten values.
 * Before the fix a lone CR was no line end: a CR-only file was reported on line 1 at columns past
 * 100, and a suppression on its own line before a statement was taken for one after the previous
 * statement on the same line.
 */
class LineEndsTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  static final List<String> ENDS = List.of("\n", "\r\n", "\r");

  @TempDir
  Path dir;

  /** The lines of a script; {@code {R}} is where a role value goes. Each auth line has its clause once. */
  static final List<String> LINES = List.of(
      "-- nightly load",
      "select 1;",
      "copy t from 's3://acmedata/redshift/x'",
      "  iam_role {R} csv;",
      "unload ('select 2') to 's3://acmedata/redshift/unload/x' iam_role {R};",
      "select '",
      "  iam_role ''x'' ';",
      "copy t from 's3://acmedata/redshift/x' -- a comment iam_role 'x'",
      "\tiam_role",
      "{R} csv;",
      "/* block",
      "   comment */ copy t from 's3://acmedata/redshift/x' iam_role {R};");

  /** A script: the lines joined with the line end chosen for each gap, a BOM first when asked. */
  record Script(String text, List<int[]> clauses) {}

  static Script script(List<String> ends, boolean bom, String value) {
    StringBuilder text = new StringBuilder(bom ? "\uFEFF" : "");
    List<int[]> clauses = new ArrayList<>();
    for (int i = 0; i < LINES.size(); i++) {
      String line = LINES.get(i);
      int keyword = line.indexOf("iam_role {R}");
      if (keyword >= 0) {
        clauses.add(new int[] {i + 1, keyword + 1});
      } else if (line.equals("{R} csv;")) {
        clauses.add(new int[] {i, LINES.get(i - 1).indexOf("iam_role") + 1}); // the keyword is on the line before
      }
      text.append(line.replace("{R}", value));
      if (i < LINES.size() - 1) {
        text.append(ends.get(i % ends.size()));
      }
    }
    return new Script(text.toString(), clauses);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    Random random = new Random(7);
    List<List<String>> endings = new ArrayList<>();
    for (String end : ENDS) {
      endings.add(List.of(end));
    }
    for (int n = 0; n < 5; n++) {
      List<String> mixed = new ArrayList<>();
      for (int i = 0; i < LINES.size(); i++) {
        mixed.add(ENDS.get(random.nextInt(ENDS.size())));
      }
      endings.add(mixed);
    }
    for (List<String> ends : endings) {
      for (boolean bom : List.of(false, true)) {
        cases.add(Arguments.of(ends, bom));
      }
    }
    return cases.stream();
  }

  static String shown(List<String> ends) {
    return ends.toString().replace("\r", "CR").replace("\n", "LF");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checkReportsTheLineAndColumnAReaderSees(List<String> ends, boolean bom) throws IOException {
    Script script = script(ends, bom, "'nosuch'");
    Path file = dir.resolve("s.sql");
    Files.writeString(file, script.text());
    CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());

    List<String> reported = new ArrayList<>();
    Matcher m = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+):(\\d+): DENY ARN_MALFORMED").matcher(run.out());
    while (m.find()) {
      reported.add(m.group(1) + ":" + m.group(2));
    }
    List<String> expected = script.clauses().stream().map(c -> c[0] + ":" + c[1]).toList();
    assertThat(reported).as(shown(ends) + "\n" + run.out()).isEqualTo(expected);

    CliRun json = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "sarif",
        file.toString());
    Matcher sarif = Pattern.compile("\"startLine\":\\s*(\\d+),\\s*\"startColumn\":\\s*(\\d+)").matcher(json.out());
    List<String> regions = new ArrayList<>();
    while (sarif.find()) {
      regions.add(sarif.group(1) + ":" + sarif.group(2));
    }
    assertThat(regions).as(shown(ends) + " sarif").containsAll(expected);

    // explain: statement k starts at the first line of its text
    CliRun explain = CliRun.of("explain", "--format", "json", file.toString());
    Matcher at = Pattern.compile("\"line\":\\s*(\\d+),\\s*\"column\":\\s*(\\d+)").matcher(explain.out());
    List<String> starts = new ArrayList<>();
    while (at.find()) {
      starts.add(at.group(1) + ":" + at.group(2));
    }
    // a BOM at the start is dropped as psql drops it (ByteOrderMarkTest): it was name material to
    // Redshift's scanner, and the first statement started at it (denied)
    assertThat(starts).as(shown(ends) + " explain").containsExactly("2:1", "3:1", "5:1", "6:1", "8:1", "12:15");
  }

  static Stream<Arguments> endings() {
    return cases().filter(a -> !(Boolean) a.get()[1]).map(a -> Arguments.of(a.get()[0]));
  }

  @ParameterizedTest
  @MethodSource("endings")
  void aSuppressionOnItsOwnLineAppliesToTheNextStatement(List<String> ends) throws IOException {
    String end = ends.get(0);
    String text = "copy a from 's3://acmedata/redshift/x' iam_role 'nosuch';" + end
        + "-- iamguard:allow ARN_MALFORMED reviewed" + ends.get(1 % ends.size())
        + "copy b from 's3://acmedata/redshift/x' iam_role 'nosuch';" + end;
    Path file = dir.resolve("s.sql");
    Files.writeString(file, text);
    CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).as(shown(ends) + "\n" + run.out()).contains(file + ":1:40: DENY ARN_MALFORMED")
        .doesNotContain(file + ":3:");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rewriteInPlaceKeepsEveryByteButTheValues(List<String> ends, boolean bom) throws IOException {
    Script script = script(ends, bom, "'copy-unload'");
    byte[] before = script.text().getBytes(StandardCharsets.UTF_8);
    byte[] expected = script(ends, bom, "'" + ROLE + "'").text().getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("s.sql");
    Files.write(file, before);

    CliRun stdout = CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());
    assertThat(stdout.code()).as(stdout.err()).isZero();
    assertThat(stdout.out()).isEqualTo(new String(expected, StandardCharsets.UTF_8));

    CliRun inPlace = CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1", "--in-place",
        file.toString());
    assertThat(inPlace.code()).as(inPlace.err()).isZero();
    assertThat(Files.readAllBytes(file)).as(shown(ends) + " bom=" + bom).isEqualTo(expected);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(file);
    }
  }
}
