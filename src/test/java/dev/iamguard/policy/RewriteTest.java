package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.LOADER_PARTNER;
import static dev.iamguard.policy.Fixture.PARTNER;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rewrites replace only the auth clause's value; every other byte of the script stays as written
 * (DESIGN: "a rewrite replaces only the clause and leaves every other byte as written").
 */
class RewriteTest {
  final Registry registry = Fixture.registry();

  /** {@code text} with its one occurrence of {@code from} replaced by {@code to}. */
  static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    assertThat(at).as("'" + from + "' occurs in the script").isNotNegative();
    assertThat(text.indexOf(from, at + 1)).as("'" + from + "' occurs once").isNegative();
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  /**
   * The server reads 'load' + 'er' across the newline as 'loader', but a rewrite of the whole token would
   * delete the comment between the parts: the alias is denied, not rewritten (RewriteOwnBytesTest).
   */
  @Test
  void anAliasInAContinuedLiteralIsDeniedNotRewritten() {
    String sql = "copy sales from 's3://data/in/sales/' iam_role 'load'\n  -- the alias, continued\n  'er' csv";
    Decision decision = inspect(registry, sql);
    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(Fixture.rules(decision)).contains(RuleId.ARN_MALFORMED);
    assertThat(decision.sql()).doesNotContain(LOADER);
  }

  @Nested
  class Aliases {
    static final String SCRIPT = "-- nightly load, café ☕\r\n"
        + "select 'iam_role ''loader''' as decoy;\r\n"
        + "COPY  sales\r\n"
        + "  FROM 's3://data/in/sales/'   /* source: /* nested */ still comment */\r\n"
        + "  IAM_ROLE\t 'loader'   -- the alias\r\n"
        + "  DELIMITER '|' ;   \r\n"
        + "\r\n"
        + "unload ($$select 'loader'$$) to 's3://partner/out/x' iam_role 'partnerchain' parallel off;\n"
        + "copy t from 's3://data/in/x' iam_role default ;; -- trailing\n";

    @Test
    void anAliasAndAChainNameAreReplacedAndNothingElse() {
      Decision decision = inspect(registry, SCRIPT);

      String expected = replaceOnce(replaceOnce(SCRIPT, "IAM_ROLE\t 'loader'", "IAM_ROLE\t '" + LOADER + "'"),
          "iam_role 'partnerchain'", "iam_role '" + LOADER_PARTNER + "'");
      assertThat(decision.sql()).isEqualTo(expected);
      assertThat(decision.verdict()).isEqualTo(Verdict.REWRITE);
      assertThat(decision.findings()).isEmpty();
      assertThat(decision.statements()).extracting(StatementDecision::verdict)
          .containsExactly(Verdict.ALLOW, Verdict.REWRITE, Verdict.REWRITE, Verdict.ALLOW);
    }

    @Test
    void eachStatementCarriesItsOwnRewrittenText() {
      Decision decision = inspect(registry, SCRIPT);

      assertThat(decision.statements().get(1).sql()).isEqualTo("COPY  sales\r\n"
          + "  FROM 's3://data/in/sales/'   /* source: /* nested */ still comment */\r\n"
          + "  IAM_ROLE\t '" + LOADER + "'   -- the alias\r\n"
          + "  DELIMITER '|'");
      assertThat(decision.statements().get(2).sql()).isEqualTo(
          "unload ($$select 'loader'$$) to 's3://partner/out/x' iam_role '" + LOADER_PARTNER + "' parallel off");
      assertThat(decision.statements().get(3).sql()).isEqualTo("copy t from 's3://data/in/x' iam_role default");
    }

    @Test
    void aliasesCompareIgnoringCase() {
      String sql = "copy t from 's3://data/in/x' iam_role 'Loader'";

      assertThat(inspect(registry, sql).sql()).isEqualTo("copy t from 's3://data/in/x' iam_role '" + LOADER + "'");
    }

