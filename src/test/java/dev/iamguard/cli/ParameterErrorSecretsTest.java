package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * picocli's errors about the command line quote what was typed: an unknown option
 * ({@code Unknown option: '--bogus=...'}), a bad value of a known one ({@code but was '...'}), an
 * argument no command takes. A secret pasted there (a key, a password, a URL holding one) was
 * printed in full, into a CI log. For each place a value is quoted, in both the {@code --opt=value}
 * and {@code --opt value} forms, and each shape of secret, the error (exit 2) names the option but
 * not the secret.
 */
class ParameterErrorSecretsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /** Values holding {@link #SECRET} in shapes the Redactor knows. */
  private static final List<String> VALUES = List.of(
      "aws_secret_access_key=" + SECRET,
      "aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key=" + SECRET,
      "password=" + SECRET,
      "jdbc:redshift://etl:" + SECRET + "@host:5439/dev",
      "jdbc:redshift://host:5439/dev?user=etl&password=" + SECRET);

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String value : VALUES) {
      // an unknown option with its value glued on
      cases.add(Arguments.of("unknown option", "--bogus", List.of("check", "--registry", REGISTRY, "--user", "user1",
          "--bogus=" + value)));
      // a bad value for a known option: an enum, another enum, a number
      cases.add(Arguments.of("--format=", "--format", List.of("check", "--registry", REGISTRY, "--user", "user1",
          "--format=" + value)));
      cases.add(Arguments.of("--format VALUE", "--format", List.of("check", "--registry", REGISTRY, "--user", "user1",
          "--format", value)));
      cases.add(Arguments.of("--fail-on VALUE", "--fail-on", List.of("check", "--registry", REGISTRY, "--user", "user1",
          "--fail-on", value)));
      cases.add(Arguments.of("--prefix-depth=", "--prefix-depth", List.of("suggest", "--prefix-depth=" + value)));
      // an argument a command does not take
      cases.add(Arguments.of("unmatched argument", "Unmatched argument", List.of("registry", "schema", value)));
      cases.add(Arguments.of("unknown command", "Unmatched argument", List.of(value)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("cases")
  void theQuotedValueIsMasked(String where, String named, List<String> args) {
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).as(where).contains(named).doesNotContain(SECRET).doesNotContain("wJalr")
        .doesNotContain("\tat ");
    assertThat(run.out()).doesNotContain(SECRET);
  }
}
