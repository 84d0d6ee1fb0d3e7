package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.A;
import static dev.iamguard.sql.GrammarTest.B;
import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The auth clause's problems and spans, to the word: cases mutation testing (-Pmutation) showed
 * the grammar tests did not tell apart.
 */
class AuthClauseGrammarTest {
  static List<String> reasons(RedshiftCommand command) {
    return command.problems().stream().map(Problem::reason).toList();
  }

  static String text(String sql, Span span) {
    return sql.substring(span.start(), span.end());
  }

  @Test
  void theSpanOfAccessKeysRunsToTheLastValue() {
    String sql = "copy t from 's3://b/k' access_key_id 'AK' secret_access_key 'SK' csv";
    RedshiftCommand c = one(sql);
    assertThat(text(sql, c.auth().span())).isEqualTo("access_key_id 'AK' secret_access_key 'SK'");
    assertThat(c.problems()).isEmpty();
    String missing = "copy t from 's3://b/k' access_key_id 'AK' secret_access_key csv";
    assertThat(text(missing, one(missing).auth().span())).isEqualTo("access_key_id 'AK' secret_access_key");
  }

  @Test
  void aValueSplitOverSeveralLiteralsIsAProblemForCredentialsAndCatalogRoles() {
    RedshiftCommand credentials = one("copy t from 's3://b/k' credentials 'aws_iam_role=" + A + "' 'x'");
    assertThat(reasons(credentials))
        .containsExactly("CREDENTIALS value is split over several literals; write it as one quoted string");
    RedshiftCommand schema = one("create external schema s from data catalog database 'db' iam_role '" + A
        + "' catalog_role '" + A + "' '" + B + "'");
    assertThat(reasons(schema))
        .containsExactly("CATALOG_ROLE chain is split over several literals; write it as one quoted string");
    RedshiftCommand oneLiteral = one("create external schema s from data catalog database 'db' iam_role '" + A
        + "' catalog_role '" + A + "," + B + "'");
    assertThat(oneLiteral.problems()).isEmpty();
  }

  @Test
  void whatStandsWhereAValueShouldIsNamedButASecretIsNotEchoed() {
    assertThat(reasons(one("copy t from 's3://b/k' iam_role 5")))
        .containsExactly("IAM_ROLE must be followed by DEFAULT or a single-quoted literal, not a number");
    assertThat(reasons(one("copy t from 's3://b/k' access_key_id 5")))
        .containsExactly("ACCESS_KEY_ID must be followed by a single-quoted literal, not a number");
    assertThat(reasons(one("copy t from 's3://b/k' iam_role \"r\"")))
        .containsExactly("IAM_ROLE must be followed by DEFAULT or a single-quoted literal, not a double-quoted identifier");
    assertThat(reasons(one("copy t from 's3://b/k' iam_role myrole")))
        .containsExactly("IAM_ROLE must be followed by DEFAULT or a single-quoted literal, not the word myrole");
    assertThat(reasons(one("copy t from 's3://b/k' secret_access_key wJalrSECRET")))
        .containsExactly("SECRET_ACCESS_KEY must be followed by a single-quoted literal, not an unquoted word");
  }

  @Test
  void anUnknownCredentialsKeyIsNotEchoedButTheNearestKnownOneIsSuggested() {
    List<String> reasons = reasons(one("copy t from 's3://b/k' credentials 'aws_acess_key_id=AK;aws_secret_access_key=SK'"));
    assertThat(reasons).containsExactly("CREDENTIALS part 1 has an unknown key (did you mean aws_access_key_id?); keys are"
        + " case-sensitive, take no spaces, and are one of aws_iam_role, aws_access_key_id, aws_secret_access_key,"
        + " token, master_symmetric_key");
    assertThat(reasons(one("copy t from 's3://b/k' credentials 'zzzzzzzzzzzzzzzzzzzz=AK'")).get(0))
        .startsWith("CREDENTIALS part 1 has an unknown key; keys are");
  }

  @Test
  void aTrailingCommaAfterTheRoleEndsTheChainWhateverTheStatementLength() {
    // every token count, so that the comma falls on every boundary of the token buffer
    StringBuilder columns = new StringBuilder("a");
    for (int n = 0; n < 200; n++) {
      RedshiftCommand c = one("copy t (" + columns + ") from 's3://b/k' iam_role '" + A + "',");
      assertThat(c.auth().roles()).as("%d columns", n + 1).containsExactly(A);
      assertThat(c.auth().roleLiterals()).isEqualTo(1);
      columns.append(", a");
    }
  }

