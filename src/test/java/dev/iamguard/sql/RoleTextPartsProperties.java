package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A role text's parts (the text, and what follows each {@code ,} or {@code ;}) are found with the
 * String's own search (issue 17: every COPY's role text is read so), where they were found a char
 * at a time. Over texts of ARNs, separators, blanks and secret names before colons, the check for a
 * secret name before a colon answers as the char-at-a-time loop did.
 */
class RoleTextPartsProperties {
  /** The check before the change: every char looked at. */
  private static boolean readCharByChar(String roles) {
    if (RoleTextSecrets.nameBeforeColon(roles, 0)) {
      return true;
    }
    for (int at = 0; at < roles.length(); at++) {
      char c = roles.charAt(at);
      if ((c == ',' || c == ';') && RoleTextSecrets.nameBeforeColon(roles, at + 1)) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 5_000)
  void findsTheSamePartsAsReadingEveryChar(@ForAll("roleTexts") String roles) {
    boolean expected = readCharByChar(roles);

    assertThat(RoleTextSecrets.secretNameBeforeColon(roles)).isEqualTo(expected);
    Statistics.label("secret name before a colon").collect(expected);
  }

  @Provide
  Arbitrary<String> roleTexts() {
    Arbitrary<String> piece = Arbitraries.of("arn:aws:iam::123456789012:role/RoleA", ",", ";", " ", ", ", " ;",
        "aws_secret_access_key:", "aws_secret_acces_key :", "token:", "secret_key: x", "arn", ":", "role/a,b", "x");
    return piece.list().ofMaxSize(7).map(parts -> String.join("", parts));
  }
}
