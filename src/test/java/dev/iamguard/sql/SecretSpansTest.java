package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact spans of secret values: what is masked, to the character, for every literal form. */
class SecretSpansTest {
  /** The masked texts of {@code sql}, in order. */
  static List<String> masked(String sql) {
    return SecretSpans.find(sql).stream().map(span -> sql.substring(span.start(), span.end())).toList();
  }

  @Test
  void spansCoverTheValueInsideItsQuotes() {
    String sql = "copy t from 's3://b' access_key_id 'AKIA' secret_access_key 'SK' session_token 'TOK'";
    List<Span> spans = SecretSpans.find(sql);
    assertThat(spans).containsExactly(new Span(sql.indexOf("AKIA"), sql.indexOf("AKIA") + 4),
        new Span(sql.indexOf("SK'"), sql.indexOf("SK'") + 2), new Span(sql.indexOf("TOK"), sql.indexOf("TOK") + 3));
  }

  @Test
  void prefixedAndContinuedLiteralsAreCoveredFromTheFirstPartToTheLast() {
    assertThat(masked("x secret_access_key E'a\\'b' y")).containsExactly("a\\'b");
    assertThat(masked("x secret_access_key N'ab' y")).containsExactly("ab");
    assertThat(masked("x secret_access_key B'01' y")).containsExactly("01");
    assertThat(masked("x secret_access_key 'ab'\n-- c\n'cd' y")).containsExactly("ab'\n-- c\n'cd");
    assertThat(masked("x secret_access_key E'ab'\n'cd' y")).containsExactly("ab'\n'cd");
    assertThat(masked("x secret_access_key U&'ab' y")).containsExactly("ab");
    assertThat(masked("x secret_access_key u&'ab")).containsExactly("ab");
    assertThat(masked("x secret_access_key $\u00e9$ab$\u00e9$ y")).containsExactly("ab");
    assertThat(masked("x secret_access_key $\ud83d\ude00$ab$\ud83d\ude00$ y")).containsExactly("ab");
    assertThat(masked("x secret_access_key 'ab")).containsExactly("ab");
    assertThat(masked("x secret_access_key 'ab'\n'cd")).containsExactly("ab'\n'cd");
  }

  @Test
  void credentialsAreMaskedValueByValueOnlyInAPlainOnePartLiteral() {
    assertThat(masked("x credentials 'aws_access_key_id=AK;aws_secret_access_key=SK'")).containsExactly("AK", "SK");
    assertThat(masked("x credentials 'aws_iam_role=arn:aws:iam::1:role/R;token=T'")).containsExactly("T");
    assertThat(masked("x credentials E'aws_access_key_id=AK'")).containsExactly("aws_access_key_id=AK");
    assertThat(masked("x credentials 'aws_access_key_id=AK;'\n'aws_secret_access_key=SK'"))
        .containsExactly("aws_access_key_id=AK;'\n'aws_secret_access_key=SK");
    assertThat(masked("x credentials 'aws_access_key_id=A\\'K'")).containsExactly("aws_access_key_id=A\\'K");
  }

  @Test
  void keywordsJoinedByASpaceLikeCharacterStillCount() {
    assertThat(masked("x secret_access_key\u00a0'SK' y")).containsExactly("SK");
    assertThat(masked("x \u200bpassword 'PW' y")).containsExactly("PW");
    assertThat(masked("x secret_access_keys 'SK'")).isEmpty();
  }

  @Test
  void concatenatedDynamicSqlIsMaskedPartByPart() {
    String sql = "execute 'copy t from ''s3://b'' secret_access' || '_key ''SK'''";
    assertThat(masked(sql)).containsExactly("copy t from ''s3://b'' secret_access", "_key ''SK''");
    assertThat(masked("execute 'a' | | 'secret_access_key x'")).as("| | is not ||: each literal on its own")
        .containsExactly("secret_access_key x");
    assertThat(masked("execute 'secret_access' || '_key x' || v || 'y'")).containsExactly("secret_access", "_key x");
    assertThat(masked("select 'a' || 'b'")).isEmpty();
  }

  @Test
  void dollarQuotedBodiesAreSearchedAsSqlAndTooDeepOnesMaskedWhole() {
    assertThat(masked("create procedure p() as $b$ begin copy t from 's3://b' secret_access_key 'SK'; end; $b$"))
        .containsExactly("SK");
    String deep = nested(ProcedureParser.MAX_DEPTH + 1);
    assertThat(SecretSpans.find(deep)).isNotEmpty();
  }

  private static String nested(int depth) {
    String text = "password 'PW'";
    for (int i = 0; i < depth; i++) {
      text = "$t" + i + "$ " + text + " $t" + i + "$";
    }
    return "select " + text;
  }

  @Test
  void textWithoutSecretWordsIsNotLexedAndYieldsNothing() {
    assertThat(SecretSpans.find("select 1 from t where a = 'x'")).isEmpty();
    assertThat(SecretSpans.mask("select 1", "***")).isEqualTo("select 1");
  }
}
