package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rewrite writes registry ARNs raw between single quotes. An IAM role path may hold any
 * printable ASCII (RoleArn: {@code /[\x21-\x7E]+/}), so a registry ARN can hold characters that
 * mean something in SQL text. Oracle: the rewritten text, inspected again, must be allowed with
 * no finding, act as the same roles, hold as many statements, and differ from the input only in
 * the clause's value; where that cannot hold (a quote ends the literal, a backslash is read as
 * an escape, a dollar sign can end a procedure body's dollar quote, a comma splits the chain where
 * Redshift reads it: {@code role/x,arn:...:role/Evil} is two roles) the statement is denied and
 * no rewritten text is offered. Without the fix, each unsafe case was a REWRITE whose text
 * either no longer parsed, named another role, or (path {@code /';select/**}{@code /1;--/}) sent a
 * second statement the guard never decided.
 */
class RewriteOddArnTest {
  static final String ACCOUNT = "111122223333";
  static final String SAFE = "arn:aws:iam::" + ACCOUNT + ":role/Safe";

  /** Paths holding a character that cannot be written raw into the rewritten literal. */
  static final List<String> UNSAFE_PATHS = List.of("/a'b/", "/'/", "/';select/**/1;--/", "/x''y/", "/a\\b/",
      "/\\'/", "/$$/", "/a$body$b/", "/$/", "/$1/", "/'$$/",
      // Redshift splits a chain at its commas: these would be sent as other chains than the one decided
      "/a,b/", "/x,arn:aws:iam::999999999999:role/", "/a,,b/", "/,/");

  /** Paths whose characters mean something in SQL outside a literal but nothing inside one. */
  static final List<String> SAFE_PATHS = List.of("/--/", "/*x*/", "/a/*/", "/;/", "/?/", "/{fn}/", "/\"q\"/",
      "/%25/", "/E/", "/U&/", "/#/");

  /** Role names holding a comma (IAM names take {@code [\w+=,.@-]}): as unsafe as a path holding one. */
  static final List<String> COMMA_NAMES = List.of("R,", ",R", "a,b", "a,,b", ",");

  static String yamlString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Odd (alias odd) attached and the cluster's default; Safe (alias safe) may assume it; chain oddchain = Safe,Odd. */
  static Registry registry(String odd) {
    String yaml = "version: 1\nclusters:\n  - id: west\n    account: \"" + ACCOUNT + "\"\n    region: us-west-2\n"
        + "    attached_roles: [" + yamlString(odd) + ", " + yamlString(SAFE) + "]\n"
        + "    default_role: " + yamlString(odd) + "\n"
        + "roles:\n"
        + "  - arn: " + yamlString(odd) + "\n    alias: odd\n    trust:\n      regions: [\"*\"]\n      principals: [" + yamlString(SAFE) + "]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n      s3_write: [\"s3://data/out/\"]\n"
        + "  - arn: " + yamlString(SAFE) + "\n    alias: safe\n    trust:\n      regions: [\"*\"]\n    allow:\n      assume: [" + yamlString(odd) + "]\n"
        + "chains:\n  oddchain: [" + yamlString(SAFE) + ", " + yamlString(odd) + "]\n"
        + "policy:\n  rewrite_aliases: true\n  rewrite_default_role: true\n";
    return Fixture.parse(yaml, null);
  }

  /** A clause value as written, the roles it names, in a statement, in a script; {@code at} marks the clause. */
  record Case(String path, String value, List<String> chain, String template) {
    String script() {
      return template.replace(MARK, value);
    }

    @Override
    public String toString() {
      return path + " " + value + " in " + template.replace("\n", "\\n").replace("\r", "\\r");
    }
  }

  static final String MARK = "@@";

  static List<Case> cases(List<String> paths) {
    List<Case> cases = new ArrayList<>();
    for (String path : paths) {
      String odd = "arn:aws:iam::" + ACCOUNT + ":role" + path + "Odd";
      List<Object[]> values = List.of(
          new Object[] {"'odd'", List.of(odd)},
          new Object[] {"'ODD'", List.of(odd)},
          new Object[] {"DEFAULT", List.of(odd)},
          new Object[] {"default", List.of(odd)},
          new Object[] {"'oddchain'", List.of(SAFE, odd)},
          new Object[] {"  'odd'", List.of(odd)},
          new Object[] {"'oddChain'", List.of(SAFE, odd)});
      List<String> statements = List.of(
          "copy t from 's3://data/in/x' iam_role " + MARK,
          "COPY t FROM 's3://data/in/x'\tIAM_ROLE/* c */" + MARK + " csv",
          "unload ('select ''odd'' as x') to 's3://data/out/x' iam_role\r\n" + MARK + " parallel off");
      List<String> scripts = List.of("%s", "select 'é☕𝄞';\n%s;\nselect 2", "\t%s ;; -- end\r",
          "create procedure p() as $$ begin %s; end $$ language plpgsql",
          "create procedure p() as $body$ begin select 'x $$'; %s; end $body$ language plpgsql");
      for (Object[] value : values) {
        for (String statement : statements) {
          for (String script : scripts) {
            @SuppressWarnings("unchecked")
            List<String> chain = (List<String>) value[1];
            cases.add(new Case(path, (String) value[0], chain,
                script.formatted(statement)));
          }
        }
      }
    }
    return cases;
  }

  static Stream<Arguments> unsafe() {
    return cases(UNSAFE_PATHS).stream().map(Arguments::of);
  }

  static Stream<Arguments> safe() {
    return cases(SAFE_PATHS).stream().map(Arguments::of);
  }

  static Decision inspect(Registry registry, String sql) {
    return new Guard(registry).inspect(sql, Session.of("user1", null));
  }

  static List<StatementDecision> flat(Decision decision) {
    List<StatementDecision> all = new ArrayList<>();
    for (StatementDecision statement : decision.statements()) {
      all.add(statement);
      all.addAll(statement.nested());
    }
    return all;
  }

  @ParameterizedTest
  @MethodSource("unsafe")
  void anArnThatCannotBeWrittenRawIsNotRewrittenButDenied(Case c) {
    String odd = c.chain().get(c.chain().size() - 1);
    assertThat(RoleArn.parse(odd).arn()).as("the registry ARN is a valid role ARN").isPresent();
    Decision decision = inspect(registry(odd), c.script());

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(Fixture.rules(decision)).contains(RuleId.ARN_MALFORMED);
    assertThat(decision.findings()).anySatisfy(f -> assertThat(f.message()).contains("cannot carry safely"));
    assertThat(decision.statements()).allSatisfy(s -> {
      if (s.sql() != null) {
        assertThat(s.sql()).doesNotContain(odd);
      }
    });
  }

  static Stream<Arguments> commaNames() {
    List<Arguments> cases = new ArrayList<>();
    for (String name : COMMA_NAMES) {
      for (String value : List.of("'odd'", "DEFAULT", "'oddchain'")) {
        for (String statement : List.of("copy t from 's3://data/in/x' iam_role %s", "create procedure p() as $$ begin"
            + " unload ('select 1') to 's3://data/out/x' iam_role %s; end $$ language plpgsql")) {
          cases.add(Arguments.of("arn:aws:iam::" + ACCOUNT + ":role/" + name, statement.formatted(value)));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("commaNames")
  void aRoleNameHoldingACommaIsNotRewrittenButDenied(String odd, String sql) {
    assertThat(RoleArn.parse(odd).arn()).as("the registry ARN is a valid role ARN").isPresent();
    Decision decision = inspect(registry(odd), sql);

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(Fixture.rules(decision)).contains(RuleId.ARN_MALFORMED);
    assertThat(decision.findings()).anySatisfy(f -> assertThat(f.message()).contains("a comma"));
    assertThat(flat(decision)).allSatisfy(s -> assertThat(s.sql()).doesNotContain(odd));
  }

  @ParameterizedTest
  @MethodSource("safe")
  void anArnWithOtherSqlCharactersIsRewrittenAndReadsBackAsTheSameStatement(Case c) {
    String odd = c.chain().get(c.chain().size() - 1);
    Registry registry = registry(odd);
    Decision decision = inspect(registry, c.script());
    assertThat(decision.verdict()).as(decision.findings().toString()).isEqualTo(Verdict.REWRITE);

    String expected = c.template().replace(MARK,
        c.value().replace(c.value().strip(), "'" + String.join(",", c.chain()) + "'"));
    assertThat(decision.sql()).isEqualTo(expected);
    Decision again = inspect(registry, decision.sql());
    assertThat(again.verdict()).as(again.findings().toString()).isEqualTo(Verdict.ALLOW);
    assertThat(again.findings()).isEmpty();
    List<StatementDecision> before = flat(decision);
    List<StatementDecision> after = flat(again);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).statement().command().kind()).isEqualTo(before.get(i).statement().command().kind());
      assertThat(after.get(i).chain()).isEqualTo(before.get(i).chain());
    }
    assertThat(after).anySatisfy(s -> assertThat(s.chain()).extracting(RoleArn::toString)
        .containsExactlyElementsOf(c.chain()));
  }
}
