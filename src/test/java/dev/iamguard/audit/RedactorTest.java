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
}
