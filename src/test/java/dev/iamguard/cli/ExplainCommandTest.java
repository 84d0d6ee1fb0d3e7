package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  @TempDir
  Path dir;

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(CliRun run) {
    return (List<Map<String, Object>>) run.json().get("statements");
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonMatchesTheContractOfCliMd() throws IOException {
    Path etl = Files.createDirectories(dir.resolve("etl"));
    Files.writeString(etl.resolve("load.sql"), "-- nightly\nselect 1;\n\ncopy venue from 's3://companyb/redshift/venue_pipe_'\n"
        + "iam_role '" + CHAIN + "';\n");
    CliRun run = CliRun.of("explain", "--format", "json", etl.resolve("load.sql").toString());
    assertThat(run.code()).isZero();
    List<Map<String, Object>> statements = statements(run);
    assertThat(statements).hasSize(2);
    Map<String, Object> other = statements.get(0);
    assertThat(other).containsEntry("index", 1).containsEntry("line", 2).containsEntry("column", 1)
        .containsEntry("command", "OTHER");
    Map<String, Object> copy = statements.get(1);
    assertThat(copy.get("file")).isEqualTo(etl.resolve("load.sql").toString());
    assertThat(copy).containsEntry("index", 2).containsEntry("line", 4).containsEntry("column", 1)
        .containsEntry("command", "COPY");
    assertThat((Map<String, Object>) copy.get("auth")).containsEntry("form", "IAM_ROLE")
        .containsEntry("default", false)
        .containsEntry("roles", List.of("arn:aws:iam::123456789012:role/RoleA", "arn:aws:iam::210987654321:role/RoleB"))
        .containsEntry("session_token", false);
    assertThat(copy).containsEntry("catalog_roles", List.of());
    Map<String, Object> resources = (Map<String, Object>) copy.get("resources");
    assertThat(resources).containsEntry("s3", List.of("s3://companyb/redshift/venue_pipe_"))
        .containsEntry("lambda", null).containsEntry("sagemaker", null)
        .containsEntry("catalog_database", null).containsEntry("secret_arn", null).containsEntry("region", null);
    assertThat((Map<String, Object>) copy.get("tables")).containsEntry("target", "venue").containsEntry("reads", List.of());
  }

  /** Issue 11: external table locations (and every resource the grammar knows) are listed. */
  @Test
  @SuppressWarnings("unchecked")
  void externalTablesAndOtherResourcesAreListed() {
    CliRun run = CliRun.withStdin("create external table spectrum.t (a int) stored as parquet location 's3://lake/t/';\n"
        + "create external table spectrum.u stored as parquet location 's3://lake/u/' as select * from t;\n"
        + "alter table spectrum.t add partition (d='1') location 's3://lake/t/d=1/';\n"
        + "copy t from 'dynamodb://Movies' iam_role default readratio 50;\n"
        + "create database d from arn 'arn:aws:glue:us-east-1:210987654321:database/shared'"
        + " with no data catalog schema iam_role default;\n"
        + "create identity provider idc type awsidc namespace 'ns' iam_role 'arn:aws:iam::123456789012:role/Idc';\n"
        + "copy job run load_t;\nalter table t rename to u", "explain", "--format", "json");
    assertThat(run.code()).isZero();
    List<Map<String, Object>> statements = statements(run);
    assertThat(statements).extracting(m -> m.get("kind")).containsExactly("CREATE_EXTERNAL_TABLE",
        "CREATE_EXTERNAL_TABLE", "ALTER_EXTERNAL_TABLE", "COPY", "CREATE_DATABASE", "CREATE_IDENTITY_PROVIDER", "COPY",
        "OTHER");
    // CLI.md's command values are a closed set: the commands learnt since are OTHER there (probe 22b F3)
    assertThat(statements).extracting(m -> m.get("command")).containsExactly("OTHER", "OTHER", "OTHER", "COPY",
        "CREATE_DATABASE", "OTHER", "COPY", "OTHER");
    assertThat((Map<String, Object>) statements.get(0).get("resources")).containsEntry("s3", List.of("s3://lake/t/"));
    assertThat((List<Map<String, Object>>) statements.get(1).get("s3_locations")).singleElement()
        .isEqualTo(Map.of("uri", "s3://lake/u/", "access", "WRITE", "purpose", "EXTERNAL_TABLE", "key_prefix", true));
    assertThat((Map<String, Object>) statements.get(2).get("resources")).containsEntry("s3", List.of("s3://lake/t/d=1/"));
    assertThat(statements.get(3)).containsEntry("other_source", "dynamodb://Movies");
    assertThat(statements.get(4)).containsEntry("catalog_arn", "arn:aws:glue:us-east-1:210987654321:database/shared");
    assertThat((Map<String, Object>) statements.get(4).get("resources")).containsEntry("catalog_database", "shared");
    assertThat((Map<String, Object>) statements.get(5).get("auth"))
        .containsEntry("roles", List.of("arn:aws:iam::123456789012:role/Idc"));
    assertThat(statements.get(6)).containsEntry("copy_job", Map.of("action", "RUN", "name", "load_t"));
  }

  @Test
  void keysAndTokensNeverAppear() {
    CliRun run = CliRun.withStdin("copy t from 's3://b/k' access_key_id 'AKIAQWERTY' secret_access_key 'wJalrXUtnFEMI' "
        + "session_token 'FQoGZXIvYXdzEJr';\nunload ('select 1') to 's3://b/u' credentials "
        + "'aws_access_key_id=AKIAQWERTY;aws_secret_access_key=wJalrXUtnFEMI;master_symmetric_key=MSKMSK';",
        "explain", "--format", "json");
    assertThat(run.code()).isZero();
    assertThat(run.out()).doesNotContain("AKIAQWERTY", "wJalrXUtnFEMI", "FQoGZXIvYXdzEJr", "MSKMSK")
        .contains("\"session_token\":true");
    CliRun text = CliRun.withStdin("copy t from 's3://b/k' access_key_id 'AKIAQWERTY' secret_access_key 'wJalrXUtnFEMI'",
        "explain");
    assertThat(text.out()).doesNotContain("AKIAQWERTY", "wJalrXUtnFEMI").contains("ACCESS_KEYS");
  }

  @Test
  void foldersAreReadRecursivelyInSortedOrder() throws IOException {
    Files.createDirectories(dir.resolve("b/sub"));
    Files.writeString(dir.resolve("b/sub/z.sql"), "select 3");
    Files.writeString(dir.resolve("b/a.sql"), "select 1; select 2");
    Files.writeString(dir.resolve("b/notes.txt"), "copy t from 's3://x' iam_role default");
    CliRun run = CliRun.of("explain", "--format", "json", dir.resolve("b").toString());
    assertThat(statements(run)).extracting(s -> s.get("file").toString().replace(dir.toString(), ""))
        .containsExactly("/b/a.sql", "/b/a.sql", "/b/sub/z.sql");
  }

  @Test
  void standardInputIsTheDefaultAndDash() {
    assertThat(statements(CliRun.withStdin("select 1", "explain", "--format", "json")))
        .singleElement().satisfies(s -> assertThat(s).containsEntry("file", "-"));
    assertThat(statements(CliRun.withStdin("select 1", "explain", "--format", "json", "-"))).hasSize(1);
  }

  @Test
  void unparseableClausesAreListedWithTheirPosition() {
    CliRun run = CliRun.withStdin("select 1;\ncopy t from 's3://b/k'\n  iam_role ?", "explain", "--format", "json");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> problems = (List<Map<String, Object>>) statements(run).get(1).get("problems");
    assertThat(problems).singleElement().satisfies(p -> assertThat(p)
        .containsEntry("kind", "PARAMETER").containsEntry("line", 3).containsEntry("column", 12));
  }

  @Test
  void textFormatIsOneLinePerStatement() {
    CliRun run = CliRun.withStdin("select 1;\ncopy venue from 's3://b/k' iam_role default;", "explain");
    assertThat(run.out().lines()).containsExactly(
        "-:1:1: OTHER",
        "-:2:1: COPY auth=IAM_ROLE default reads=s3://b/k");
  }

  @Test
  void missingFileIsAnErrorWithCode2() {
    CliRun run = CliRun.of("explain", dir.resolve("nope.sql").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("nope.sql: no such file or folder");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void invalidUtf8IsAnErrorWithCode2() throws IOException {
    Path bad = dir.resolve("bad.sql");
    Files.write(bad, new byte[] {'s', 'e', 'l', (byte) 0xC3, (byte) 0x28});
    CliRun run = CliRun.of("explain", bad.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("bad.sql: not valid UTF-8 text");
  }

  @Test
  void unknownFormatIsAUsageError() {
    CliRun run = CliRun.withStdin("select 1", "explain", "--format", "xml");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--format");
  }
}
