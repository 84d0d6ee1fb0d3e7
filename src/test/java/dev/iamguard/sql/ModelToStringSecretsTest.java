package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parsed model prints no secret: a location's user info ({@code s3://KEY:SECRET@bucket/}) was
 * kept in {@link S3Location#uri()} and printed whole by the records' own {@code toString}
 * ({@code RedshiftCommand}, {@code Resources}, {@code S3Location}), which a caller reaches through
 * {@code GuardDeniedException.decision()} and logs. Every place the grammar reads a location, four
 * scheme spellings, secrets with slashes and pluses, and keys given as clause values: none of the
 * key, the secret or either half of it is in the text of the command or of any record it holds,
 * while the location's bucket and path still are.
 */
class ModelToStringSecretsTest {
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  /** Where the grammar reads a location; {@code %s} is the location. */
  private static final List<String> PLACES = List.of(
      "copy t from '%s' iam_role default",
      "copy t from '%s' iam_role default manifest",
      "copy t from 's3://acmedata/redshift/x/' iam_role default json '%s'",
      "copy t from 's3://acmedata/redshift/x/' iam_role default format as avro '%s'",
      "unload ('select 1') to '%s' iam_role default",
      "unload ('select 1') to '%s' iam_role default manifest parallel off",
      "create library l language plpythonu from '%s' iam_role default",
      "create external table spectrum.t (a int) stored as parquet location '%s'",
      "alter table spectrum.t set location '%s'",
      "create external table spectrum.t stored as parquet location '%s' as select 1");

  static Stream<Arguments> statements() {
    Random random = new Random(2026120319L);
    List<Arguments> all = new ArrayList<>();
    for (String scheme : List.of("s3", "s3a", "s3n", "S3")) {
      for (int slashes = 0; slashes <= 2; slashes++) {
        String key = "AKIA" + run(random, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        StringBuilder secret = new StringBuilder(run(random, 40, BASE64));
        for (int k = 0; k < slashes; k++) {
          secret.setCharAt(1 + random.nextInt(38), random.nextBoolean() ? '/' : '+');
        }
        String location = scheme + "://" + key + ":" + secret + "@acmedata/redshift/in/";
        for (String place : PLACES) {
          all.add(Arguments.of(String.format(java.util.Locale.ROOT, place, location), key, secret.toString()));
        }
        all.add(Arguments.of("copy t from 's3://acmedata/redshift/in/' credentials 'aws_access_key_id=" + key
            + ";aws_secret_access_key=" + secret + "'", key, secret.toString()));
        all.add(Arguments.of("unload ('select 1') to 's3://acmedata/redshift/in/' access_key_id '" + key
            + "' secret_access_key '" + secret + "' session_token '" + secret + secret + "'", key, secret.toString()));
        all.add(Arguments.of("copy t from 's3://acmedata/redshift/in/' iam_role default master_symmetric_key '"
            + secret + "' encrypted", key, secret.toString()));
      }
    }
    return all.stream();
  }

  private static String run(Random random, int length, String alphabet) {
    StringBuilder out = new StringBuilder(length);
    for (int k = 0; k < length; k++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  @ParameterizedTest
  @MethodSource("statements")
  void noRecordOfTheParsedCommandPrintsTheKeyOrTheSecret(String sql, String key, String secret) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).as(sql).hasSize(1);
    RedshiftCommand command = statements.get(0).command();
    List<Object> printed = new ArrayList<>(List.of(command, command.auth(), command.resources()));
    printed.addAll(command.resources().s3());
    printed.addAll(command.options());

    for (Object record : printed) {
      assertThat(record.toString()).as(sql + " -> " + record.getClass().getSimpleName())
          .doesNotContain(key).doesNotContain(secret)
          .doesNotContain(secret.substring(0, 20)).doesNotContain(secret.substring(20));
    }
    if (!command.resources().s3().isEmpty()) {
      assertThat(command.toString()).as(sql).contains("acmedata/redshift/");
    }
  }
}
