package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/R";

  @Test
  void accessKeysAndTokenAreMasked() {
    assertThat(Redactor.redact("copy t from 's3://b/k' access_key_id 'AKIAXXXX' secret_access_key 'wJalr/K7+x' session_token 'FQoG'"))
        .isEqualTo("copy t from 's3://b/k' access_key_id '***' secret_access_key '***' session_token '***'");
  }

  @Test
  void credentialValuesAreMaskedButTheRoleStays() {
    assertThat(Redactor.redact("unload ('x') to 's3://b/u' with credentials as 'aws_iam_role=" + ROLE + ";master_symmetric_key=MSK0123'"))
        .isEqualTo("unload ('x') to 's3://b/u' with credentials as 'aws_iam_role=" + ROLE + ";master_symmetric_key=***'");
    assertThat(Redactor.redact("copy t from 's3://b' credentials 'aws_access_key_id=AKIA1;aws_secret_access_key=S2;token=T3'"))
        .isEqualTo("copy t from 's3://b' credentials 'aws_access_key_id=***;aws_secret_access_key=***;token=***'");
  }

  @Test
  void malformedCredentialsAreMaskedWhole() {
    assertThat(Redactor.redact("copy t from 's3://b' credentials 'AKIA1:S2'"))
        .isEqualTo("copy t from 's3://b' credentials '***'");
  }

  @Test
  void masterSymmetricKeyAndPasswords() {
    assertThat(Redactor.redact("copy t from 's3://b' iam_role '" + ROLE + "' master_symmetric_key 'EXAMPLEKEY=' encrypted"))
        .isEqualTo("copy t from 's3://b' iam_role '" + ROLE + "' master_symmetric_key '***' encrypted");
    assertThat(Redactor.redact("create user bob password 'Hunter2!'; alter user bob password md5abcdef"))
        .isEqualTo("create user bob password '***'; alter user bob password ***");
  }

  @Test
  void unterminatedSecretIsMaskedToTheEnd() {
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key 'abc; select 1"))
        .isEqualTo("copy t from 's3://b' secret_access_key '***");
  }

  @Test
  void procedureBodiesAreSearched() {
    assertThat(Redactor.redact("create procedure p() as $$ begin copy t from 's3://b' access_key_id 'AK' secret_access_key 'SK'; end; $$ language plpgsql"))
        .isEqualTo("create procedure p() as $$ begin copy t from 's3://b' access_key_id '***' secret_access_key '***'; end; $$ language plpgsql");
  }

  @Test
  void dynamicSqlLiteralsHoldingSecretsAreMaskedWhole() {
    assertThat(Redactor.redact("execute 'copy t from ''s3://b'' secret_access_key ''SK'''"))
        .isEqualTo("execute '***'");
  }

  /** Redshift refuses an unquoted key, but the text still holds the secret. */
  @Test
  void unquotedKeyValuesAreMasked() {
    assertThat(Redactor.redact("copy t from 's3://b' access_key_id AKIAXXXX secret_access_key \"wJalr\" session_token 123"))
        .isEqualTo("copy t from 's3://b' access_key_id *** secret_access_key *** session_token ***");
    assertThat(Redactor.redact("copy t from 's3://b' access_key_id secret_access_key 'SK'"))
        .isEqualTo("copy t from 's3://b' access_key_id secret_access_key '***'");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select session_token from t where access_key_id is not null",
      "select password from app_users where password is not null",
      "create user etl password disable",
      "select 1", "copy t from 's3://b/k' iam_role '" + ROLE + "'",
      "select credentials, password_hint from users where name = 'bob'", ""})
  void textWithoutSecretsIsUnchanged(String sql) {
    assertThat(Redactor.redact(sql)).isEqualTo(sql);
  }

  /** Every literal form the server reads as the value: masked whole, prefix and quotes kept. */
  @Test
  void everyLiteralFormOfAValueIsMaskedWhole() {
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key E'wJ\\'al\\\\r' access_key_id N'AKIA'"))
        .isEqualTo("copy t from 's3://b' secret_access_key E'***' access_key_id N'***'");
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key U&'wJal\\0072' session_token 'x'"))
        .isEqualTo("copy t from 's3://b' secret_access_key U&'***' session_token '***'");
    // read with the no-break space as a space (SecretSpans.spacedBlanks), $\u00e9 is a placeholder left
    // where the value belongs and $wJalr$ opens a dollar quote holding the rest: that reading masks it too
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key $\u00e9\u00a0$wJalr$\u00e9\u00a0$ x"))
        .isEqualTo("copy t from 's3://b' secret_access_key $\u00e9\u00a0$***$***");
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key $\ud83d\ude00$wJ$\ud83d\ude00$"))
        .isEqualTo("copy t from 's3://b' secret_access_key $\ud83d\ude00$***$\ud83d\ude00$");
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key B'0101' gzip"))
        .isEqualTo("copy t from 's3://b' secret_access_key B'***' gzip");
  }

  @Test
  void aContinuedLiteralIsMaskedFromItsFirstPartToItsLast() {
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key 'wJal'\n'rXUtn' -- more\n'FEMI' gzip"))
        .isEqualTo("copy t from 's3://b' secret_access_key '***' gzip");
    assertThat(Redactor.redact("copy t from 's3://b' credentials 'aws_access_key_id=AK;'\n'aws_secret_access_key=SK'"))
        .isEqualTo("copy t from 's3://b' credentials '***'");
  }

  @Test
  void aKeywordJoinedToItsValueByANoBreakSpaceStillMasksIt() {
    assertThat(Redactor.redact("copy t from 's3://b' secret_access_key\u00a0'wJalr'"))
        .isEqualTo("copy t from 's3://b' secret_access_key\u00a0'***'");
  }

  @Test
  void dynamicSqlSpelledAcrossConcatenatedLiteralsIsMaskedWhole() {
    assertThat(Redactor.redact("execute 'copy t from ''s3://b'' secret_access' || '_key ' || '''wJalr'''"))
        .isEqualTo("execute '***' || '***' || '***'");
    assertThat(Redactor.redact("execute $a$copy t from 's3://b' secret_access_key '$a$ || 'wJalr' || $$'$$"))
        .isEqualTo("execute $a$***$a$ || '***' || $$***$$");
    assertThat(Redactor.redact("select 'a' || 'b', 'secret'")).isEqualTo("select 'a' || 'b', 'secret'");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:redshift://host:5439/dev?user=bob&password=Hunter2&ssl=true",
      "jdbc:redshift://host:5439/dev;UID=bob;PWD=Hunter2;ssl=true",
      "jdbc:iamguard:h2:mem:x;USER=sa;PASSWORD=Hunter2",
      "jdbc:postgresql://bob:Hunter2@host:5432/dev",
      "jdbc:redshift:iam://c:us-west-2/dev?AccessKeyID=Hunter2&SecretAccessKey=Hunter2&SessionToken=Hunter2",
      "no driver accepts jdbc:x://h/d?Password=Hunter2 today",
      "{user=bob, password=Hunter2}"})
  void passwordsInUrlsAreMasked(String text) {
    String masked = Redactor.redactUrl(text);
    assertThat(masked).doesNotContain("Hunter2").contains(Redactor.MASK);
    assertThat(Redactor.redactMessage(text)).doesNotContain("Hunter2");
  }

  @Test
  void urlsKeepEverythingButTheSecrets() {
    assertThat(Redactor.redactUrl("jdbc:redshift://host:5439/dev?user=bob&password=pw&ssl=true"))
        .isEqualTo("jdbc:redshift://host:5439/dev?user=bob&password=***&ssl=true");
    assertThat(Redactor.redactUrl("jdbc:postgresql://bob:pw@host:5432/dev?x=1"))
        .isEqualTo("jdbc:postgresql://bob:***@host:5432/dev?x=1");
    assertThat(Redactor.redactUrl("jdbc:redshift://host:5439/dev;UID=bob;Pwd=pw"))
        .isEqualTo("jdbc:redshift://host:5439/dev;UID=bob;Pwd=***");
    String plain = "jdbc:redshift://cluster.abc.us-west-2.redshift.amazonaws.com:5439/dev?ssl=true&user=bob";
    assertThat(Redactor.redactUrl(plain)).isSameAs(plain);
    assertThat(Redactor.redactUrl(null)).isNull();
  }

  @Test
  void messagesMaskBothSqlAndUrls() {
    assertThat(Redactor.redactMessage("copy t from 's3://b' secret_access_key 'SK' failed at jdbc:redshift://h/d?password=pw"))
        .isEqualTo("copy t from 's3://b' secret_access_key '***' failed at jdbc:redshift://h/d?password=***");
    assertThat(Redactor.redactMessage("no secret here")).isEqualTo("no secret here");
    assertThat(Redactor.redactMessage((String) null)).isNull();
  }

  @Test
  void aUrlIsSearchedWhereverItsEqualsSignOrAtSignStands() {
    assertThat(Redactor.redactUrl("=x;password=secret")).isEqualTo("=x;password=***");
    assertThat(Redactor.redactUrl("@//u:pw@h")).isEqualTo("@//u:***@h");
  }

  @Test
  void theSecretsOfAUrlAndItsPropertiesAreThoseOfThreeCharactersOrMore() {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", "bob");
    properties.setProperty("password", "Pa55");
    properties.setProperty("SecretKey", "ab");
    assertThat(Redactor.secretsOf("jdbc:redshift://bob:Hunter2@h/d?password=Sesame1&pwd=&token=abc&x=1", properties))
        .containsExactly("Hunter2", "Sesame1", "abc", "Pa55");
    assertThat(Redactor.secretsOf(null, null)).isEmpty();
    assertThat(Redactor.secretsOf("jdbc:redshift://h/d?user=bob", new java.util.Properties())).isEmpty();
  }

  @Test
  void aMessageMasksEveryQuotedSecretOfThreeCharactersOrMore() {
    assertThat(Redactor.redactMessage("login failed for abc at pw@host:1, key xy", java.util.List.of("abc", "xy")))
        .isEqualTo("login failed for *** at pw@host:1, key xy");
    assertThat(Redactor.redactMessage("password=pw and Hunter2", java.util.List.of("Hunter2")))
        .isEqualTo("password=*** and ***");
    assertThat(Redactor.redactMessage(null, java.util.List.of("abc"))).isNull();
  }
}
