package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated scripts (COPY, UNLOAD, manifests, external functions and schemas over chains of up to
 * three roles of two accounts, keys with date and run-id folders, a bucket name S3 refuses)
 * suggested from scratch: the registry always reads back, allows every statement it covers and
 * denies exactly those it lists as gaps, for every prefix depth; and its prefixes are merged.
 */
class SuggestProperties {
  private static final List<String> ROLES = List.of("arn:aws:iam::123456789012:role/Loader",
      "arn:aws:iam::123456789012:role/Hop", "arn:aws:iam::210987654321:role/Partner",
      "arn:aws:iam::210987654321:role/partner-2");

  /** The statements whose roles the session's user must be trusted by (external tables and grants are not). */
  private static final Set<CommandKind> ASSUMING = EnumSet.of(CommandKind.COPY, CommandKind.UNLOAD,
      CommandKind.CREATE_EXTERNAL_FUNCTION, CommandKind.CREATE_EXTERNAL_SCHEMA);

  @Property(tries = 150)
  void theSuggestedRegistryAllowsEveryStatement(@ForAll("scripts") List<String> statements,
      @ForAll @IntRange(min = 0, max = 3) int depth) throws RegistryException {
    String script = String.join(";\n", statements) + ";\n";
    Suggestion documents = suggest(script, depth);
    Set<Integer> documentGaps = documents.gaps().stream().map(Gap::line).collect(Collectors.toSet());
    // the short form's gaps: also the key prefixes in a bucket's top level it cannot hold without widening
    Suggestion suggestion = documents.asShortForm();
    Set<Integer> gaps = suggestion.gaps().stream().map(Gap::line).collect(Collectors.toSet());
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "suggested.yaml", Path.of("."));
    Decision decision = new Guard(registry).inspect(script, Session.of("etl", "c1"));
    for (StatementDecision each : decision.statements()) {
      boolean denied = each.verdict() == Verdict.DENY;
      int line = each.statement().line();
      // exactly the gaps are denied; a short-form gap only may be allowed: an INSERT into an external
      // table whose CREATE check denied (a top-level location), which check then does not know
      assertThat(denied).as(each.statement().text() + " " + each.findings())
          .isEqualTo(gaps.contains(line) && (documentGaps.contains(line) || denied));
    }
    // another user is not trusted and holds no grant
    // (without the switches to loader, which the suggestion trusts as it should)
    String asIntruder = script.replace("set session authorization 'loader';", "select 1;")
        .replace("reset session authorization", "select 2");
    Decision other = new Guard(registry).inspect(asIntruder, Session.of("intruder", "c1"));
    assertThat(other.statements()).filteredOn(d -> ASSUMING.contains(d.statement().command().kind()))
        .allMatch(d -> d.verdict() == Verdict.DENY);
    for (SuggestedRole role : suggestion.roles()) {
      assertThat(KeySpaces.merge(role.s3Read())).isEqualTo(role.s3Read());
      assertThat(KeySpaces.merge(role.s3Write())).isEqualTo(role.s3Write());
    }
  }

  static Suggestion suggest(String script, int depth) {
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-west-2", null,
        List.of("etl"), depth));
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      needs.add("generated.sql", statement);
    }
    return needs.suggestion();
  }

  @Provide
  Arbitrary<List<String>> scripts() {
    return statement().list().ofMinSize(1).ofMaxSize(8).map(SuggestProperties::distinctSchemas);
  }

  /**
   * Each statement creates its own external schema (ext1, s2, ...): a schema created twice with
   * different chains keeps the first (Redshift's second CREATE fails), so check and suggest both
   * leave its role unknown (ExternalSchemaRecreatedTest), which is no registry's to allow.
   */
  private static List<String> distinctSchemas(List<String> statements) {
    List<String> numbered = new ArrayList<>(statements.size());
    for (int i = 0; i < statements.size(); i++) {
      numbered.add(statements.get(i).replace("external schema s ", "external schema s" + i + " ")
          .replace("external schema ext ", "external schema ext" + i + " ").replace(" ext.t ", " ext" + i + ".t ")
          .replace("into ext.t ", "into ext" + i + ".t "));
    }
    return numbered;
  }

  private Arbitrary<String> statement() {
    Arbitrary<String> chain = Arbitraries.of(ROLES).list().uniqueElements().ofMinSize(1).ofMaxSize(3)
        .map(roles -> String.join(",", roles));
    Arbitrary<String> location = Combinators.combine(Arbitraries.of("acme-data", "partner.bucket", "b1"),
        Arbitraries.of("in", "out", "sales", "2024-01-01", "run-17", "a b").list().ofMinSize(0).ofMaxSize(3),
        Arbitraries.of("", "/", "/part_", "/manifest.json"))
        .as((bucket, segments, end) -> "s3://" + bucket + (segments.isEmpty() ? "" : "/" + String.join("/", segments))
            + (segments.isEmpty() && !end.isEmpty() ? "/x" + end : end));
    Arbitrary<String> function = Arbitraries.of("f1", "fn-two", "arn:aws:lambda:us-east-1:210987654321:function:remote");
    Arbitrary<String> database = Arbitraries.of("db1", "sales_db");
    return Combinators.combine(Arbitraries.integers().between(0, 7), chain, location, function, database)
        .as((kind, roles, where, lambda, db) -> switch (kind) {
          case 0 -> "copy t from '" + where + "' iam_role '" + roles + "'";
          case 1 -> "unload ('select 1') to '" + where + "' iam_role '" + roles + "'";
          case 2 -> "copy t from '" + where + "' iam_role '" + roles + "' manifest";
          case 3 -> "create external function f(int) returns int stable lambda '" + lambda + "' iam_role '" + roles + "'";
          case 4 -> "create external schema s from data catalog database '" + db + "' iam_role '" + roles + "'";
          case 5 -> "create external schema ext from data catalog database '" + db + "' iam_role '" + roles + "';\n"
              + "create external table ext.t (a int) location '" + where + "';\ninsert into ext.t select 1";
          case 6 -> "grant assumerole on '" + roles + "' to etl for copy";
          default -> "set session authorization 'loader';\ncopy t from '" + where + "' iam_role '" + roles
              + "';\nreset session authorization";
        });
  }

  /**
   * Not a property: suggest judges a schema created again with another chain as check does
   * (ExternalSchemaRecreatedTest): its chain is not known, so its table is a gap, not a read of
   * the chain written last. Generated over the second CREATE's spelling; the control, the same chain
   * again, leaves no gap.
   */
  @net.jqwik.api.Example
  void aSchemaCreatedAgainWithAnotherChainLeavesItsTablesAGap() {
    String first = "create external schema ext from data catalog database 'db1' iam_role '" + ROLES.get(0) + "';\n";
    String table = "create external table ext.t (a int) location 's3://acme-data/in/';\n";
    int cases = 0;
    for (String create : List.of("create external schema ext", "CREATE EXTERNAL SCHEMA IF NOT EXISTS \"ext\"",
        "create /* c */ external schema EXT")) {
      for (String chain : List.of(ROLES.get(2), ROLES.get(0) + "," + ROLES.get(1))) {
        String again = create + " from data catalog database 'db1' iam_role '" + chain + "';\n";
        assertThat(suggest(first + again + table, 1).gaps()).as(again).extracting(Gap::line).containsExactly(3);
        String same = create + " from data catalog database 'db1' iam_role '" + ROLES.get(0) + "';\n";
        assertThat(suggest(first + same + table, 1).gaps()).as(same).isEmpty();
        cases++;
      }
    }
    assertThat(cases).isEqualTo(6);
  }

  /** Not a property: the generator's own sanity, that it writes what the grammar reads. */
  @net.jqwik.api.Example
  void generatedStatementsAreRead() {
    List<String> kinds = new ArrayList<>();
    for (SqlStatement statement : SqlScript.parse("copy t from 's3://acme-data/in/' iam_role '" + ROLES.get(0)
        + "' manifest;").statements()) {
      kinds.add(statement.command().kind().toString());
    }
    assertThat(kinds).containsExactly("COPY");
  }

  /**
   * Who runs each statement, generated: identity statements in every form the guard knows (SET and
   * RESET SESSION AUTHORIZATION, SET LOCAL, SET ROLE, set_config, DISCARD ALL, RESET ALL, BEGIN,
   * START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, savepoints, CALL, a CREATE PROCEDURE switching
   * in its body) in lower or upper case, with comments or line breaks between their words, mixed
   * with COPY, UNLOAD and CREATE EXTERNAL FUNCTION, in one text or split into two files at any
   * statement (one connection: check carries the session from the first to the second). Oracle: the
   * suggested registry, loaded back, run by {@code check} as {@code etl}: a statement is denied
   * exactly when suggest lists it as a gap. Failed before suggest asked the guard who runs each
   * statement: after {@code begin; set session authorization 'admin'; rollback}, {@code reset all},
   * {@code discard all}, {@code set role}, {@code set local ...} suggest granted {@code admin} (or
   * etl) a COPY the guard denies as IDENTITY_CHANGED_IN_TEXT, listing no gap.
   */
  @Property(tries = 400)
  void suggestFollowsWhoRunsEachStatementAsTheGuardDoes(@ForAll("identityScripts") List<String> statements,
      @ForAll @IntRange(min = 0, max = 12) int split, @ForAll boolean pieces,
      @ForAll @IntRange(min = 0, max = 2) int userCount) throws RegistryException {
    List<String> users = List.of("etl", "Ops").subList(0, userCount); // none: the roles are for every user
    int at = Math.min(split, statements.size());
    String first = String.join(";\n", statements.subList(0, at)) + (at == 0 ? "" : ";\n");
    String second = String.join(";\n", statements.subList(at, statements.size())) + ";\n";
    ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", "123456789012", "us-west-2", null,
        users, 0));
    for (String[] file : List.of(new String[] {"a.sql", first}, new String[] {"b.sql", second})) {
      if (pieces) { // as the CLI feeds it
        needs.add(file[0], SqlScript.parse(file[1]));
      } else {
        for (SqlStatement statement : SqlScript.parse(file[1]).statements()) {
          needs.add(file[0], statement);
        }
      }
    }
    Suggestion suggestion = needs.suggestion().asShortForm(); // the gaps of the short form checked here
    Set<String> gaps = suggestion.gaps().stream().map(g -> g.file() + ":" + g.line()).collect(Collectors.toSet());
    Registry registry = RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "suggested.yaml", Path.of("."));
    Guard guard = new Guard(registry);
    for (String user : users.isEmpty() ? List.of("etl") : users) { // check runs as one user: each must agree
      Decision one = guard.inspect(first, Session.of(user, "c1"));
      Decision two = guard.inspect(second, one.sessionAfter());
      // the observer suggest uses changes no decision and no session the guard leaves
      List<Integer> told = new ArrayList<>();
      Decision observed = guard.inspect(SqlScript.parse(first), Session.of(user, "c1"), (st, in) -> told.add(st.index()));
      assertThat(observed.sessionAfter()).isEqualTo(one.sessionAfter());
      assertThat(observed.statements().stream().map(d -> d.verdict() + " " + d.findings()).toList())
          .isEqualTo(one.statements().stream().map(d -> d.verdict() + " " + d.findings()).toList());
      assertThat(told).isEqualTo(SqlScript.parse(first).statements().stream().map(SqlStatement::index).toList());
      assertThat(one.statements().size() + two.statements().size()).isPositive();
      agree("a.sql", one, gaps, suggestion);
      agree("b.sql", two, gaps, suggestion);
    }
    assertThat(suggestion.gaps()).allSatisfy(g -> assertThat(g.reason()).doesNotContain("did not decide"));
  }

  /** Check denies a statement of {@code file} exactly when the suggestion lists it as a gap. */
  private static void agree(String file, Decision decision, Set<String> gaps, Suggestion suggestion) {
    for (StatementDecision each : decision.statements()) {
      boolean denied = each.verdict() == Verdict.DENY;
      assertThat(denied).as(file + ":" + each.statement().line() + " " + each.statement().text() + " "
          + each.findings() + " gaps " + suggestion.gaps()).isEqualTo(gaps.contains(file + ":"
          + each.statement().line()));
    }
  }

  @Provide
  Arbitrary<List<String>> identityScripts() {
    Arbitrary<String> identity = Arbitraries.of("set session authorization 'admin'", "set session authorization admin",
        "set session authorization default", "reset session authorization", "set session authorization 'etl'",
        "set local session authorization 'admin'", "set local session authorization default", "set role 'admin'",
        "reset role", "select set_config('session_authorization', 'admin', false)", "discard all", "reset all",
        "begin", "start transaction", "commit", "end", "rollback", "abort", "savepoint s1",
        "rollback to savepoint s1", "release savepoint s1", "call p()", "select 1", "commit work", "rollback work",
        "end transaction", "begin transaction", "set session_authorization to 'admin'", "set session_authorization = default",
        "reset session_authorization", "set session characteristics as transaction read only",
        "select set_config('role', 'admin', true)", "execute q", "reset role all",
        "create procedure p() as $$ begin set session authorization 'admin'; end; $$ language plpgsql");
    Arbitrary<String> auth = Arbitraries.of(
        "copy t from 's3://acme-data/in/' iam_role '" + ROLES.get(0) + "'",
        "unload ('select 1') to 's3://acme-data/out/' iam_role '" + ROLES.get(0) + "'",
        "create external function f(int) returns int stable lambda 'f1' iam_role '" + ROLES.get(0) + "'");
    Arbitrary<String> written = Combinators.combine(Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, identity), net.jqwik.api.Tuple.of(2, auth)), Arbitraries.of("as is", "upper",
            "comments", "lines"))
        .as((text, how) -> switch (how) {
          case "upper" -> upperOutsideQuotes(text);
          case "comments" -> text.contains("$$") ? text : text.replace(" ", " /* c */ ");
          case "lines" -> text.contains("$$") ? text : text.replace(" ", "\n  ");
          default -> text;
        });
    return written.list().ofMinSize(1).ofMaxSize(8);
  }

  /** {@code text} in upper case but for its single-quoted literals (names, ARNs, locations keep their case). */
  private static String upperOutsideQuotes(String text) {
    String[] parts = text.split("'", -1);
    for (int i = 0; i < parts.length; i += 2) {
      parts[i] = parts[i].toUpperCase(java.util.Locale.ROOT);
    }
    return String.join("'", parts);
  }
}
