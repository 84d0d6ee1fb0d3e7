package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A key prefix in a bucket's top level ({@code s3://bkt/venue_}) is never widened to the bucket in the
 * registry's short form (review of suggest, finding 1: {@code UNLOAD ... TO 's3://bkt/venue_'} was
 * suggested {@code s3_write: ["s3://bkt"]}, complete, and {@code check} with that registry then allowed
 * an UNLOAD ... CLEANPATH to {@code s3://bkt/finance/}). A short-form prefix grants by path segment
 * ({@code s3://bkt/venue_} is the key {@code venue_} and the keys under {@code venue_/}), so only the
 * whole bucket would cover such a location: the short form lists the statement as not resolved
 * (exit 1), while the IAM documents name its keys ({@code bkt/venue_*}) and cover it. A location one
 * folder down, the whole bucket as written and one exact key stay as they were.
 */
class SuggestTopLevelPrefixTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String SCHEMA = "CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'db' IAM_ROLE '" + ROLE
      + "';\nCREATE EXTERNAL TABLE s.t (a int) PARTITIONED BY (d int) STORED AS PARQUET LOCATION 's3://bkt/t/';\n";
  private static final List<String> FROM_SCRATCH = List.of("--cluster", "c1", "--account", "123456789012",
      "--region", "us-east-1", "--user", "etl");
  /** The widening the review found: with s3://bkt granted, this was allowed. */
  private static final String ELSEWHERE = "UNLOAD ('select 1') TO 's3://bkt/finance/' IAM_ROLE '" + ROLE + "' CLEANPATH;\n";

  @TempDir
  Path dir;

  /** Every command kind whose location is a key prefix, read and written, and a location also read cut at #. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "COPY t FROM 's3://bkt/data' IAM_ROLE 'R';",
      "COPY t FROM 's3://bkt/d' IAM_ROLE 'R';",
      "COPY t FROM 's3://bkt/data.csv' IAM_ROLE 'R' CSV;",
      "COPY t FROM 's3://bkt/q#frag/' IAM_ROLE 'R';",
      "UNLOAD ('select 1') TO 's3://bkt/venue_' IAM_ROLE 'R' CLEANPATH;",
      "UNLOAD ('select 1') TO 's3://bkt/venue_' IAM_ROLE 'R' MANIFEST;",
      "UNLOAD ('select 1') TO 's3://bkt/x' IAM_ROLE 'R' PARTITION BY (a) FORMAT PARQUET;",
      "SCHEMA CREATE EXTERNAL TABLE s.u (a int) STORED AS PARQUET LOCATION 's3://bkt/tbl';",
      "SCHEMA ALTER TABLE s.t ADD PARTITION (d=1) LOCATION 's3://bkt/d1';",
      "SCHEMA CREATE EXTERNAL TABLE s.c STORED AS PARQUET LOCATION 's3://bkt/cetas' AS SELECT 1 AS a;"})
  void aTopLevelKeyPrefixIsAGapOfTheShortFormAndExactInTheDocuments(String statement) throws IOException {
    for (List<String> depth : List.of(List.<String>of(), List.of("--prefix-depth", "1"))) {
      Path sql = script(statement);
      CliRun yaml = suggest(depth, "--format", "yaml", sql.toString());
      assertThat(yaml.code()).as(yaml.out() + yaml.err()).isEqualTo(1);
      assertThat(yaml.out()).doesNotContain("\"s3://bkt\"").contains(" 1 not resolved)")
          .contains("bucket's top level");
      assertThat(yaml.err()).contains("s3://bkt/").contains("top level");
      Path shortForm = Files.writeString(dir.resolve("short.yaml"), yaml.out());
      assertThat(lastDecision(shortForm, sql)).startsWith("DENY").contains("S3_NOT_PERMITTED");
      assertThat(lastDecision(shortForm, Files.writeString(dir.resolve("elsewhere.sql"), ELSEWHERE)))
          .startsWith("DENY");

      CliRun json = suggest(depth, "--format", "json", sql.toString());
      assertThat(json.code()).isEqualTo(1);
      assertThat(((Map<?, ?>) json.json().get("summary")).get("complete")).isEqualTo(false);
      assertThat(json.out()).doesNotContain("\"s3://bkt\"");

      // the IAM documents name the keys the location starts: complete, and nothing beside
      Path out = dir.resolve("iam" + depth.size());
      CliRun iam = suggest(depth, "--format", "iam", "--out", out.toString(), sql.toString());
      assertThat(iam.code()).as(iam.err()).isZero();
      Path documents = out.resolve("registry.yaml");
      assertThat(lastDecision(documents, sql)).isEqualTo("ALLOW []");
      assertThat(lastDecision(documents, Files.writeString(dir.resolve("elsewhere.sql"), ELSEWHERE)))
          .startsWith("DENY");
    }
  }

  /** A prefix one folder down, the whole bucket as written, an exact key: the short form as before. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "COPY t FROM 's3://bkt/out/venue_' IAM_ROLE 'R'; | s3_read: [\"s3://bkt/out/\"]",
      "COPY t FROM 's3://bkt/data/' IAM_ROLE 'R'; | s3_read: [\"s3://bkt/data/\"]",
      "UNLOAD ('select 1') TO 's3://bkt/out/venue_' IAM_ROLE 'R' CLEANPATH; | s3_write: [\"s3://bkt/out/\"]",
      "COPY t FROM 's3://bkt/' IAM_ROLE 'R'; | s3_read: [\"s3://bkt\"]",
      "COPY t FROM 's3://bkt/m' IAM_ROLE 'R' MANIFEST; | s3_read: [\"s3://bkt/m\"]",
      "CREATE LIBRARY l LANGUAGE plpythonu FROM 's3://bkt/f.zip' IAM_ROLE 'R'; | s3_read: [\"s3://bkt/f.zip\"]",
      "SCHEMA CREATE EXTERNAL TABLE s.u (a int) STORED AS PARQUET LOCATION 's3://bkt/tbl/'; | s3_read: [\"s3://bkt/t/\", \"s3://bkt/tbl/\"]"})
  void aLocationBelowTheTopLevelIsGrantedAsBefore(String statement, String granted) throws IOException {
    Path sql = script(statement);
    CliRun yaml = suggest(List.of(), sql.toString());
    assertThat(yaml.code()).as(yaml.out() + yaml.err()).isZero();
    assertThat(yaml.out()).contains(granted).contains("0 not resolved").doesNotContain("top level");
    Path shortForm = Files.writeString(dir.resolve("short.yaml"), yaml.out());
    assertThat(lastDecision(shortForm, sql)).isEqualTo("ALLOW []");
  }

  private CliRun suggest(List<String> more, String... args) {
    List<String> all = new ArrayList<>(List.of("suggest"));
    all.addAll(FROM_SCRATCH);
    all.addAll(more);
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** {@code statement} with its role; {@code SCHEMA} first creates an external schema and a partitioned table. */
  private Path script(String statement) throws IOException {
    String text = statement.replace("IAM_ROLE 'R'", "IAM_ROLE '" + ROLE + "'");
    text = text.startsWith("SCHEMA ") ? SCHEMA + text.substring("SCHEMA ".length()) : text;
    return Files.writeString(dir.resolve("script.sql"), text + "\n");
  }

  /** The decision and rules of the last statement of {@code sql}, checked as etl with {@code registry}. */
  private static String lastDecision(Path registry, Path sql) {
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", "--format", "json",
        sql.toString());
    assertThat(check.code()).as(check.out() + check.err()).isIn(0, 1);
    List<?> statements = (List<?>) check.json().get("statements");
    Map<?, ?> statement = (Map<?, ?>) statements.get(statements.size() - 1);
    List<Object> rules = new ArrayList<>();
    for (Object finding : (List<?>) statement.get("findings")) {
      rules.add(((Map<?, ?>) finding).get("rule"));
    }
    return statement.get("decision") + " " + rules;
  }
}
