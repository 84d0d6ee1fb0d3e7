package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Auth clauses the grammar did not read fail closed; names that only look like keywords do not. */
class ShapeScanTest {
  private static final String OUTSIDE = " clause where iamguard cannot read it (in a statement that is not an auth-carrying command)";

  static List<String> problems(String sql) {
    return one(sql).problems().stream().map(p -> p.kind() + "@" + p.offset() + " " + p.reason()).toList();
  }

  @Test
  void anAuthWordFollowedByWhatCanOnlyBeItsValueIsAProblem() {
    for (String value : List.of("'x'", "'x", "$$x$$", "$$x", "b'1'", "default")) {
      assertThat(problems("select 1 iam_role " + value)).as(value).containsExactly("UNPARSEABLE@9 IAM_ROLE" + OUTSIDE);
    }
    assertThat(problems("select 1 catalog_role default")).containsExactly("UNPARSEABLE@9 CATALOG_ROLE" + OUTSIDE);
    assertThat(problems("select 1 credentials as 'x'")).containsExactly("UNPARSEABLE@9 CREDENTIALS" + OUTSIDE);
    assertThat(problems("select 1 credentials as")).containsExactly("UNPARSEABLE@9 CREDENTIALS" + OUTSIDE);
    assertThat(problems("select 1 iam_role ?")).containsExactly(
        "PARAMETER@9 IAM_ROLE value is a bind parameter; its value cannot be checked before it is sent");
    assertThat(problems("select 1 access_key_id $1")).containsExactly(
        "PARAMETER@9 ACCESS_KEY_ID value is a bind parameter; its value cannot be checked before it is sent");
    // the unclosed group swallows the clauses: the model names no bucket, and its IAM_ROLE cannot be read
    assertThat(problems("create model m from (select 1 function f iam_role default")).containsExactly(
        "UNPARSEABLE@13 CREATE MODEL names no SETTINGS (S3_BUCKET 'bucket') nor SAGEMAKER 'endpoint', so what the "
            + "role writes or invokes cannot be found",
        "UNPARSEABLE@41 IAM_ROLE clause where iamguard cannot read it (not a clause of CREATE_MODEL)");
  }

  @Test
  void aNameThatLooksLikeAKeywordIsNotAClause() {
    for (String sql : List.of("select iam_role from t", "select 1 iam_role", "select 1 iam_role\n",
        "select iam_role, credentials from t where a = 1", "select 1 credentials default", "select 1 iam_role as 'x'",
        "select 1 access_key_id default", "select 1 secret_access_key as 'x'")) {
      assertThat(one(sql).problems()).as(sql).isEmpty();
    }
  }

  /** GRANT and REVOKE name an IAM role as a grantee; anywhere else in them the clause is unread. */
  @Test
  void theGranteeFormOfGrantAndRevokeIsNotAClause() {
    for (String sql : List.of("grant select on t to iam_role 'arn:aws:iam::123456789012:role/R'",
        "grant select on t to u, iam_role 'arn:aws:iam::123456789012:role/R'",
        "revoke select on t from iam_role 'arn:aws:iam::123456789012:role/R'")) {
      assertThat(one(sql).problems()).as(sql).isEmpty();
    }
    assertThat(problems("grant select on t to x iam_role 'arn:aws:iam::123456789012:role/R'"))
        .containsExactly("UNPARSEABLE@23 IAM_ROLE" + OUTSIDE);
    assertThat(problems("select 1 to iam_role 'x'")).as("only in GRANT and REVOKE")
        .containsExactly("UNPARSEABLE@12 IAM_ROLE" + OUTSIDE);
    assertThat(problems("grant select on t to u credentials 'x'")).containsExactly("UNPARSEABLE@23 CREDENTIALS" + OUTSIDE);
  }
}