    @Test
    void anAliasInsideAChainIsExpandedInPlace() {
      String sql = "copy t from 's3://partner/in/x' iam_role 'loader," + PARTNER + "'";

      Decision decision = inspect(registry, sql);
      assertThat(decision.sql()).isEqualTo("copy t from 's3://partner/in/x' iam_role '" + LOADER_PARTNER + "'");
      assertThat(decision.findings()).isEmpty();
    }

    @Test
    void aRewrittenRoleIsCheckedLikeAWrittenOne() {
      Decision decision = inspect(registry, "user3", "copy t from 's3://data/other/x' iam_role 'loader'");

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).containsExactly(RuleId.DB_USER_NOT_TRUSTED, RuleId.S3_NOT_PERMITTED);
      assertThat(decision.sql()).isEqualTo("copy t from 's3://data/other/x' iam_role 'loader'");
    }

    @Test
    void withRewriteAliasesOffAnAliasIsAMalformedArn() {
      Registry strict = Fixture.registry("policy:\n  rewrite_aliases: false\n");

      Decision alias = inspect(strict, "copy t from 's3://data/in/x' iam_role 'loader'");
      assertThat(rules(alias)).containsExactly(RuleId.ARN_MALFORMED);
      assertThat(alias.findings().get(0).message()).contains("'loader'", "rewrite_aliases");
      assertThat(rules(inspect(strict, "copy t from 's3://partner/in/x' iam_role 'partnerchain'")))
          .containsExactly(RuleId.ARN_MALFORMED);
      assertThat(inspect(strict, "copy t from 's3://data/in/x' iam_role '" + LOADER + "'").verdict())
          .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anAliasInCredentialsIsDenied() {
      Decision decision = inspect(registry, "copy t from 's3://data/in/x' credentials 'aws_iam_role=loader'");

      assertThat(rules(decision)).containsExactly(RuleId.ARN_MALFORMED);
      assertThat(decision.findings().get(0).message()).contains("CREDENTIALS");
      assertThat(inspect(registry, "copy t from 's3://data/in/x' credentials 'aws_iam_role=" + LOADER + "'").verdict())
          .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anAliasInCatalogRoleIsDenied() {
      Decision decision = inspect(registry, "create external schema s from data catalog database 'salesdb' "
          + "iam_role '" + LOADER + "' catalog_role 'loader'");

      assertThat(rules(decision)).containsExactly(RuleId.ARN_MALFORMED);
      assertThat(decision.findings().get(0).message()).contains("CATALOG_ROLE");
    }

    @Test
    void anUnknownNameIsAMalformedArn() {
      Decision decision = inspect(registry, "copy t from 's3://data/in/x' iam_role 'lodaer'");

      assertThat(rules(decision)).containsExactly(RuleId.ARN_MALFORMED);
      assertThat(decision.findings().get(0).message()).contains("'lodaer'", "test.yaml");
    }
  }

  @Nested
  class DefaultRole {
    static final String SQL = "copy t from 's3://data/in/x'\n  iam_role DEFAULT -- the cluster's\n  csv";

    @Test
    void isSentAsWrittenByDefault() {
      Decision decision = inspect(registry, SQL);

      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(decision.sql()).isEqualTo(SQL);
    }

    @Test
    void isRewrittenToTheClustersDefaultRoleWhenAsked() {
      Decision decision = inspect(Fixture.registry("policy:\n  rewrite_default_role: true\n"), SQL);

      assertThat(decision.verdict()).isEqualTo(Verdict.REWRITE);
      assertThat(decision.sql()).isEqualTo(replaceOnce(SQL, "DEFAULT", "'" + LOADER + "'"));
    }

    @Test
    void theDefaultRoleIsCheckedLikeAWrittenOne() {
      Decision decision = inspect(registry, "user3", SQL);

      assertThat(rules(decision)).containsExactly(RuleId.DB_USER_NOT_TRUSTED);
      assertThat(decision.findings().get(0).subject()).isEqualTo(LOADER);
    }
  }

  @Nested
  class ProcedureBodies {
    static final String DOLLAR = "create or replace procedure load_sales()\nas $body$\nbegin\n"
        + "  -- copy with an alias\n"
        + "  copy sales from 's3://data/in/sales/' iam_role 'loader' csv;\n"
        + "  raise info 'loaded';\nend;\n$body$ language plpgsql;\ncall load_sales();\n";

    @Test
    void anAliasInADollarQuotedBodyIsRewrittenInPlace() {
      Decision decision = inspect(registry, DOLLAR);

      assertThat(decision.verdict()).isEqualTo(Verdict.REWRITE);
      assertThat(decision.sql()).isEqualTo(replaceOnce(DOLLAR, "iam_role 'loader'", "iam_role '" + LOADER + "'"));
      StatementDecision procedure = decision.statements().get(0);
      assertThat(procedure.verdict()).isEqualTo(Verdict.REWRITE);
      assertThat(procedure.nested()).singleElement().satisfies(inner -> {
        assertThat(inner.verdict()).isEqualTo(Verdict.REWRITE);
        assertThat(inner.statement().line()).isEqualTo(5);
      });
    }

    @Test
    void anAliasInASingleQuotedBodyIsDenied() {
      String sql = "select 1;\ncreate procedure p() as '\nbegin\n  copy t from ''s3://data/in/x'' iam_role ''loader'';\n"
          + "end;\n' language plpgsql";

      Decision decision = inspect(registry, sql);

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).containsExactly(RuleId.ARN_MALFORMED);
      assertThat(decision.findings().get(0).message()).contains("single-quoted procedure body",
          "statement 1 (line 4, COPY) of the body of statement 2 (line 2, CREATE_PROCEDURE)");
      assertThat(decision.sql()).isEqualTo(sql);
    }

    @Test
    void anArnInASingleQuotedBodyIsCheckedAndAllowed() {
      String sql = "create procedure p() as 'begin copy t from ''s3://data/in/x'' iam_role ''" + LOADER
          + "''; end;' language plpgsql";

      assertThat(inspect(registry, sql).verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(rules(inspect(registry, sql.replace("data/in", "data/secret"))))
          .containsExactly(RuleId.S3_NOT_PERMITTED);
    }

    @Test
    void aDeniedInnerCopyDeniesTheProcedureAndNamesItsPlace() {
      String sql = "select 1;\ncreate procedure p() as $$\nbegin\n"
          + "  unload ('select 1') to 's3://data/out/ok' iam_role 'loader';\n"
          + "  copy t from 's3://data/secret/x' iam_role '" + LOADER + "';\nend;\n$$ language plpgsql";

      Decision decision = inspect(registry, sql);

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      StatementDecision procedure = decision.statements().get(1);
      assertThat(procedure.verdict()).isEqualTo(Verdict.DENY);
      assertThat(procedure.nested()).extracting(StatementDecision::verdict).containsExactly(Verdict.REWRITE, Verdict.DENY);
      assertThat(procedure.allFindings()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo(RuleId.S3_NOT_PERMITTED);
        assertThat(f.message()).contains("statement 2 (line 5, COPY) of the body of statement 2 (line 2, CREATE_PROCEDURE)",
            "s3://data/secret/x");
      });
      assertThat(decision.sql()).as("a denied procedure is not rewritten").isEqualTo(sql);
      assertThat(procedure.sql()).isEqualTo(sql.substring("select 1;\n".length()));
    }

    @Test
    void dynamicSqlWhoseTextIsNotConstantIsDeniedByDefault() {
      String sql = "create procedure p(path varchar) as $$\nbegin\n"
          + "  execute 'copy t from ''' || path || ''' iam_role ''" + LOADER + "''';\nend;\n$$ language plpgsql";

      Decision decision = inspect(registry, sql);

      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(decision.findings()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo(RuleId.AUTH_DYNAMIC);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).startsWith("iamguard: AUTH_DYNAMIC in statement 1 (line 1, CREATE_PROCEDURE)")
            .contains("policy.dynamic_sql: warn");
      });
    }

    @Test
    void dynamicSqlWhoseTextIsNotConstantIsAWarningUnderDynamicSqlWarn() {
      String sql = "create procedure p(path varchar) as $$\nbegin\n"
          + "  execute 'copy t from ''' || path || ''' iam_role ''" + LOADER + "''';\nend;\n$$ language plpgsql";

      Decision decision = inspect(Fixture.registry("policy:\n  dynamic_sql: warn\n"), sql);

      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.findings()).singleElement().satisfies(f -> {
        assertThat(f.rule()).isEqualTo(RuleId.AUTH_DYNAMIC);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message()).startsWith("iamguard: AUTH_DYNAMIC in statement 1 (line 1, CREATE_PROCEDURE)");
      });
      assertThat(decision.errors()).isEmpty();
      assertThat(decision.sql()).isEqualTo(sql);
    }

    /** A constant EXECUTE text is decided like a top-level statement: split keywords included. */
    @Test
    void aConstantExecuteTextIsDecidedLikeAStatement() {
      String denied = "create procedure p() as $$ begin execute 'copy t from ''s3://elsewhere/x'' i' || 'am_role ''"
          + LOADER + "'''; end; $$ language plpgsql";
      Decision decision = inspect(registry, denied);
      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(rules(decision)).containsExactly(RuleId.S3_NOT_PERMITTED);
      StatementDecision inner = decision.statements().get(0).nested().get(0);
      assertThat(inner.statement().rewritable()).isFalse();
      assertThat(inner.statement().text()).isEqualTo("copy t from 's3://elsewhere/x' iam_role '" + LOADER + "'");

      String allowed = "create procedure p() as $$ begin execute ('copy t from ''s3://data/in/x'' ' || $q$iam_role '"
          + LOADER + "'$q$) ; end; $$ language plpgsql";
      assertThat(inspect(registry, allowed).verdict()).isEqualTo(Verdict.ALLOW);

      String alias = "create procedure p() as $$ begin execute 'copy t from ''s3://data/in/x'' iam_role ''loader'''; end; $$"
          + " language plpgsql";
      Decision aliased = inspect(registry, alias);
      assertThat(aliased.verdict()).as("the text of EXECUTE cannot be rewritten in place").isEqualTo(Verdict.DENY);
      assertThat(aliased.findings().get(0).message()).contains("the text of EXECUTE");
    }

    @Test
    void dynamicSqlWithoutAnAuthClauseIsNoFinding() {
      String sql = "create procedure p() as $$ begin execute 'truncate ' || 't'; end; $$ language plpgsql";

      assertThat(inspect(registry, sql).findings()).isEmpty();
    }
  }

  @Test
  void aDeniedStatementKeepsTheOtherRewritesOutOfItsOwnText() {
    String sql = "copy a from 's3://data/in/x' iam_role 'loader';\ncopy b from 's3://data/secret/x' iam_role 'loader'";

    Decision decision = inspect(registry, sql);

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.statements()).extracting(StatementDecision::verdict).containsExactly(Verdict.REWRITE, Verdict.DENY);
    assertThat(decision.statements().get(1).sql()).isEqualTo("copy b from 's3://data/secret/x' iam_role 'loader'");
    assertThat(decision.sql()).isEqualTo(replaceOnce(sql, "a from 's3://data/in/x' iam_role 'loader'",
        "a from 's3://data/in/x' iam_role '" + LOADER + "'"));
  }

  @Test
  void withoutAnyAuthStatementTheTextIsReturnedUnchanged() {
    String sql = "select 1; -- iam_role 'loader'\n/* copy t from 's3://x' iam_role 'loader' */ select 'iam_role'";

    Decision decision = inspect(registry, sql);

    assertThat(decision.sql()).isSameAs(sql);
    assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decision.statements()).hasSize(2);
  }
}
