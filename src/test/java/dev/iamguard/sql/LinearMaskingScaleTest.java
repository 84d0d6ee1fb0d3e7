package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The masks for people and the lexer read any text in time linear in its length. A text holding one
 * credential (so that no quick test lets it skip the search) and then a megabyte of one short unit
 * repeated: runs, pieces, literals, colons, line ends. Each search that looked from a run, piece,
 * literal or colon to the text's end (or back to its start) made such a text quadratic: a key id
 * then 80,000 {@code "x-"} took 11 s to mask, 80,000 {@code "$$"} 65 s, a run of colons to lex grew
 * the same way; a megabyte of them takes minutes to hours that way and well under a second now.
 * The timeouts are hang guards against that growth, not time budgets.
 */
class LinearMaskingScaleTest {
  /** A credential, a location's user info and a secret keyword: every mask searches what follows. */
  private static final String HEAD = "password 'x' s3://KEY:pw@bucket/ AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ";
  private static final int LENGTH = 1 << 20;
  private static final List<String> UNITS = List.of("b ", "x-", "a:", ":", "x.", "=a ", "://", "A ", "@", "b,", "/", "a=b;",
      "'a' ", "--c\n", "$$", "$a$", "\"a\" ", "u:p@", "/*", "arn:", "http://", "s3://", "AKIA ", "x/", "'\n'", "'\r\n'",
      "x=", "\\", "E'\\\\' ", ":v ", "::", "(", "#", "\u00a0");

  static List<String> units() {
    return UNITS;
  }

  @ParameterizedTest
  @MethodSource("units")
  void masksReadAMegabyteOfOneUnitInLinearTime(String unit) {
    String text = HEAD + unit.repeat(LENGTH / unit.length());
    List<UnaryOperator<String>> masks = List.of(SecretText::masked, sql -> SecretSpans.mask(sql, "***"));
    for (UnaryOperator<String> mask : masks) {
      String masked = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> mask.apply(text));
      assertThat(masked).doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain("wJalrXUtnFEMI");
      assertThat(masked.length()).isGreaterThan(LENGTH / 2); // the units are names and marks, not secrets
    }
  }

  /**
   * Literals holding a location with a colon in its authority and no {@code @}: each literal searched
   * the rest of the text for one, with the String's vectorized search, so quadratic with a small
   * constant (a megabyte in under 2 s before); 16 MB of them took minutes.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"'s3://a:b/' ", "'s3://a:b/s3://a:b/' ", "'https://u:p/x' "})
  void literalsOfLocationsAreSearchedForUserInfoOnce(String unit) {
    String text = HEAD + unit.repeat((16 << 20) / unit.length());
    String masked = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> SecretSpans.mask(text, "***"));
    assertThat(masked).doesNotContain("AKIAIOSFODNN7EXAMPLE").endsWith(unit);
  }

  /**
   * One CREDENTIALS literal of many {@code ;} parts, after its keys: each part without an {@code =}
   * searched the rest of the literal for one, so 400,000 chars of {@code ;} took 0.9 s (1.9 s after
   * {@code aws_iam_role=}) and 4 MB about a hundred times that.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "|a;", "|;", "|x;y;", "|=;", "|k=v;", "|a b;", "|:;", "|AKIA;",
      "aws_iam_role=|a;", "aws_iam_role=|;", "aws_iam_role=|x;y;", "aws_iam_role=|:;"})
  void aCredentialsLiteralOfManyPartsIsMaskedInLinearTime(String before, String unit) {
    String head = "copy t from 's3://b/k' credentials 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE;"
        + "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY;";
    String text = head + (before == null ? "" : before) + unit.repeat((4 << 20) / unit.length()) + "'";
    String masked = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> SecretSpans.mask(text, "***"));
    assertThat(masked).startsWith("copy t from 's3://b/k' credentials 'aws_access_key_id=***;aws_secret_access_key=***;")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain("wJalrXUtnFEMI").endsWith("'");
  }

  @ParameterizedTest
  @MethodSource("units")
  void theLexerReadsAMegabyteOfOneUnitInLinearTime(String unit) {
    String text = "select " + unit.repeat(LENGTH / unit.length());
    Tokens tokens = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Lexer.tokenize(text));
    assertThat(tokens.count()).isPositive();
    assertThat(tokens.end(tokens.count() - 1)).isLessThanOrEqualTo(text.length());
  }
}
