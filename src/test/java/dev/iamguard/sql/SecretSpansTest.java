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

  /**
   * A {@code U&'..'} after the value (Redshift reads a name, an operator and a literal), and what follows
   * its {@code UESCAPE} clause, is part of the value as any other literal written after it; so is one
   * after a placeholder or a declared variable's {@code :=}.
   */
  @Test
  void aUnicodeEscapeLiteralAfterTheValueIsPartOfIt() {
    assertThat(masked("x password 'ab' U&'cd' y")).containsExactly("ab", "cd");
    assertThat(masked("x password 'ab' u&'cd' y")).containsExactly("ab", "cd");
    assertThat(masked("x password 'ab' || U&'cd' y")).containsExactly("ab", "cd");
    assertThat(masked("x password U&'ab' U&'cd'")).containsExactly("ab", "cd");
    assertThat(masked("x password U&'a!0062' UESCAPE '!' U&'cd' 'ef'")).containsExactly("a!0062", "!", "cd", "ef");
    assertThat(masked("x password 'ab' U&'c!0064' uescape '!' $q$ef$q$")).containsExactly("ab", "c!0064", "!", "ef");
    assertThat(masked("x password ? U&'cd'")).containsExactly("cd");
    assertThat(masked("x password :key U&'cd'")).containsExactly("cd");
    assertThat(masked("new_password varchar(64) := U&'cd';")).containsExactly("cd");
    assertThat(masked("x password 'ab' U & y")).containsExactly("ab");
  }

  @Test
  void identityProviderParametersHoldingAClientSecretAreMaskedWhole() {
    String parameters = "{\"issuer\":\"https://sts.windows.net/t/\", \"client_id\":\"c\", "
        + "\"client_secret\":\"S3cr3t\", \"audience\":[\"api://x\"]}";
    assertThat(masked("CREATE IDENTITY PROVIDER azure_idp TYPE azure NAMESPACE 'aad' PARAMETERS '" + parameters
        + "'")).containsExactly(parameters);
    assertThat(masked("ALTER IDENTITY PROVIDER azure_idp PARAMETERS $p$" + parameters.replace("c\"", "C\"")
        .replace("client_secret", "CLIENT_SECRET") + "$p$")).hasSize(1);
    assertThat(masked("CREATE IDENTITY PROVIDER azure_idp TYPE azure NAMESPACE 'aad' PARAMETERS "
        + "'{\"issuer\":\"https://sts.windows.net/t/\"}'")).isEmpty();
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
    // another name is not the keyword; one a letter away is masked as a lookalike (SecretKeywordLookalikeTest)
    assertThat(masked("x secret_access_keys 'SK'")).containsExactly("SK");
    assertThat(masked("x kms_key_ids 'K'")).isEmpty();
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

  // The cases below pin what mutation testing (-Pmutation) showed the tests above did not tell.

  @Test
  void aValueAfterEqualsOrAsIsMaskedButNotAfterAnotherOperator() {
    assertThat(masked("alter user u password = 'PW'")).containsExactly("PW");
    assertThat(masked("x secret_access_key = 'SK' y")).containsExactly("SK");
    assertThat(masked("x credentials as 'aws_access_key_id=AK'")).containsExactly("AK");
    // a comparison with a column named password: the literal is not the keyword's value
    assertThat(masked("select 1 from t where password > 'a'")).isEmpty();
  }

  @Test
  void aKeywordAtTheEndOfTheTextHasNoValue() {
    assertThat(SecretSpans.find("alter user u password")).isEmpty();
    assertThat(SecretSpans.find("copy t from 's3://b' access_key_id")).isEmpty();
    assertThat(SecretSpans.find("x secret_access_key =")).isEmpty();
  }

  @Test
  void aSecretAtTheEndOfATextOfAnyLengthIsFound() {
    // every token count, so that the last token falls on every boundary of the token buffer
    StringBuilder filler = new StringBuilder("select");
    for (int n = 0; n < 300; n++) {
      assertThat(masked(filler + " password 'PW'")).as("%d tokens before", n + 1).containsExactly("PW");
      assertThat(SecretSpans.find(filler + " password")).as("%d tokens before", n + 1).isEmpty();
      assertThat(masked(filler + " || 'secret_access_key x' ||")).as("%d tokens before", n + 1)
          .containsExactly("secret_access_key x");
      filler.append(n % 2 == 0 ? " a" : ",");
    }
  }

  @Test
  void aNameThatHoldsANoBreakSpaceButNoSecretKeywordIsNotOne() {
    assertThat(masked("select a\u00a0b 'x', session_token from t where p\u200bq = 'y'")).isEmpty();
    assertThat(masked("x region\u00a0key 'R' password")).isEmpty();
    // its letters spell a secret keyword: masked as a lookalike
    assertThat(masked("x access\u00a0key_id 'AK' password")).containsExactly("AK");
  }

  /** Only a statement that ends with a secret keyword hands it to the next one (see SemicolonSplitSecretsTest). */
  @Test
  void aKeywordIsCarriedOnlyFromAStatementsEnd() {
    for (String end : List.of("secret_access_key", "PASSWORD =", "password AS", "session_token :=", "credentials (",
        "\"secret_access_key\"", "secret_acess_key", "master_symmetric_key\u00a0")) {
      String statement = "copy t from 's3://b/x' " + end;
      assertThat(SecretSpans.keywordAwaitingValue(statement, 0, statement.length())).as(end).isNotNull();
    }
    for (String statement : List.of("copy t from 's3://b/x' iam_role default", "alter user bob password 'x'",
        "select kms_key_id", "select 1", "", "password x")) {
      assertThat(SecretSpans.keywordAwaitingValue(statement, 0, statement.length())).as(statement).isNull();
    }
    assertThat(SecretSpans.maskAfter("password", "'Hunter2'", "***")).isEqualTo("'***'");
    assertThat(SecretSpans.maskAfter("password", "select 'kept'", "***")).isEqualTo("select 'kept'");
    assertThat(SecretSpans.maskAfter(null, "'kept'", "***")).isEqualTo("'kept'");
  }

  @Test
  void anUnterminatedDollarQuoteIsSearchedToTheEndOfTheText() {
    assertThat(masked("select $$ alter user u password 'secret")).containsExactly("secret");
    assertThat(masked("select $b$ copy t from 's3://b' secret_access_key 'SK' iam_role default"))
        .containsExactly("SK");
    // the closing tag is not part of the body: a keyword just before it has no value in the body, so
    // the text is dynamic SQL whose value comes from elsewhere, and the statement's literals are masked
    assertThat(masked("select $a$ alter user u password $a$")).containsExactly(" alter user u password ");
  }

  @Test
  void bodiesAreReadToTheGuardsDepthAndDeeperOnesMaskedWhole() {
    assertThat(masked(nested(ProcedureParser.MAX_DEPTH))).containsExactly("PW");
    assertThat(masked(nested(ProcedureParser.MAX_DEPTH + 1))).containsExactly(" password 'PW' ");
    assertThat(masked(nested(ProcedureParser.MAX_DEPTH + 2))).containsExactly(" $t0$ password 'PW' $t0$ ");
  }

  @Test
  void credentialValuesAreMaskedExactly() {
    String sql = "x credentials 'aws_access_key_id=AK;;aws_secret_access_key=SK;bare;=v;aws_iam_role=arn:r'";
    int o = sql.indexOf('\'') + 1;
    assertThat(SecretSpans.find(sql)).containsExactly(
        new Span(o + 18, o + 20), new Span(o + 44, o + 46), new Span(o + 47, o + 51), new Span(o + 53, o + 54));
    assertThat(masked(sql)).containsExactly("AK", "SK", "bare", "v");
    assertThat(masked("x credentials '=v;token=T'")).containsExactly("v", "T");
    // the key is aws_iam_role only when it is exactly that: after a ';' a new key starts
    assertThat(masked("x credentials ';aws_iam_role=arn:r;token=T'")).containsExactly("T");
    assertThat(masked("x credentials 'aws_iam_role=arn:r;xaws_iam_role=K'")).containsExactly("K");
    // a value that opens with a doubled quote or an escape is not a plain literal: masked whole
    assertThat(masked("x credentials '''token=T'")).containsExactly("''token=T");
    assertThat(masked("x credentials '\\\\token=T'")).containsExactly("\\\\token=T");
  }

  @Test
  void maskReplacesEachSpanOnce() {
    assertThat(SecretSpans.mask("x credentials 'a=1;b=2' y password 'p'", "#"))
        .isEqualTo("x credentials 'a=#;b=#' y password '#'");
    assertThat(SecretSpans.mask("execute 'secret_access' || '_key x'", "#")).isEqualTo("execute '#' || '#'");
  }

  /**
   * A literal whose value spells a secret clause that its text does not (an escape, a continuation
   * onto the next line, parts joined by ||) is read by that value, as a single-quoted procedure body
   * or an EXECUTE text is: it is masked whole, though no secret word stands in the text.
   */
  @Test
  void aSecretClauseSpelledOnlyByALiteralsValueIsMaskedWhole() {
    String escaped = "create procedure p() as 'begin copy t from ''s3://b/k'' \\x61ccess_key_id ''AKIAEXAMPLE'' "
        + "\\163ecret_access_key ''SECRETVALUE''; end;' language plpgsql";
    String continued = "create procedure p() as 'begin copy t from ''s3://b/k'' iam_role ''x'' secret_acc'\n"
        + "'ess_key ''SECRETVALUE''; end;' language plpgsql";
    String continuedCr = continued.replace('\n', '\r');
    String execute = "create procedure p() as $$ begin execute E'copy t from ''s3://b/k'' \\x73ession_token "
        + "''SECRETVALUE'''; end; $$ language plpgsql";
    String credentials = "select E'\\x63redentials ''aws_access_key_id=AK;aws_secret_access_key=SECRETVALUE'''";
    for (String sql : List.of(escaped, continued, continuedCr, execute, credentials)) {
      assertThat(SqlScript.parse(sql).statements()).isNotEmpty();
      assertThat(SecretSpans.mask(sql, "***")).as(sql).doesNotContain("SECRETVALUE").contains("***");
    }
    assertThat(masked(continued)).containsExactly("begin copy t from ''s3://b/k'' iam_role ''x'' secret_acc'\n"
        + "'ess_key ''SECRETVALUE''; end;");
    // the guard reads these bodies by their values: the masked text is what it parsed
    assertThat(SqlScript.parse(escaped).statements().get(0).command().body()).singleElement()
        .satisfies(s -> assertThat(s.command().auth().form()).isEqualTo(AuthForm.ACCESS_KEYS));
    // a line end before any quote, or none at all, joins nothing
    assertThat(SecretSpans.find("select 1\n, 'x' from t")).isEmpty();
    assertThat(SecretSpans.find("select 'x'\n from t")).isEmpty();
    assertThat(SecretSpans.find("select 'a' || 'b'")).isEmpty();
  }

  /** An unquoted value after a key or PASSWORD is still a secret; a name, DISABLE or a clause word there is not. */
  @Test
  void bareValuesAfterKeysAndPasswordsAreMasked() {
    assertThat(masked("copy t from 's3://b/k' access_key_id AKIAXYZ secret_access_key SECRET1 csv"))
        .containsExactly("AKIAXYZ", "SECRET1");
    assertThat(SecretSpans.mask("copy t from 's3://b/k' session_token 12345 csv", "#")).doesNotContain("12345");
    assertThat(SecretSpans.mask("copy t from 's3://b/k' access_key_id \"QIDSECRET\" csv", "#")).doesNotContain("QIDSECRET");
    assertThat(masked("create user u password md5abcdef")).containsExactly("md5abcdef");
    assertThat(masked("alter user u password disable")).isEmpty();
    assertThat(masked("select password from t")).isEmpty();
    assertThat(masked("select session_token, password from t where access_key_id in (1)")).isEmpty();
    assertThat(masked("select a from t where session_token is not null or password not in (1)")).isEmpty();
    assertThat(masked("x credentials plainword")).isEmpty();
    // a number or a quoted name after PASSWORD is refused by Redshift, and still meant as a password
    assertThat(masked("x password 12345")).containsExactly("12345");
    assertThat(masked("alter user u password \"Hunter2\" valid until 'infinity'")).containsExactly("\"Hunter2\"");
    assertThat(masked("select * from users where password = 8675309")).containsExactly("8675309");
    assertThat(masked("create user u password 1.5e3")).containsExactly("1.5e3");
    // another auth keyword after a key is not its value; a secret keyword's own value is masked
    assertThat(masked("x access_key_id iam_role 'arn:aws:iam::123456789012:role/R'")).isEmpty();
    assertThat(masked("x access_key_id secret_access_key 'SK'")).containsExactly("SK");
  }

  /** A text that opens with a literal continued on the next line is scanned too. */
  @Test
  void aContinuedLiteralAtTheStartOfTheTextIsRead() {
    String sql = "'copy t from ''s3://b/k'' secret_acc'\n'ess_key ''SECRETVALUE'''";
    assertThat(SecretSpans.mask(sql, "#")).doesNotContain("SECRETVALUE");
  }
}
