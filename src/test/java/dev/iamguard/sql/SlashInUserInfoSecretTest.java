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
 * The user info of an S3 location ({@code s3://KEY:SECRET@bucket/}, Hadoop's old form) is masked
 * when the secret holds a {@code /}, as real secret keys often do: the user info ended at the first
 * {@code /}, so the key id and the secret were printed whole in registry problems and connect
 * errors (probe 24c F1). No bucket name holds a {@code :}, so the user info runs to the {@code @}.
 * Four scheme spellings x secrets with 0-3 slashes and pluses at random places x quoted in a message; the
 * controls: a {@code :} or {@code @} in a key's path, and another scheme's port, stay as written.
 */
class SlashInUserInfoSecretTest {
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  static Stream<Arguments> locations() {
    Random random = new Random(2026120224L);
    List<Arguments> all = new ArrayList<>();
    for (String scheme : List.of("s3", "s3a", "s3n", "S3")) {
      for (int slashes = 0; slashes <= 3; slashes++) {
        for (int n = 0; n < 6; n++) {
          StringBuilder secret = new StringBuilder();
          for (int k = 0; k < 40; k++) {
            secret.append(BASE64.charAt(random.nextInt(BASE64.length())));
          }
          for (int k = 0; k < slashes; k++) {
            secret.setCharAt(1 + random.nextInt(38), random.nextBoolean() ? '/' : '+');
          }
          StringBuilder key = new StringBuilder("AKIA");
          for (int k = 0; k < 16; k++) {
            key.append((char) ('A' + random.nextInt(26)));
          }
          all.add(Arguments.of(scheme + "://" + key + ":" + secret + "@acmedata/redshift/", key.toString(),
              secret.toString()));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("locations")
  void theKeyAndTheSecretAreMasked(String location, String key, String secret) {
    for (String text : List.of(location, "invalid S3 location \"" + location + "\": bucket name must be ...",
        "s3_read: [" + location + ", s3://other/x/]")) {
      String masked = SecretText.masked(text);

      assertThat(masked).as(text).doesNotContain(key).doesNotContain(secret)
          .doesNotContain(secret.substring(0, 20)).doesNotContain(secret.substring(20)).contains("acmedata/redshift/");
    }
  }

  @ParameterizedTest
  @MethodSource("controls")
  void namesThatOnlyLookSoStayAsWritten(String text) {
    assertThat(SecretText.masked(text)).isEqualTo(text);
  }

  static Stream<String> controls() {
    // (a path segment 'a:b@c' is masked as a bare user:password@host, the safe side, as before)
    return Stream.of("s3://acmedata/users/bob@example.com/x.csv", "https://host:8443/path/a@b",
        "s3://acmedata/t=1:2/x@y", "s3://acmedata/a/b:c/d@e");
  }
}
