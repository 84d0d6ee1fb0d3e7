package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A URL password that starts with, holds or ends with white space (red-team review: {@code run --url
 * '...?user=u&password= Hunter09'} printed {@code password=*** Hunter09}): the Redshift driver and
 * pgjdbc read a query argument up to {@code &}, so no part of it may survive
 * {@link Redactor#redactUrl} or {@link Redactor#redactMessage}, and
 * {@link Redactor#secretsOf(String, java.util.Properties)} returns the value as the driver reads it.
 * Generated over every place of the spaces, every space character and every place of the argument.
 */
class UrlPasswordSpacesTest {
  /** Two halves a password is built of, each searched for in what is printed. */
  private static final String LEFT = "Hunt";
  private static final String RIGHT = "er09";

  /** A URL (or a message holding one) with {@code %s} where the password's value stands. */
  private static final List<String> PLACES = List.of(
      "jdbc:iamguard:redshift://127.0.0.1:1/db?user=u&password=%s",
      "jdbc:iamguard:redshift://127.0.0.1:1/db?password=%s&user=u",
      "jdbc:redshift://h:5439/dev?user=u&PWD=%s&ssl=true",
      "jdbc:postgresql://h:5432/dev?ssl=false&SecretAccessKey=%s",
      "cannot connect to jdbc:iamguard:redshift://h:1/db?user=u&password=%s",
      "{user=u, password=%s}");

  static Stream<String> passwordsWithSpaces() {
    List<String> passwords = new ArrayList<>();
    for (String space : List.of(" ", "  ", "\t", " \t ")) {
      passwords.add(space + LEFT + RIGHT);
      passwords.add(LEFT + space + RIGHT);
      passwords.add(space + LEFT + space + RIGHT);
      passwords.add(LEFT + RIGHT + space);
    }
    return passwords.stream();
  }

  @ParameterizedTest
  @MethodSource("passwordsWithSpaces")
  void noPartOfAPasswordHoldingSpacesIsPrinted(String password) {
    for (String place : PLACES) {
      String url = String.format(place, password);
      assertThat(Redactor.redactUrl(url)).as(url).doesNotContain(LEFT).doesNotContain(RIGHT).contains(Redactor.MASK);
      assertThat(Redactor.redactMessage("refused " + url)).as(url).doesNotContain(LEFT).doesNotContain(RIGHT);
      if (!place.startsWith("{")) { // a printed Properties ends a value at the spaces it also prints after a comma
        assertThat(Redactor.secretsOf(url, null)).as(url).contains(password);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("passwordsWithSpaces")
  void theArgumentsAfterThePasswordAreKept(String password) {
    String url = "jdbc:redshift://h:5439/dev?user=u&password=" + password + "&ssl=true";
    assertThat(Redactor.redactUrl(url)).isEqualTo("jdbc:redshift://h:5439/dev?user=u&password=***&ssl=true");
  }
}
