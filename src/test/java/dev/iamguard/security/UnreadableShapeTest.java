package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COPY or UNLOAD whose shape the grammar cannot read (no table, a name cut at a dot, no FROM or
 * TO, an UNLOAD query outside parentheses), an external function without its Lambda or SageMaker
 * endpoint, a data catalog schema without its database, a library without its archive and an
 * external table without its location have no
 * resource the rules could judge: they are denied, never allowed as if they touched nothing. Each broken head is joined to an auth clause and
 * options that the registry allows in the well-formed statement, so only the shape can deny it.
 */
class UnreadableShapeTest {
  static final String CHAIN = "iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  static final String SOURCE = "'s3://companyb/redshift/venue_pipe_'";
  static final String TARGET = "'s3://acmedata/redshift/unload/daily_1_'";
  static final String COPY_TAIL = " " + CHAIN + " delimiter '|'";
  static final String UNLOAD_TAIL = " iam_role default csv header parallel off";

  /** Well-formed heads: allowed with the tails above (the controls). */
  static final List<String> READABLE = List.of(
      "copy venue from " + SOURCE + COPY_TAIL,
      "copy public.venue (venueid, venuename) from " + SOURCE + COPY_TAIL,
      "copy \"public\" . \"venue\" from " + SOURCE + COPY_TAIL,
      "copy public. venue from " + SOURCE + COPY_TAIL,
      "unload ('select * from venue') to " + TARGET + UNLOAD_TAIL,
      "unload ( 'select * from venue' ) to " + TARGET + UNLOAD_TAIL);

  /** Broken COPY heads, each followed by the source: no table, a cut name, no FROM. */
  static final List<String> COPY_HEADS = List.of(
      "copy from ", "copy . from ", "copy 1 from ", "copy 'venue' from ", "copy $$venue$$ from ", "copy ? from ",
      "copy (select 1) to ", "copy (venueid) from ", "copy venue. from ", "copy venue.. from ", "copy venue. (a) from ",
      "copy \"venue\". from ", "copy venue ", "copy venue to ", "copy venue (a, b) ",
      "copy venue fro ", "copy venue (a from ", "copy venue (a)) from ", "copy venue, venue2 from ");

  /** Broken UNLOAD heads, each followed by the target: the query outside parentheses, no TO. */
  static final List<String> UNLOAD_HEADS = List.of(
      "unload 'select * from venue' to ", "unload $$select * from venue$$ to ", "unload to ",
      "unload ('select * from venue') ", "unload ('select * from venue') into ", "unload ('select 1') ('x') to ",
      "unload ('select * from venue') too ", "unload ('select * from venue'), to ");

  static final String ATTACHED = " iam_role '" + EvasionSuiteTest.ATTACHED + "'";

  /**
   * The other commands whose resource the grammar must find, well formed (allowed) then broken:
   * an external function without LAMBDA or SAGEMAKER, a data catalog schema without DATABASE, a
   * library without FROM.
   */
  static final List<String> OTHER_READABLE = List.of(
      "create external function f(int) returns int volatile lambda 'exampleLambdaFunction'" + ATTACHED,
      "create external schema venue from data catalog database 'exampledb'" + ATTACHED,
      "create external schema venue from database 'exampledb'" + ATTACHED,
      "create library l language plpythonu from 's3://acmedata/redshift/lib/x.zip'" + ATTACHED,
      "create external table spectrum.t (a int) stored as parquet location 's3://companyb/redshift/t/'",
      "create external table spectrum.t (a int) stored as parquet location 's3://companyb/redshift/t/' as select 1");
  static final List<String> OTHER_UNREADABLE = List.of(
      "create external function f(int) returns int volatile" + ATTACHED,
      "create external function f(int) returns int volatile 'exampleLambdaFunction'" + ATTACHED,
      "create external function f(int) returns int volatile lambda_fn 'exampleLambdaFunction'" + ATTACHED,
      "create external schema venue from data catalog" + ATTACHED,
      "create external schema venue from data catalog 'exampledb'" + ATTACHED,
      "create external schema venue from data catalog databases 'exampledb'" + ATTACHED,
      "create external schema venue" + ATTACHED,
      "create library l language plpythonu 's3://acmedata/redshift/lib/x.zip'" + ATTACHED,
      "create library l language plpythonu" + ATTACHED,
      "create library l language plpythonu form 's3://acmedata/redshift/lib/x.zip'" + ATTACHED,
      "create external table spectrum.t (a int) stored as parquet 's3://companyb/redshift/t/'",
      "create external table spectrum.t (a int) stored as parquet",
      "create external table spectrum.t (a int) stored as parquet location",
      "create external table spectrum.t (a int) stored as parquet locations 's3://companyb/redshift/t/' as select 1");

  static final Guard guard = SampleGuard.load();

  static List<String> unreadable() {
    List<String> texts = new ArrayList<>();
    for (String head : COPY_HEADS) {
      texts.add(head + SOURCE + COPY_TAIL);
      texts.add(head.toUpperCase(java.util.Locale.ROOT) + SOURCE + COPY_TAIL.replace(' ', '\n'));
      texts.add("select 1; /* ; */ " + head.replace(" ", " -- x\n") + SOURCE + COPY_TAIL);
    }
    for (String sql : OTHER_UNREADABLE) {
      texts.add(sql);
      texts.add(sql.toUpperCase(java.util.Locale.ROOT).replace("EXAMPLELAMBDAFUNCTION", "exampleLambdaFunction"));
      texts.add("select 1; " + sql.replace(" ", "\n"));
    }
    for (String head : UNLOAD_HEADS) {
      texts.add(head + TARGET + UNLOAD_TAIL);
      texts.add(head.toUpperCase(java.util.Locale.ROOT) + TARGET + UNLOAD_TAIL.replace(' ', '\t'));
      texts.add("select 1; /* ; */ " + head.replace(" ", " /**/ ") + TARGET + UNLOAD_TAIL);
    }
    return texts;
  }

