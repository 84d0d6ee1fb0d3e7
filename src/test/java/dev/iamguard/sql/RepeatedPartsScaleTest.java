package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One statement of one part repeated a hundred thousand times or more. A COPY of many format options
 * searched the statement from its start for the JSONPaths file of each (100,000 {@code json}
 * options, 400 K characters, took 1.9 s; 100,000 options naming a file took about 19 s each, twice
 * as many four times that): now each option's own tokens are read. And a statement of one problem at many places (psql variables or
 * meta-commands) kept, and reported, each place: 500,000 findings for a megabyte, more than 256 MB
 * to report; now a hundred places of each problem are kept and the rest counted. The timeouts are
 * hang guards against quadratic growth, not time budgets.
 */
class RepeatedPartsScaleTest {
  private static final String COPY = "copy t from 's3://acmedata/redshift/k' iam_role default ";
  private static final int TIMES = 100_000;
  private static final int OPTIONS = 200_000;

  static Stream<Arguments> formatOptions() {
    return Stream.of(arguments("json 's3://acmedata/p.json' ", 1), arguments("format as json 's3://acmedata/p.json' ", 1),
        arguments("avro 's3://acmedata/a.json' ", 1), arguments("format avro 's3://acmedata/a.json' ", 1),
        arguments("json 'auto' ", 0), arguments("json ", 0), arguments("format as json 'auto ignorecase' ", 0),
        arguments("json 's3://acmedata/p.json' gzip ", 1), arguments("json\n's3://acmedata/p.json'\n", 1));
  }

  @ParameterizedTest
  @MethodSource("formatOptions")
  void aCopyOfManyFormatOptionsReadsEachJsonPathsFileOnce(String option, int files) {
    String sql = COPY + option.repeat(OPTIONS);

    RedshiftCommand copy = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> SqlScript.parse(sql).statements().get(0).command());

    assertThat(copy.kind()).isEqualTo(CommandKind.COPY);
    assertThat(copy.problems()).isEmpty();
    assertThat(copy.resources().s3()).filteredOn(s3 -> s3.purpose() == S3Location.Purpose.JSONPATHS)
        .hasSize(files * OPTIONS).allSatisfy(s3 -> assertThat(s3.uri()).startsWith("s3://acmedata/"));
  }

  /** {@code problem} is what the repeated part is a problem as; each statement also holds one other problem. */
  static Stream<Arguments> repeatedProblems() {
    return Stream.of(arguments("select ", ":a ", 1), arguments("select ", "\\\\ ", 2), arguments("select ", "\\x ", 1),
        arguments(COPY + "json ", ":'p' ", 1), arguments("select ", "a:", 1), arguments("select ", ":a\n", 1));
  }

  /** {@code part} is {@code per} places of one problem; each statement also holds one other problem. */
  @ParameterizedTest
  @MethodSource("repeatedProblems")
  void aStatementOfOneProblemAtManyPlacesListsAHundredAndCountsTheRest(String head, String part, int per) {
    String other = "\\c other\n"; // a meta-command line of its own kind: a distinct problem
    String script = head + part.repeat(TIMES) + "\n" + other + "select 1;\n";

    List<Problem> problems = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> read(script).get(0).command().problems());

    Map<String, List<Problem>> byReason = problems.stream().collect(Collectors.groupingBy(Problem::reason));
    List<Problem> repeated = byReason.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
    assertThat(repeated).hasSize(ListedProblems.PLACES);
    assertThat(repeated).extracting(Problem::offset).isSorted()
        .allSatisfy(offset -> assertThat(offset).isLessThan(head.length() + part.length() * (ListedProblems.PLACES / per + 1)));
    String reason = repeated.get(0).reason();
    String counted = "the same " + (per * TIMES - 1 - ListedProblems.PLACES) + " more times in this statement, not listed: ";
    String countedAll = "the same " + (per * TIMES - ListedProblems.PLACES) + " more times in this statement, not listed: ";
    assertThat(problems).as("one more problem counts the places left out, placed at the first of them")
        .filteredOn(p -> p.reason().equals(counted + reason) || p.reason().equals(countedAll + reason)).singleElement()
        .satisfies(p -> assertThat(p.offset()).isGreaterThanOrEqualTo(head.length() + part.length() * (ListedProblems.PLACES / per) - part.length())
            .isLessThan(head.length() + part.length() * (ListedProblems.PLACES / per + 2)));
    assertThat(problems).as("the other problem is kept").anySatisfy(p -> assertThat(p.reason()).doesNotContain(reason));
    assertThat(problems).hasSizeLessThan(ListedProblems.PLACES + 5);
  }

  /** A CREDENTIALS literal of many wrong parts names its first ten and counts the rest (each was a problem). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {";", "a;", "k=v;", "x y;", "aws_iam_role;", "=;"})
  void aCredentialsLiteralOfManyWrongPartsNamesTenAndCountsTheRest(String part) {
    String sql = "copy t from 's3://acmedata/redshift/k' credentials 'aws_iam_role=arn:aws:iam::123456789012:role/R;"
        + part.repeat(TIMES) + "'";

    RedshiftCommand copy = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> SqlScript.parse(sql).statements().get(0).command());

    assertThat(copy.problems()).hasSize(AuthClauseParser.LISTED_PARTS + 1);
    for (int part2 = 2; part2 <= AuthClauseParser.LISTED_PARTS + 1; part2++) {
      assertThat(copy.problems().get(part2 - 2).reason()).startsWith("CREDENTIALS part " + part2 + " ");
    }
    // the parts after the role: one for each unit, and the empty one after the last ';'
    assertThat(copy.problems().get(AuthClauseParser.LISTED_PARTS).reason()).isEqualTo("CREDENTIALS has "
        + (TIMES + 1 - AuthClauseParser.LISTED_PARTS) + " more parts that are not key=value with one of its keys, not listed");
    assertThat(copy.auth().roles()).containsExactly("arn:aws:iam::123456789012:role/R");
  }

  /**
   * One auth keyword repeated 800,000 times after a COPY's role: the shape scan asked, for each auth
   * word, whether the grammar had consumed it by a search through every word consumed before (355,000
   * {@code IAM_ROLE} words took 10 s to parse; these took about a minute). Every repeat is read as a
   * keyword of the clause, so the policy denies the statement (AUTH_CONFLICT), and a repeat without its
   * value is a problem.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"iam_role ", "iam_role default ", "access_key_id ", "credentials "})
  void aCopyOfOneAuthKeywordRepeatedIsReadInLinearTime(String part) {
    int words = 800_000;
    String sql = "copy t from 's3://acmedata/redshift/k' iam_role 'arn:aws:iam::123456789012:role/R' " + part.repeat(words);

    RedshiftCommand copy = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> SqlScript.parse(sql).statements().get(0).command());

    assertThat(copy.auth().keywords()).hasSize(words + 1);
    assertThat(copy.problems().isEmpty()).as("a problem unless each repeat has its value").isEqualTo(part.contains("default"));
  }

  private static List<SqlStatement> read(String script) {
    List<SqlStatement> all = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(script), ScriptReader.DEFAULT_CHUNK, true)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        all.addAll(piece.statements());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }
}
