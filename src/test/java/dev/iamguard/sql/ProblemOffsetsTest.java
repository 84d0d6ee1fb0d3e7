package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A value missing at the end of a statement or of a parenthesised list is reported just after the
 * last token read, whatever follows it (a semicolon, a comment, a closing parenthesis).
 */
class ProblemOffsetsTest {
  static List<String> problems(String sql) {
    return one(sql).problems().stream().map(p -> p.offset() + " " + p.reason()).toList();
  }

  @Test
  void aValueMissingAtTheStatementsEndIsReportedAfterItsLastToken() {
    int end = "copy t from 's3://b/k' iam_role".length();
    for (String tail : List.of("", " ;", "  /* c */ ;", ";", "\n-- c\n;")) {
      assertThat(problems("copy t from 's3://b/k' iam_role" + tail)).as(tail).containsExactly(end + " IAM_ROLE has no value");
    }
    String catalog = "create external schema s from data catalog database 'db' catalog_id";
    assertThat(problems(catalog + " ;")).containsExactly(catalog.length()
        + " CATALOG_ID is missing; write it as a single-quoted literal");
  }

  @Test
  void aValueMissingInsideSettingsIsReportedBeforeTheClosingParenthesis() {
    String head = "create model m from t function f iam_role default settings (";
    assertThat(problems(head + "s3_bucket )")).containsExactly((head.length() + 9)
        + " S3_BUCKET is missing; write it as a single-quoted literal");
    assertThat(problems(head + "s3_bucket 'b', s3_bucket  )")).containsExactly((head.length() + 24)
        + " S3_BUCKET is missing; write it as a single-quoted literal");
    assertThat(problems(head + "iam_role )")).containsExactly((head.length() + 8) + " IAM_ROLE has no value");
    assertThat(problems(head + "s3_bucket x)")).containsExactly((head.length() + 10)
        + " S3_BUCKET is not a quoted literal but a word; write it as a single-quoted literal");
    // a setting without its value is no problem; a model without S3_BUCKET is (at its name, offset 13)
    assertThat(problems(head + "max_runtime )")).containsExactly("13 CREATE MODEL names no SETTINGS (S3_BUCKET "
        + "'bucket') nor SAGEMAKER 'endpoint', so what the role writes or invokes cannot be found");
    assertThat(problems(head + "s3_bucket 'b', max_runtime )")).isEmpty();
  }

  @Test
  void qualifiedNamesAreReadWhole() {
    assertThat(one("copy s.t from 's3://b/k' iam_role default").targetTable()).isEqualTo("s.t");
    assertThat(one("copy db.s.\"T\" from 's3://b/k' iam_role default").targetTable()).isEqualTo("db.s.\"T\"");
    assertThat(one("copy t. ;").targetTable()).isEqualTo("t");
    assertThat(one("copy s.t").targetTable()).isEqualTo("s.t");
    assertThat(one("copy #temp (a) from 's3://b/k' iam_role default").targetTable()).isEqualTo("#temp");
  }
}
