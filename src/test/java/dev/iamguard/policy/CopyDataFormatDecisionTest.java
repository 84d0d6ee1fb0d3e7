package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.CopyFormatClauses;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSONPaths (or Avro paths) file of COPY's data format clause, in every spelling
 * ({@link CopyFormatClauses}), is checked as a read of the last role: inside its s3_read prefixes the
 * COPY is allowed, outside them denied as S3_NOT_PERMITTED naming the file. Spellings the grammar
 * does not have stay denied as unparseable.
 */
class CopyDataFormatDecisionTest {
  private static final Registry REGISTRY = Fixture.registry();
  private static final String HEAD = "COPY t FROM 's3://data/in/d/' IAM_ROLE '" + LOADER + "'";

  static Stream<CopyFormatClauses.Clause> readable() {
    return CopyFormatClauses.of(List.of("JSON", "AVRO"), List.of("s3://data/in/jp.json", "auto"),
        List.of(" ", " /* c */ ")).stream();
  }

  static Stream<CopyFormatClauses.Clause> elsewhere() {
    return CopyFormatClauses.of(List.of("JSON", "AVRO"), List.of("s3://other/jp.json"), List.of(" ", "\n-- c\n ")).stream();
  }

  @ParameterizedTest
  @MethodSource("readable")
  void aPathsFileTheRoleReadsIsAllowed(CopyFormatClauses.Clause clause) {
    Decision decision = inspect(REGISTRY, HEAD + clause.sql());
    assertThat(decision.verdict()).as(clause.sql()).isEqualTo(Verdict.ALLOW);
  }

  @ParameterizedTest
  @MethodSource("elsewhere")
  void aPathsFileOutsideTheRolesPrefixesIsDenied(CopyFormatClauses.Clause clause) {
    Decision decision = inspect(REGISTRY, HEAD + clause.sql());
    assertThat(rules(decision)).as(clause.sql()).containsExactly(RuleId.S3_NOT_PERMITTED);
    assertThat(decision.findings().get(0).message()).as(clause.sql()).contains("may not read s3://other/jp.json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"FORMAT CSV AS 's3://data/in/jp.json'", "FORMAT JSON AS AS 's3://data/in/jp.json'",
      "FORMAT \"json\" AS 's3://data/in/jp.json'", "JSON 'auto' AS 's3://data/in/jp.json'",
      "FORMAT AS PARQUET AS 's3://data/in/jp.json'"})
  void whatTheGrammarDoesNotHaveIsDenied(String clause) {
    Decision decision = inspect(REGISTRY, HEAD + " " + clause);
    assertThat(decision.verdict()).as(clause).isEqualTo(Verdict.DENY);
    assertThat(rules(decision)).as(clause).containsExactly(RuleId.AUTH_UNPARSEABLE);
  }
}
