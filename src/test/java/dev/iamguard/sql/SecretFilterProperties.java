package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link SecretSpans#find} skips the token scan for texts its filter proves free of secrets; the
 * filter must never skip a text the scan finds a secret in. Texts are built from secret keywords,
 * their lookalikes (misspelt, decorated, quoted) and ordinary names holding a stem, the gaps a value
 * may follow (spaces, comments, {@code AS}, {@code =}, {@code :=}, {@code =>}, parentheses,
 * semicolons) and every literal form, joined in any order.
 */
class SecretFilterProperties {
  private static final List<String> NAMES = List.of(
      "secret_access_key", "access_key_id", "session_token", "master_symmetric_key", "password", "credentials",
      "secret_acess_key", "aws_secret_access_key", "secretaccesskey2", "sesion_tokn", "acess_key", "passwd",
      "credential", "master_symetric_ky", "\"secret-access-key\"", "\"Session Token\"", "\"Secret\"\"Key\"", "\"a\"\" passwd\"", "token_type", "password_hint",
      "secret_arn", "kms_key_id", "iam_role", "api_tokens", "my_secret", "secret$", "x", "as", "u", "e", "token");
  private static final List<String> GAPS = List.of(
      " ", "", "\n", "\t", " as ", " AS ", "=", " = ", ":=", " => ", "=>", " ( ", "(", ";", "; ", " /* c */ ",
      " /* a /* b */ c */ ", " -- c\n", "--\r", "\r\n", "\r", ",", ".", " || ", "&", " ");
  private static final List<String> VALUES = List.of(
      "'v1'", "E'v\\'2'", "N'v3'", "U&'v4'", "B'01'", "X'1F'", "$$v5$$", "$t$v6$t$", "'v7", "\"v8\"", "v9", "42",
      "'a'\n'b'", "'x''y'", "$$", "'");

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> name = Arbitraries.of(NAMES).flatMap(n -> Arbitraries.integers().between(0, 2).map(k -> switch (k) {
      case 0 -> n;
      case 1 -> n.toUpperCase(Locale.ROOT);
      default -> n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }));
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, name), net.jqwik.api.Tuple.of(3, Arbitraries.of(GAPS)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(VALUES)));
    return piece.list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
  }

  /**
   * A secret's {@code name=value} (or {@code name:value}) in a literal where a resource is named, as
   * the scan reads such literals: every naming word, every name of {@link #NAMES}, both separators,
   * closed and unterminated (a random run found {@code secret_arn 'passwd=x'} skipped: the filter knew
   * lookalike names only before a literal).
   */
  @org.junit.jupiter.api.Test
  void theFilterReadsTheNamedValuesOfResourceLiterals() {
    int found = 0;
    for (String word : List.of("iam_role", "catalog_role", "lambda", "sagemaker", "region", "database", "catalog_id",
        "secret_arn", "arn", "from")) {
      for (String name : NAMES) {
        for (String separator : List.of("=", ":", " = ")) {
          for (String end : List.of("'", "", "' ;", ",x'")) {
            String sql = word + " 'v7" + name + separator + "value9" + end;
            List<Span> scanned = SecretSpans.findScanningAll(sql);
            found += scanned.isEmpty() ? 0 : 1;
            assertThat(SecretSpans.find(sql)).as(sql).isEqualTo(scanned);
            String plain = word + " '" + name + separator + "value9" + end;
            assertThat(SecretSpans.find(plain)).as(plain).isEqualTo(SecretSpans.findScanningAll(plain));
          }
        }
      }
    }
    assertThat(found).isPositive();
  }

  /**
   * {@code U&'..'} after a secret keyword or a lookalike, with any gap between the name, the
   * {@code U}, the {@code &} and the quote: the scan reads the three as tokens, so the filter lets
   * every such text through (a random run found {@code "secret-access-key"u &'v1'} skipped: the
   * filter knew {@code U&'} written together only).
   */
  @org.junit.jupiter.api.Test
  void theFilterReadsUnicodeLiteralsWrittenApart() {
    List<String> gaps = List.of("", " ", "\n", "\t", " /* c */ ", " -- c\n", "\r\n");
    int found = 0;
    for (String name : List.of("\"secret-access-key\"", "\"Session Token\"", "passwd", "secret_access_key", "PASSWORD",
        "\"a\"\" passwd\"", "x", "token_type")) {
      for (String u : List.of("u", "U")) {
        for (String first : gaps) {
          for (String second : gaps) {
            for (String third : gaps) {
              String sql = name + first + u + second + "&" + third + "'v1'";
              List<Span> scanned = SecretSpans.findScanningAll(sql);
              found += scanned.isEmpty() ? 0 : 1;
              assertThat(SecretSpans.find(sql)).as(sql).isEqualTo(scanned);
            }
          }
        }
      }
    }
    assertThat(found).isPositive();
  }

  /**
   * A PL/pgSQL declaration of a variable named as a secret or a lookalike, with a type between the
   * name and its value ({@code declare passwd varchar(20) := 'v1'}): the filter lets every such text
   * through to the scan (a random run found it skipped, so the value was printed unmasked).
   */
  @org.junit.jupiter.api.Test
  void theFilterReadsDeclarationsWithATypeBeforeTheValue() {
    int found = 0;
    for (String name : List.of("passwd", "db_passwd", "secret_acess_key", "\"Session Token\"", "password", "x")) {
      for (String type : List.of("varchar", "text", "varchar(20)", "character varying ( 64 )",
          "secret_acess_keysecret_acess_keysecret_acess_key", "pg_catalog.text")) {
        for (String gap : List.of(":=", " := ", " :=\n ", " /* c */ := ")) {
          for (String value : List.of("'v1'", "$$v1$$", "E'v1'")) {
            String sql = "declare " + name + " " + type + gap + value + ";";
            List<Span> scanned = SecretSpans.findScanningAll(sql);
            found += scanned.isEmpty() ? 0 : 1;
            assertThat(SecretSpans.find(sql)).as(sql).isEqualTo(scanned);
          }
        }
      }
    }
    assertThat(found).isPositive();
  }

  @Property(tries = 3000)
  void theFilterNeverSkipsATextTheScanFindsASecretIn(@ForAll("texts") String sql) {
    List<Span> scanned = SecretSpans.findScanningAll(sql);
    Statistics.label("secret").collect(!scanned.isEmpty());
    assertThat(SecretSpans.find(sql)).as(sql).isEqualTo(scanned);
  }
}
