package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret written in a shape Redshift refuses is still a secret: its value split into literals
 * joined by {@code ||} or written side by side on one line, put in parentheses, after {@code :=}
 * or {@code =>}, or after a semicolon (in the next statement); the value after a keyword written
 * in double quotes ({@code "secret_access_key"}); a CREDENTIALS string in double quotes or without
 * quotes. For every keyword, spelling, separator and statement (auth-carrying ones the guard
 * denies, others the database refuses and quotes), no part of the value reaches the redacted SQL,
 * the application's error, or the JSON Lines audit file.
 */
class SecretValueShapesTest {
  private static final String ONE = "Pa7tOne";
  private static final String TWO = "Pa7tTwo";

  private static final List<String> KEYWORDS =
      List.of("secret_access_key", "access_key_id", "session_token", "master_symmetric_key", "password",
          "secret_acess_key", "aws_session_token"); // the last two misspelt or decorated: Redshift refuses them
  private static final List<String> SEPARATORS = List.of(" ", "\t", "\n  ", " /* why */ ", " -- why\n");
  /** How the keyword may be spelled: as written, upper case, in double quotes (Redshift takes none as its keyword). */
  private static final List<String> SPELLINGS = List.of("%s", "%S", "\"%s\"", "\"%S\"");
  private static final List<String> VALUES = List.of(
      "'" + ONE + "' || '" + TWO + "'",
      "'" + ONE + "' '" + TWO + "'",
      "E'" + ONE + "' || $t$" + TWO + "$t$",
      "$$" + ONE + "$$||'" + TWO + "'",
      "('" + ONE + TWO + "')",
      ":= '" + ONE + TWO + "'",
      "=> '" + ONE + TWO + "'",
      ";\n'" + ONE + "' || '" + TWO + "'",
      "'" + ONE + TWO + "'");
  private static final List<String> HEADS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload' ",
      "unload ('select 1') to 's3://acmedata/redshift/x/' iam_role 'copy-unload' ",
      "alter user bob with ",
      "frobnicate ");

  @TempDir
  Path dir;

  static List<String> statements() {
    List<String> all = new ArrayList<>();
    for (String head : HEADS) {
      for (String keyword : KEYWORDS) {
        for (String spelling : SPELLINGS) {
          for (String separator : SEPARATORS) {
            for (String value : VALUES) {
              all.add(head + String.format(spelling, keyword) + separator + value);
            }
          }
        }
      }
      // a CREDENTIALS string in double quotes, or split over ||
      all.add(head + "credentials \"aws_access_key_id=" + ONE + ";aws_secret_access_key=" + TWO + "\"");
      all.add(head + "CREDENTIALS\n\"aws_access_key_id=" + ONE + TWO + "\"");
      all.add(head + "credentials 'aws_access_key_id=" + ONE + ";aws_secret_access_key=' || '" + TWO + "'");
      all.add(head + "credentials 'aws_iam_role=arn:aws:iam::123456789012:role/r' '" + ONE + TWO + "'");
      // a CREDENTIALS string without its quotes: split into statements at each ';'
      all.add(head + "credentials aws_access_key_id=" + ONE + ";aws_secret_access_key=" + TWO + "/K7+x;token=" + ONE + TWO);
      all.add(head + "CREDENTIALS AWS_ACCESS_KEY_ID=" + ONE + TWO + "; master_symmetric_key=" + TWO + "+/=");
    }
    return all;
  }

  private static void assertNoPart(String text, String what) {
    assertThat(text).as(what).doesNotContain(ONE).doesNotContain(TWO);
  }

  @Test
  void noPartOfTheValueSurvivesRedaction() {
    List<String> statements = statements();
    for (String sql : statements) {
      assertNoPart(Redactor.redact(sql), sql);
      assertNoPart(Redactor.redactMessage(sql), sql);
      // the parts are known secrets, so a database that quotes them in its error is masked too
      assertThat(String.join("\n", Redactor.secretsOf(sql))).as(sql).contains(ONE).contains(TWO);
    }
    assertThat(statements).hasSize(HEADS.size() * (KEYWORDS.size() * SPELLINGS.size() * SEPARATORS.size()
        * VALUES.size() + 6));
  }

  @Test
  void wordsAndComparisonsAfterAKeywordAreNotSecretValues() {
    for (String sql : List.of("select password, 'hello' from t", "select 1 from t where password > 'abc'",
        "select 1 from t where password <> 'abc'", "select \"password\" from t where x = 'abc'",
        "select session_token is null, 'abc' from t")) {
      assertThat(Redactor.redact(sql)).as(sql).isEqualTo(sql);
    }
  }

  @Test
  void noPartReachesTheApplicationOrTheAuditFile() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", "samples/registry.yaml");
    settings.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    settings.setProperty("iamguard.audit-file", audit.toString());
    settings.setProperty("user", "user1");
    int refused = 0;
    try (Connection guarded = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings);
         Statement statement = guarded.createStatement()) {
      for (String sql : statements()) {
        try {
          statement.execute(sql);
        } catch (SQLException e) {
          refused++;
          for (String message : TargetErrorsTest.messages(e)) {
            assertNoPart(message, "an error of " + sql);
          }
        }
      }
    }
    assertThat(refused).as("every statement is refused, by the guard or the database").isEqualTo(statements().size());
    String lines = Files.readString(audit, StandardCharsets.UTF_8);
    assertThat(lines.lines().count()).as("one audit line per auth-carrying statement").isGreaterThanOrEqualTo(
        statements().size() / HEADS.size() * 2);
    assertNoPart(lines, "the audit file");
  }
}
