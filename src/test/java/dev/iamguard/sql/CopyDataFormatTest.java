package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * COPY's data format clause {@code [FORMAT [AS]] { JSON | AVRO } [AS] 'option'} reads in every
 * spelling ({@link CopyFormatClauses}): a JSONPaths (or Avro paths) file is a location the role
 * reads, exactly as for {@code JSON AS 's3://...'}; 'auto', 'auto ignorecase' and 'noshred' are none.
 * The outside review found {@code FORMAT [AS] JSON AS 's3://...'} and {@code FORMAT [AS] AVRO AS 's3://...'}
 * refused as UNPARSEABLE. What the grammar does not allow around such a location stays refused.
 */
class CopyDataFormatTest {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R1'";
  private static final String SOURCE = "s3://bkt1/d/";
  private static final Set<String> FORMAT_OPTIONS = Set.of("FORMAT", "JSON", "AVRO");

  static Stream<CopyFormatClauses.Clause> clauses() {
    return CopyFormatClauses.of(List.of("JSON", "AVRO"),
        List.of("auto", "auto ignorecase", "noshred", "s3://bkt1/jp/paths.json", "S3://bkt1/jp/Paths.json"),
        CopyFormatClauses.SEPARATORS).stream();
  }

  @ParameterizedTest
  @MethodSource("clauses")
  void everySpellingReadsAndItsPathsFileIsARead(CopyFormatClauses.Clause clause) {
    for (String sql : List.of("COPY t FROM '" + SOURCE + "'" + ROLE + clause.sql(),
        "copy t from '" + SOURCE + "'" + clause.sql() + ROLE + " GZIP")) {
      RedshiftCommand command = GrammarTest.one(sql);

      assertThat(command.problems()).as(sql).isEmpty();
      List<S3Location> expected = new ArrayList<>(List.of(
          new S3Location(SOURCE, S3Location.Access.READ, S3Location.Purpose.COPY_SOURCE)));
      if (clause.option().regionMatches(true, 0, "s3://", 0, 5)) {
        expected.add(new S3Location(clause.option(), S3Location.Access.READ, S3Location.Purpose.JSONPATHS));
      }
      assertThat(command.resources().s3()).as(sql).isEqualTo(expected);
      // one data format option, holding the format and its option: what the emulation reads
      List<CommandOption> formats = command.options().stream().filter(o -> FORMAT_OPTIONS.contains(o.name())).toList();
      assertThat(formats).as(sql).hasSize(1);
      assertThat(formats.get(0).name()).as(sql).isEqualTo(clause.formatWord() ? "FORMAT" : clause.format());
      assertThat(formats.get(0).values()).as(sql).isEqualTo(clause.formatWord()
          ? List.of(clause.format(), clause.option()) : List.of(clause.option()));
      assertThat(command.options()).extracting(CommandOption::name).as(sql).doesNotContain("AS");
    }
  }

  /**
   * Spellings the grammar does not have, each around an S3 location: refused as before (fail closed),
   * since what the role does with the location cannot be known. CSV, PARQUET, ORC and SHAPEFILE take no
   * {@code AS 'option'}; a quoted format name is no keyword; an {@code AS} is not doubled, nor follows
   * the option.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "FORMAT CSV AS 's3://bkt1/jp/p.json'",
      "FORMAT AS CSV AS 's3://bkt1/jp/p.json'",
      "CSV AS 's3://bkt1/jp/p.json'",
      "FORMAT PARQUET AS 's3://bkt1/jp/p.json'",
      "FORMAT AS ORC AS 's3://bkt1/jp/p.json'",
      "FORMAT SHAPEFILE AS 's3://bkt1/jp/p.json'",
      "FORMAT \"json\" AS 's3://bkt1/jp/p.json'",
      "FORMAT AS \"AVRO\" AS 's3://bkt1/jp/p.json'",
      "JSON AS AS 's3://bkt1/jp/p.json'",
      "FORMAT JSON AS AS 's3://bkt1/jp/p.json'",
      "FORMAT AS AVRO AS AS 's3://bkt1/jp/p.json'",
      "FORMAT AS JSON 'auto' AS 's3://bkt1/jp/p.json'",
      "JSON 'auto' AS 's3://bkt1/jp/p.json'",
      "AVRO AS 'auto' AS 's3://bkt1/jp/p.json'",
      "FORMAT JSON AS GZIP 's3://bkt1/jp/p.json'",
      "JSONX AS 's3://bkt1/jp/p.json'",
  })
  void whatTheGrammarDoesNotHaveStaysRefused(String clause) {
    for (String sql : List.of("COPY t FROM '" + SOURCE + "'" + ROLE + " " + clause,
        "copy t from '" + SOURCE + "' " + clause.toLowerCase(Locale.ROOT) + ROLE)) {
      assertThat(GrammarTest.one(sql).problems()).as(sql).extracting(Problem::kind).containsExactly(Problem.Kind.UNPARSEABLE);
    }
  }

  /** UNLOAD has no paths file: a location after its FORMAT JSON, with or without AS, is refused as before. */
  @ParameterizedTest
  @ValueSource(strings = {"FORMAT JSON AS 's3://bkt1/jp/p.json'", "FORMAT AS JSON AS 's3://bkt1/jp/p.json'",
      "FORMAT AS JSON 's3://bkt1/jp/p.json'", "JSON AS 's3://bkt1/jp/p.json'"})
  void unloadTakesNoPathsFile(String clause) {
    String sql = "UNLOAD ('select 1') TO 's3://bkt1/u/'" + ROLE + " " + clause;
    assertThat(GrammarTest.one(sql).problems()).as(sql).extracting(Problem::kind).containsExactly(Problem.Kind.UNPARSEABLE);
  }
}
