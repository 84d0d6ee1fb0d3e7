package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code suggest} is sound (every statement it covers, {@code check} allows with what it wrote, the
 * IAM documents included) and least (the IAM documents grant the objects the statements touch, not
 * the folder or the bucket around them): after probe 20a.
 */
class SuggestSoundAndLeastTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/Loader";
  private static final List<String> FROM_SCRATCH = List.of("--cluster", "c1", "--account", "123456789012",
      "--region", "us-east-1", "--user", "etl");

  @TempDir
  Path dir;

  /**
   * What one statement touches is granted; what lies beside it is not. Each row: the statement
   * suggest reads, one the suggested IAM documents must allow, one they must refuse.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // a key prefix inside a segment: the keys starting with it, not its folder or the bucket
      "UNLOAD ('select 1') TO 's3://bkt/rep' | UNLOAD ('select 1') TO 's3://bkt/rep_2024_' | UNLOAD ('select 1') TO 's3://bkt/re'",
      "UNLOAD ('select 1') TO 's3://bkt/rep' | UNLOAD ('select 1') TO 's3://bkt/report/x_' | UNLOAD ('select 1') TO 's3://bkt/other/'",
      "COPY t FROM 's3://bkt/data/2024' | COPY t FROM 's3://bkt/data/2024-01/' | COPY t FROM 's3://bkt/data/2023/'",
      "COPY t FROM 's3://bkt/x/file.csv' | COPY t FROM 's3://bkt/x/file.csv.gz' | COPY t FROM 's3://bkt/x/other.csv'",
      "UNLOAD ('select 1') TO 's3://bkt/out/venue_' CLEANPATH | UNLOAD ('select 1') TO 's3://bkt/out/venue_' CLEANPATH | UNLOAD ('select 1') TO 's3://bkt/out/sales_' CLEANPATH",
      // one key (a manifest, a JSONPaths file): that key, not the keys under it as a folder
      "COPY t FROM 's3://bkt/data' MANIFEST | COPY t FROM 's3://bkt/data' MANIFEST | COPY t FROM 's3://bkt/data/x.csv'",
      "COPY t FROM 's3://bkt/m/run.manifest' MANIFEST | COPY t FROM 's3://bkt/m/run.manifest' MANIFEST | COPY t FROM 's3://bkt/m/run.manifest2' MANIFEST",
      "COPY t FROM 's3://bkt/in/' JSON 's3://bkt/paths.json' | COPY t FROM 's3://bkt/in/a' JSON 's3://bkt/paths.json' | COPY t FROM 's3://bkt/in/' JSON 's3://bkt/paths.json/x'",
      // a key with characters IAM reads as wildcards: literally
      "COPY t FROM 's3://bkt/k*' | COPY t FROM 's3://bkt/k*x' | COPY t FROM 's3://bkt/kx'"})
  void theDocumentsGrantWhatTheStatementTouchesAndNothingBeside(String suggested, String allowed, String refused)
      throws IOException {
    Path registry = suggestIam(script("suggested.sql", suggested));
    assertThat(decision(registry, script("allowed.sql", allowed))).isEqualTo("ALLOW []");
    assertThat(decision(registry, script("refused.sql", refused))).startsWith("DENY").contains("S3_NOT_PERMITTED");
  }

  /**
   * The guard also asks about the keys a location names decoded, or cut at ? or #: they are suggested too.
   * ({@code s3://bkt/q#frag/}, cut to the top-level key prefix {@code s3://bkt/q}, was a row here while
   * the short form granted it the whole bucket: {@link SuggestTopLevelPrefixTest} holds it now, a gap of
   * the short form and covered by the documents.)
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"s3://bkt/a*b/c?d/$x/", "s3://bkt/sp ace/%41/", "s3://bkt/q/r#frag/",
      "s3://bkt/%2A/x/"})
  void aKeyTheGuardAlsoReadsOtherwiseIsCoveredInEveryReading(String location) throws IOException {
    Path sql = script("odd.sql", "COPY t FROM '" + location + "'");
    assertThat(decision(suggestIam(sql), sql)).isEqualTo("ALLOW []");
    Path shortForm = dir.resolve("short.yaml");
    CliRun yaml = CliRun.of(args("suggest", sql.toString()));
    assertThat(yaml.code()).as(yaml.err()).isZero();
    Files.writeString(shortForm, yaml.out());
    assertThat(decision(shortForm, sql)).isEqualTo("ALLOW []");
  }

  /** A location whose other reading is the whole bucket is a gap, never a grant of the bucket (probe 20c). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"UNLOAD ('select 1') TO 's3://bkt/%3Freports/q1_' CLEANPATH",
      "COPY t FROM 's3://bkt/?x/'", "COPY t FROM 's3://bkt/#frag'", "COPY t FROM 's3://bkt/%23a/'"})
  void aLocationAlsoReadAsTheWholeBucketIsAGap(String statement) throws IOException {
    Path sql = script("bucket.sql", statement);
    CliRun run = CliRun.of(args("suggest", "--format", "iam", sql.toString()));
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("the whole bucket");
    assertThat(run.out()).doesNotContain("arn:aws:s3:::bkt/*").doesNotContain("\"arn:aws:s3:::bkt\"");
  }

  /**
   * A role that needs nothing suggest models (a library from https) gets no permissions document,
   * which IAM and the registry would refuse, and a note. (An external schema from PostgreSQL was the
   * example here while its secret was not modelled; its role now gets GetSecretValue on it:
   * {@link #aFederatedSchemaRoleMayReadItsSecretAndNoOther}.)
   */
  @Test
  void aRoleThatNeedsNoModelledPermissionGetsNoEmptyDocument() throws IOException {
    Path sql = Files.writeString(dir.resolve("fed.sql"), """
        CREATE OR REPLACE LIBRARY lib LANGUAGE plpythonu FROM 'https://example.com/lib.zip'
          IAM_ROLE 'arn:aws:iam::123456789012:role/Fed';
        COPY t FROM 's3://bkt/in/' IAM_ROLE 'arn:aws:iam::123456789012:role/Loader';
        """);
    Path registry = suggestIam(sql);
    assertThat(registry.resolveSibling("Fed.trust.json")).exists();
    assertThat(registry.resolveSibling("Fed.permissions.json")).doesNotExist();
    assertThat(Files.readString(registry)).contains("no permission suggest models is needed by "
        + "arn:aws:iam::123456789012:role/Fed");
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", sql.toString());
    assertThat(check.code()).as(check.out() + check.err()).isZero();
  }

  /**
   * An external schema from PostgreSQL reads the secret SECRET_ARN names ("Creating a secret and an IAM
   * role to use federated queries"): its role's permissions document grants GetSecretValue on that
   * secret and nothing else, and the suggestion is complete.
   */
  @Test
  void aFederatedSchemaRoleMayReadItsSecretAndNoOther() throws IOException {
    String secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pw-AbCdEf";
    Path sql = Files.writeString(dir.resolve("pg.sql"), """
        CREATE EXTERNAL SCHEMA pg FROM POSTGRES DATABASE 'd' URI 'h.example.com'
          IAM_ROLE 'arn:aws:iam::123456789012:role/Fed'
          SECRET_ARN '%s';
        """.formatted(secret));
    Path registry = suggestIam(sql);
    assertThat(Files.readString(registry.resolveSibling("Fed.permissions.json")).replaceAll("\\s", ""))
        .isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"secretsmanager:GetSecretValue\",\"Resource\":[\"" + secret + "\"]}]}");
    assertThat(Files.readString(registry)).doesNotContain("no permission suggest models");
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", sql.toString());
    assertThat(check.code()).as(check.out() + check.err()).isZero();
  }

  /** A statement check denies whatever the registry (no auth clause, an identity change before it) is a gap. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "COPY t FROM 's3://bkt/a/' CSV | AUTH_UNPARSEABLE",
      "UNLOAD ('select 1') TO 's3://bkt/u/' | AUTH_UNPARSEABLE",
      "SET ROLE r1; CREATE DATABASE db1 | IDENTITY_CHANGED_IN_TEXT",
      "select set_config('role', 'r', false); COPY t FROM 's3://bkt/a/' IAM_ROLE 'arn:aws:iam::123456789012:role/L' | IDENTITY_CHANGED_IN_TEXT"})
  void aStatementCheckDeniesWhateverTheRegistryIsAGap(String text, String rule) throws IOException {
    Path sql = Files.writeString(dir.resolve("gap.sql"), text + ";\n");
    CliRun suggest = CliRun.of(args("suggest", "--format", "json", sql.toString()));
    assertThat(suggest.code()).as(suggest.err()).isEqualTo(1);
    Path registry = dir.resolve("gap.yaml");
    Files.writeString(registry, CliRun.of(args("suggest", sql.toString())).out());
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", "--format", "json",
        sql.toString());
    Set<Object> denied = new TreeSet<>();
    for (Object item : (List<?>) check.json().get("statements")) {
      Map<?, ?> statement = (Map<?, ?>) item;
      if (statement.get("decision").equals("DENY")) {
        denied.add(statement.get("line") + ":" + statement.get("column"));
        assertThat(String.valueOf(statement.get("findings"))).contains(rule);
      }
    }
    Set<Object> gaps = new TreeSet<>();
    for (Object gap : (List<?>) suggest.json().get("gaps")) {
      gaps.add(((Map<?, ?>) gap).get("line") + ":" + ((Map<?, ?>) gap).get("column"));
    }
    assertThat(denied).isNotEmpty();
    assertThat(gaps).containsAll(denied);
  }

  /** A serverless workgroup's database users are named by its id: the suggested registry keeps it. */
  @Test
  void aWorkgroupKeepsItsIdInTheSuggestedRegistry() throws IOException {
    Path given = Files.writeString(dir.resolve("wg.yaml"), """
        version: 1
        clusters:
          - id: wg1
            account: "123456789012"
            region: us-east-1
            serverless: true
            workgroup_id: 0a1b2c3d-1111-2222-3333-444455556666
            attached_roles: []
        roles: []
        """);
    Path sql = script("wg.sql", "COPY t FROM 's3://bkt/in/'");
    CliRun yaml = CliRun.of("suggest", "--registry", given.toString(), "--user", "etl", sql.toString());
    assertThat(yaml.out()).contains("workgroup_id: \"0a1b2c3d-1111-2222-3333-444455556666\"");
    Path shortForm = Files.writeString(dir.resolve("wg-suggested.yaml"), yaml.out());
    assertThat(decision(shortForm, sql)).isEqualTo("ALLOW []");
    CliRun iam = CliRun.of("suggest", "--registry", given.toString(), "--user", "etl", "--format", "iam", "--out",
        dir.resolve("wg-iam").toString(), sql.toString());
    assertThat(iam.code()).as(iam.err()).isZero();
    assertThat(decision(dir.resolve("wg-iam").resolve("registry.yaml"), sql)).isEqualTo("ALLOW []");
  }

  /** --out is all or nothing, and refuses a folder holding documents this suggestion does not write. */
  @Test
  void outWritesEverythingOrNothing() throws IOException {
    Path sql = script("out.sql", "COPY t FROM 's3://bkt/in/'");
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("Loader.permissions.json"));
    CliRun blocked = CliRun.of(args("suggest", "--format", "iam", "--out", out.toString(), sql.toString()));
    assertThat(blocked.code()).isEqualTo(2);
    assertThat(blocked.err()).contains("Loader.permissions.json").contains("it is a folder");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("Loader.permissions.json");
    }
    Path linked = Files.createDirectories(dir.resolve("linked"));
    Path elsewhere = Files.writeString(dir.resolve("elsewhere.sql"), "keep me");
    Files.createSymbolicLink(linked.resolve("grants.sql"), elsewhere);
    CliRun throughLink = CliRun.of(args("suggest", "--format", "iam", "--out", linked.toString(), sql.toString()));
    assertThat(throughLink.code()).isEqualTo(2);
    assertThat(throughLink.err()).contains("grants.sql").contains("symbolic link");
    assertThat(Files.readString(elsewhere)).isEqualTo("keep me");
    try (var files = Files.list(linked)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("grants.sql");
    }
    Path earlier = dir.resolve("earlier");
    Files.createDirectories(earlier);
    Files.writeString(earlier.resolve("Other.trust.json"), "{}");
    Files.writeString(earlier.resolve("keep.txt"), "mine");
    CliRun stale = CliRun.of(args("suggest", "--format", "iam", "--out", earlier.toString(), sql.toString()));
    assertThat(stale.code()).isEqualTo(2);
    assertThat(stale.err()).contains("Other.trust.json").contains("nothing was written");
    try (var files = Files.list(earlier)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly("Other.trust.json", "keep.txt");
    }
  }

  /** A --user that names every user, a group or a role is refused; a user named as a key word is quoted. */
  @Test
  void usersAreDatabaseUsersNamedSoGrantRuns() throws IOException {
    Path sql = script("u.sql", "COPY t FROM 's3://bkt/in/'");
    for (String user : List.of("public", "PUBLIC", "group:etl", "role:loader")) {
      CliRun refused = CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-east-1",
          "--user", user, "--format", "sql", sql.toString());
      assertThat(refused.code()).as(user).isEqualTo(2);
      assertThat(refused.err()).as(user).contains("not a database user");
    }
    CliRun keyWords = CliRun.of("suggest", "--cluster", "c1", "--account", "123456789012", "--region", "us-east-1",
        "--user", "select", "--user", "all", "--user", "etl", "--format", "sql", sql.toString());
    assertThat(keyWords.code()).as(keyWords.err()).isZero();
    assertThat(keyWords.out()).contains("TO \"select\", \"all\", etl FOR COPY;");
  }

  /** A chain whose role before another holds * or ? cannot be trusted by name: a gap, not an invalid trust policy. */
  @Test
  void aRoleAPrincipalCannotNameIsAGap() throws IOException {
    Path sql = Files.writeString(dir.resolve("p.sql"), "COPY t FROM 's3://bkt/c/' IAM_ROLE "
        + "'arn:aws:iam::123456789012:role/p*q/A,arn:aws:iam::123456789012:role/B';\n");
    CliRun run = CliRun.of(args("suggest", "--format", "iam", sql.toString()));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("role/p*q/A holds *, ? or $");
    Path dollar = Files.writeString(dir.resolve("d.sql"), "COPY t FROM 's3://bkt/c/' IAM_ROLE "
        + "'arn:aws:iam::123456789012:role/p${aws:username}/A,arn:aws:iam::123456789012:role/B';\n");
    CliRun variable = CliRun.of(args("suggest", "--format", "iam", dollar.toString()));
    assertThat(variable.code()).isEqualTo(1);
    assertThat(variable.err()).contains("holds *, ? or $");
    assertThat(run.out()).doesNotContain("\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:role/p*q/A\"]");
  }

  /**
   * Two paths of one role name (IAM names a role by account and name alone) are a gap for the later
   * use, in another statement or the same chain, not a registry that fails to load; names differing
   * in case alone are one role.
   */
  @Test
  void oneRoleNameUnderTwoPathsIsAGapNotABrokenRegistry() throws IOException {
    Path sql = Files.writeString(dir.resolve("names.sql"), """
        COPY t FROM 's3://bkt/d/' IAM_ROLE 'arn:aws:iam::123456789012:role/p1/Px';
        COPY t FROM 's3://bkt/e/' IAM_ROLE 'arn:aws:iam::123456789012:role/p2/Px';
        COPY t FROM 's3://bkt/f/' IAM_ROLE 'arn:aws:iam::123456789012:role/q/A,arn:aws:iam::123456789012:role/r/a';
        COPY t FROM 's3://bkt/g/' IAM_ROLE 'arn:aws:iam::123456789012:role/Loader';
        COPY t FROM 's3://bkt/h/' IAM_ROLE 'arn:aws:iam::123456789012:role/loader';
        """);
    CliRun json = CliRun.of(args("suggest", "--format", "json", sql.toString()));
    assertThat(json.code()).as(json.err()).isEqualTo(1);
    List<Object> lines = new ArrayList<>();
    for (Object gap : (List<?>) json.json().get("gaps")) {
      lines.add(((Map<?, ?>) gap).get("line"));
    }
    assertThat(lines).containsExactly(2, 3);
    Path registry = suggestIam(sql, 1);
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", sql.toString());
    assertThat(check.code()).as(check.err()).isEqualTo(1);
    assertThat(check.out()).contains("3 allowed, 0 rewritten, 2 denied").doesNotContain("names.sql:1:").doesNotContain("names.sql:4:")
        .doesNotContain("names.sql:5:");
  }

  /**
   * What covered statements need of other services, which the documents do not grant, is named in a
   * note; a secret named by no complete ARN (which the note named while no secret was modelled) is a
   * need not granted, and the suggestion is not complete.
   */
  @Test
  void whatTheDocumentsDoNotGrantIsNoted() throws IOException {
    Path sql = Files.writeString(dir.resolve("other.sql"), """
        copy t from 's3://bkt/m' iam_role 'arn:aws:iam::123456789012:role/L' manifest;
        create external schema pg from postgres database 'd' uri 'h' iam_role 'arn:aws:iam::123456789012:role/L'
          secret_arn 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x';
        """);
    CliRun run = CliRun.of(args("suggest", "--format", "json", sql.toString()));
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(String.valueOf(run.json().get("notes"))).contains("the files each manifest lists");
    assertThat(String.valueOf(run.json().get("ungranted"))).contains("secretsmanager:GetSecretValue on the secret "
        + "SECRET_ARN names");
    assertThat(((Map<?, ?>) run.json().get("summary")).get("complete")).isEqualTo(false);
    Path plain = Files.writeString(dir.resolve("plain.sql"), "copy t from 's3://bkt/in/' iam_role "
        + "'arn:aws:iam::123456789012:role/L';\n");
    assertThat(String.valueOf(CliRun.of(args("suggest", "--format", "json", plain.toString())).json().get("notes")))
        .doesNotContain("also need");
  }

  /** A statement with two reasons it cannot be covered counts once. */
  @Test
  void theUnresolvedAreCountedAsStatements() throws IOException {
    Path sql = Files.writeString(dir.resolve("twice.sql"), """
        create external schema h from hive metastore database 'a' uri 'h' port 99
          iam_role 'arn:aws:iam::123456789012:role/A'
        create external schema s from data catalog database 'b' iam_role 'arn:aws:iam::123456789012:role/B';
        """);
    CliRun run = CliRun.of(args("suggest", "--format", "json", sql.toString()));
    assertThat(run.code()).isEqualTo(1);
    assertThat((List<?>) run.json().get("gaps")).hasSize(2);
    Map<?, ?> summary = (Map<?, ?>) run.json().get("summary");
    assertThat(summary.get("statements")).isEqualTo(1);
    assertThat(summary.get("unresolved")).isEqualTo(1);
    assertThat(CliRun.of(args("suggest", sql.toString())).err()).contains("1 of 1 statements could not be resolved");
  }

  /**
   * Over the AWS documentation's and a parser's Redshift SQL, from scratch: every statement check
   * denies with the suggested registry, short form or IAM documents, is one suggest lists as a gap.
   */
  @Test
  void overTheExternalCorpusEveryStatementCheckDeniesIsAGap() throws IOException {
    Path corpus = SharedFiles.require("corpus/external");
    CliRun json = CliRun.of(args("suggest", "--format", "json", corpus.toString()));
    assertThat(json.code()).as(json.err()).isEqualTo(1);
    Set<String> gaps = new TreeSet<>();
    for (Object gap : (List<?>) json.json().get("gaps")) {
      gaps.add(((Map<?, ?>) gap).get("file") + ":" + ((Map<?, ?>) gap).get("line"));
    }
    Path shortForm = Files.writeString(dir.resolve("corpus.yaml"), CliRun.of(args("suggest", corpus.toString())).out());
    CliRun iam = CliRun.of(args("suggest", "--format", "iam", "--out", dir.resolve("corpus").toString(),
        corpus.toString()));
    assertThat(iam.code()).as(iam.err()).isEqualTo(1);
    for (Path registry : List.of(shortForm, dir.resolve("corpus").resolve("registry.yaml"))) {
      CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", "--format", "json",
          corpus.toString());
      assertThat(check.code()).as(check.err()).isEqualTo(1);
      List<String> deniedNotGaps = new ArrayList<>();
      int denied = 0;
      for (Object item : (List<?>) check.json().get("statements")) {
        Map<?, ?> statement = (Map<?, ?>) item;
        String where = statement.get("file") + ":" + statement.get("line");
        if (statement.get("decision").equals("DENY")) {
          denied++;
          if (!gaps.contains(where)) {
            deniedNotGaps.add(where + " " + statement.get("findings"));
          }
        }
      }
      assertThat(denied).as("the corpus holds statements check denies").isGreaterThan(100);
      assertThat(deniedNotGaps).as("covered by suggest, denied by check with " + registry.getFileName()).isEmpty();
    }
  }

  // ---- helpers

  private String[] args(String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(FROM_SCRATCH);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private Path script(String name, String statement) throws IOException {
    // the role is added after the location, so the rows read as the statements they test
    String text = statement.replaceFirst("(FROM '[^']*'|TO '[^']*')", "$1 IAM_ROLE '" + ROLE + "'");
    return Files.writeString(dir.resolve(name), text + ";\n");
  }

  /** Suggests the IAM documents for {@code sql} into a new folder; its registry. */
  private Path suggestIam(Path sql) {
    return suggestIam(sql, 0);
  }

  /** As {@link #suggestIam(Path)}, with the exit code suggest must give. */
  private Path suggestIam(Path sql, int code) {
    Path out = dir.resolve("iam-" + sql.getFileName());
    CliRun run = CliRun.of(args("suggest", "--format", "iam", "--out", out.toString(), sql.toString()));
    assertThat(run.code()).as(run.err()).isEqualTo(code);
    return out.resolve("registry.yaml");
  }

  /** The decision and rules of the one statement of {@code sql}, checked as etl with {@code registry}. */
  private static String decision(Path registry, Path sql) {
    CliRun check = CliRun.of("check", "--registry", registry.toString(), "--user", "etl", "--format", "json",
        sql.toString());
    assertThat(check.code()).as(check.err()).isIn(0, 1);
    List<?> statements = (List<?>) check.json().get("statements");
    assertThat(statements).hasSize(1);
    Map<?, ?> statement = (Map<?, ?>) statements.get(0);
    List<Object> rules = new ArrayList<>();
    for (Object finding : (List<?>) statement.get("findings")) {
      rules.add(((Map<?, ?>) finding).get("rule"));
    }
    return statement.get("decision") + " " + rules;
  }
}