  @Test
  void moreSpansAndProblems() {
    String sql = "copy t from 's3://b/k' IAM_ROLE DEFAULT csv";
    assertThat(text(sql, one(sql).auth().span())).isEqualTo("IAM_ROLE DEFAULT");
    String cred = "copy t from 's3://b/k' credentials 'aws_iam_role=" + A + "' csv";
    assertThat(text(cred, one(cred).auth().span())).isEqualTo("credentials 'aws_iam_role=" + A + "'");
    assertThat(reasons(one("copy t from 's3://b/k' credentials '=x'"))).containsExactly("CREDENTIALS part 1 is not of"
        + " the form key=value (keys: aws_iam_role, aws_access_key_id, aws_secret_access_key, token, master_symmetric_key)");
    assertThat(reasons(one("copy t from 's3://b/k' iam_role 'abc")))
        .containsExactly("IAM_ROLE value is an unterminated literal");
    assertThat(reasons(one("copy t from 's3://b/k' iam_role /* x")))
        .containsExactly("IAM_ROLE value is an unterminated comment");
    assertThat(reasons(one("copy t from 's3://b/k' iam_role (")))
        .containsExactly("IAM_ROLE must be followed by DEFAULT or a single-quoted literal, not '('");
    assertThat(reasons(one("copy t from 's3://b/k' secret_access_key (")))
        .containsExactly("SECRET_ACCESS_KEY must be followed by a single-quoted literal, not a left paren token");
  }

  @Test
  void withCredentialsIsOneClauseAndWithLeavesNoOption() {
    RedshiftCommand c = one("copy t from 's3://b/k' with credentials 'aws_iam_role=" + A + "' csv");
    assertThat(c.problems()).isEmpty();
    assertThat(c.auth().form()).isEqualTo(AuthForm.CREDENTIALS);
    assertThat(c.options().stream().map(CommandOption::name)).containsExactly("CSV");
  }

  @Test
  void aSecretAfterAsOrEqualsNeverBecomesAnOption() {
    for (String joiner : List.of(" as ", " = ")) {
      RedshiftCommand c = one("copy t from 's3://b/k' access_key_id 'AK' secret_access_key" + joiner + "'SK' csv");
      assertThat(c.problems()).as(joiner).isNotEmpty();
      assertThat(c.options().stream().map(CommandOption::name)).as(joiner).containsExactly("CSV");
      assertThat(c.options().stream().flatMap(o -> o.values().stream())).as(joiner).doesNotContain("SK", "'SK'");
    }
  }

  @Test
  void aChainValueStartingWithACommaHasAnEmptyFirstRole() {
    assertThat(splitChain("," + A)).containsExactly("", A);
    // the space stays with the part: the chain rule then denies it (Redshift refuses spaces in a chain)
    assertThat(splitChain(A + ", " + B)).containsExactly(A, " " + B);
    assertThat(splitChain("arn:aws:iam::123456789012:role/a,b")).containsExactly(
        "arn:aws:iam::123456789012:role/a,b");
  }

  @Test
  void aMasterSymmetricKeyIsAnOptionByNameOnlyWithItsValueInTheSpan() {
    String sql = "unload ('select 1') to 's3://b/k' iam_role '" + A + "' master_symmetric_key 'K' encrypted";
    CommandOption key = one(sql).options().stream().filter(o -> o.name().equals("MASTER_SYMMETRIC_KEY"))
        .findFirst().orElseThrow();
    assertThat(key.values()).isEmpty();
    assertThat(text(sql, key.span())).isEqualTo("master_symmetric_key 'K'");
    String missing = "unload ('select 1') to 's3://b/k' iam_role '" + A + "' master_symmetric_key encrypted";
    RedshiftCommand c = one(missing);
    assertThat(text(missing, c.options().stream().filter(o -> o.name().equals("MASTER_SYMMETRIC_KEY"))
        .findFirst().orElseThrow().span())).isEqualTo("master_symmetric_key");
    assertThat(reasons(c)).containsExactly(
        "MASTER_SYMMETRIC_KEY must be followed by a single-quoted literal, not an unquoted word");
  }

  /** After a key without a quoted value, the next clause is read as usual; a trailing space ends no chain. */
  @Test
  void theClauseAfterAMalformedKeyIsStillRead() {
    RedshiftCommand c = one("copy t from 's3://b/k' access_key_id 'AK' secret_access_key delimiter '|' csv");
    assertThat(c.problems()).isNotEmpty();
    assertThat(c.options()).extracting(o -> o.name() + o.values()).containsExactly("DELIMITER[|]", "CSV[]");
    assertThat(splitChain(A + ", ")).containsExactly(A + ", ");
    assertThat(splitChain(A + ",")).containsExactly(A + ",");
    assertThat(splitChain(A + ",\t arn:x")).containsExactly(A, "\t arn:x");
  }

  /** The parser's chain split, into a fresh list. */
  private static java.util.List<String> splitChain(String value) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    AuthClauseParser.splitChain(value, parts);
    return parts;
  }
}