  @Test
  void theWellFormedControlsAreAllowed() {
    for (String sql : concat(READABLE, OTHER_READABLE)) {
      Decision decision = guard.inspect(sql, Session.of("user1", null));
      assertThat(decision.verdict()).as(sql + " " + decision.findings()).isEqualTo(Verdict.ALLOW);
      var resources = decision.statements().get(0).statement().command().resources();
      assertThat(resources.s3().size() + (resources.lambda() != null ? 1 : 0)
          + (resources.catalogDatabase() != null ? 1 : 0)).as(sql).isEqualTo(1);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aStatementWhoseSourceOrTargetCannotBeFoundIsDenied() {
    List<String> passed = new ArrayList<>();
    for (String sql : unreadable()) {
      Decision decision = guard.inspect(sql, Session.of("user1", null));
      if (decision.verdict() != Verdict.DENY) {
        passed.add(sql);
      }
      assertThat(decision.errors()).as(sql).anyMatch(finding -> finding.ruleId().equals("AUTH_UNPARSEABLE"));
    }
    assertThat(passed).as("unreadable statements that were not denied").isEmpty();
  }

  @Test
  void theDenialNamesTheShapeItCannotRead() {
    assertThat(messages("copy venue. from " + SOURCE + COPY_TAIL)).contains("FROM does not follow the table");
    assertThat(messages("copy (select 1) to " + SOURCE + COPY_TAIL)).contains("no table name follows COPY");
    assertThat(messages("unload 'select 1' to " + TARGET + UNLOAD_TAIL)).contains("the query is not in parentheses");
    assertThat(messages("unload ('select 1') " + TARGET + UNLOAD_TAIL)).contains("TO does not follow the query");
    assertThat(messages(OTHER_UNREADABLE.get(0))).contains("names no LAMBDA 'function' or SAGEMAKER 'endpoint'");
    assertThat(messages(OTHER_UNREADABLE.get(3))).contains("names no DATABASE 'name'");
    assertThat(messages(OTHER_UNREADABLE.get(7))).contains("names no FROM 'location'");
    assertThat(messages(OTHER_UNREADABLE.get(10))).contains("names no LOCATION 's3://...'");
  }

  /** The remedy points at the statement's documented form and the clause's, for a shape problem as for a clause problem. */
  @Test
  void theRemedyFitsWhereTheProblemIs() {
    for (String sql : unreadable()) {
      Decision decision = guard.inspect(sql, Session.of("user1", null));
      assertThat(decision.errors()).as(sql).filteredOn(f -> f.ruleId().equals("AUTH_UNPARSEABLE"))
          .allSatisfy(f -> assertThat(f.remedy()).startsWith("write the statement in the form the Redshift documentation gives"));
    }
    for (String sql : List.of("copy venue from " + SOURCE + " iam_role 12345", "copy venue from " + SOURCE + " iam_role",
        "unload ('select 1') to " + TARGET + " iam_role $$arn:aws:iam::123456789012:role/A")) {
      Decision decision = guard.inspect(sql, Session.of("user1", null));
      assertThat(decision.errors()).as(sql).filteredOn(f -> f.ruleId().equals("AUTH_UNPARSEABLE")).isNotEmpty()
          .allSatisfy(f -> assertThat(f.remedy()).contains("the clause as IAM_ROLE DEFAULT or IAM_ROLE '<role ARN>"));
    }
  }

  private static String messages(String sql) {
    Decision decision = guard.inspect(sql, Session.of("user1", null));
    assertThat(decision.verdict()).as(sql).isEqualTo(Verdict.DENY);
    return decision.errors().stream().map(f -> f.ruleId() + " " + f.message()).toList().toString();
  }

  @Test
  void noUnreadableShapePassesAnyJdbcEntryPoint() throws Exception {
    int tried = 0;
    try (Connection connection = EvasionSuiteTest.open(new EvasionSuiteTest.Base("unreadable", "user1", ""))) {
      for (String sql : unreadable()) {
        tried += EvasionSuiteTest.deniedAtEveryEntryPoint(connection, sql);
      }
    }
    assertThat(tried).isEqualTo(5 * unreadable().size());
  }

  @Test
  void noUnreadableShapePassesCheck(@TempDir Path dir) throws Exception {
    List<String> files = new ArrayList<>();
    for (String sql : unreadable()) {
      Path file = dir.resolve("u" + files.size() + ".sql");
      Files.writeString(file, sql + ";\n");
      files.add(file.toString());
    }
    java.io.StringWriter out = new java.io.StringWriter();
    int code = dev.iamguard.cli.Main.execute(new String[] {"check", "--registry", "samples/registry.yaml", "--user",
        "user1", dir.toString()}, new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()));
    assertThat(code).isEqualTo(1);
    List<String> report = out.toString().lines().toList();
    assertThat(files).as("files check let through")
        .allMatch(f -> report.stream().anyMatch(line -> line.startsWith(f + ":") && line.contains(": DENY ")));
  }
}
