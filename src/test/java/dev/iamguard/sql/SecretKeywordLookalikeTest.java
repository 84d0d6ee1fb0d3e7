package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A secret keyword misspelt or decorated is still followed by the secret its author meant: Redshift
 * refuses the statement, and no report may print the value. Every single edit of every secret
 * keyword (a name character inserted, dropped or replaced, two neighbours swapped), in three cases,
 * with an {@code aws_} prefix or a number after it, before every gap and literal form, is masked;
 * the option names the grammar knows, and ordinary SQL around names that hold a stem, are not.
 */
class SecretKeywordLookalikeTest {
  private static final List<String> KEYWORDS = List.of(
      "access_key_id", "secret_access_key", "session_token", "master_symmetric_key", "password", "credentials");
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_";
  private static final List<String> HEADS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload' ",
      "unload ('select 1') to 's3://acmedata/redshift/u/' iam_role default ",
      "create user bob ",
      "frobnicate ");
  private static final List<String> GAPS = List.of(" ", "\n\t", " as ", " /* why */ ", " -- why\n", " (", " := ", " => ");
  /** Literal forms around the value {@code %s}. */
  private static final List<String> FORMS = List.of(
      "'%s'", "E'%s'", "N'%s'", "U&'%s'", "$$%s$$", "$k$%s$k$", "'%s' || 'Tail0000'", "'%s");

  /** Every name one edit away from {@code keyword} (name characters only; no digit first, as that would start a number). */
  static Set<String> singleEdits(String keyword) {
    Set<String> edits = new LinkedHashSet<>();
    for (int i = 0; i <= keyword.length(); i++) {
      for (char c : NAME_CHARS.toCharArray()) {
        edits.add(keyword.substring(0, i) + c + keyword.substring(i));
        if (i < keyword.length()) {
          edits.add(keyword.substring(0, i) + c + keyword.substring(i + 1));
        }
      }
      if (i < keyword.length()) {
        edits.add(keyword.substring(0, i) + keyword.substring(i + 1));
      }
      if (i + 1 < keyword.length()) {
        edits.add(keyword.substring(0, i) + keyword.charAt(i + 1) + keyword.charAt(i) + keyword.substring(i + 2));
      }
    }
    edits.removeIf(name -> name.isEmpty() || Character.isDigit(name.charAt(0)) || name.equals(keyword));
    return edits;
  }

  private static String spelled(String name, int k) {
    return switch (k % 5) {
      case 0 -> name;
      case 1 -> name.toUpperCase(java.util.Locale.ROOT);
      case 2 -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
      case 3 -> "aws_" + name;
      default -> name + "2";
    };
  }

  @Test
  void everySingleEditOfASecretKeywordHasItsValueMasked() {
    int k = 0;
    int cases = 0;
    for (String keyword : KEYWORDS) {
      for (String name : singleEdits(keyword)) {
        String value = "Val" + k + "Secret";
        String sql = HEADS.get(k % HEADS.size()) + spelled(name, k) + GAPS.get(k % GAPS.size())
            + String.format(FORMS.get(k / 3 % FORMS.size()), value);
        String masked = SecretSpans.mask(sql, "***");
        assertThat(masked).as(sql).doesNotContain(value).doesNotContain("Val" + k).contains("***")
            .startsWith(HEADS.get(k % HEADS.size()));
        k++;
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(6_000);
  }

  @Test
  void aNearSpellingAlsoHasItsValueMaskedAfterEquals() {
    int k = 0;
    for (String keyword : KEYWORDS) {
      for (String name : singleEdits(keyword)) {
        String sql = "copy t from 's3://acmedata/redshift/x' " + spelled(name, k) + " = 'Eq" + k + "Secret'";
        assertThat(SecretSpans.mask(sql, "***")).as(sql).doesNotContain("Eq" + k + "Secret");
        k++;
      }
    }
  }

  @Test
  void twoEditsAndDecorationsAreMaskedToo() {
    List<String> names = List.of("secret_acess_kee", "sesion_tokn", "acess_key", "master_symetric_ky", "pasword1",
        "passwd", "pwd_password", "credential", "credentails", "aws_secretaccesskey", "SecretAccessKey",
        "temp_session_token", "my_secret", "api_token", "secret_key", "\"secret-access-key\"", "\"Session Token\"",
        "access_key_id_2", "AWS_ACCESS_KEY", "symmetric_key");
    for (String name : names) {
      String sql = "copy t from 's3://acmedata/redshift/x' iam_role default " + name + " 'Two0000Secret'";
      assertThat(SecretSpans.mask(sql, "***")).as(sql).doesNotContain("Two0000Secret");
    }
  }

  @Test
  void theOptionNamesTheGrammarKnowsKeepTheirValues() {
    for (String word : Keywords.words()) {
      boolean secret = List.of("CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN",
          "MASTER_SYMMETRIC_KEY").contains(word);
      for (String sql : List.of(
          "copy t from 's3://acmedata/redshift/x' iam_role default " + word + " 'Visible0001'",
          "unload ('select 1') to 's3://acmedata/redshift/u/' iam_role default " + word + " as 'Visible0001'")) {
        String masked = SecretSpans.mask(sql, "***");
        if (secret) {
          assertThat(masked).as(sql).doesNotContain("Visible0001");
        } else {
          assertThat(masked).as(sql).isEqualTo(sql);
        }
      }
    }
  }

  @Test
  void ordinarySqlAroundNamesThatHoldAStemIsLeftAlone() {
    List<String> statements = List.of(
        "delete from api_tokens where token_type = 'expired'",
        "update users set password_hint = 'blue' where secret_santa = 'bob'",
        "select token, secret from vault where tokens in ('a', 'b')",
        "insert into tokens (token_type, note) values ('bearer', 'x')",
        "create external schema p from postgres database 'd' uri 'h' iam_role default "
            + "secret_arn 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x'",
        "unload ('select 1') to 's3://acmedata/redshift/u/' iam_role default kms_key_id "
            + "'arn:aws:kms:us-east-1:123456789012:key/k' encrypted",
        "comment on column users.password_hash is 'bcrypt'",
        "select credential_type, count(*) from logins group by 1 having credential_type <> 'sso'");
    for (String sql : statements) {
      assertThat(SecretSpans.mask(sql, "***")).as(sql).isEqualTo(sql);
    }
  }

  @Test
  void distancesCountInsertionsDeletionsSubstitutionsAndSwaps() {
    assertThat(SecretKeywordLookalike.withinEdits("PASSWORD", "PASSWORD")).isTrue();
    assertThat(SecretKeywordLookalike.withinEdits("PASWORD", "PASSWORD")).isTrue(); // one deletion
    assertThat(SecretKeywordLookalike.withinEdits("PASSWD", "PASSWORD")).isTrue(); // two deletions
    assertThat(SecretKeywordLookalike.withinEdits("PSASWROD", "PASSWORD")).isTrue(); // two swaps
    assertThat(SecretKeywordLookalike.withinEdits("PASSPORT", "PASSWORD")).isTrue(); // two substitutions
    assertThat(SecretKeywordLookalike.withinEdits("PSWD", "PASSWORD")).isFalse(); // four deletions
    assertThat(SecretKeywordLookalike.withinEdits("KMSKEYID", "ACCESSKEYID")).isFalse(); // three
    assertThat(SecretKeywordLookalike.withinEdits("SECRETARN", "SECRETACCESSKEY")).isFalse();
    assertThat(SecretKeywordLookalike.withinEdits("CREDENTIALZZ", "CREDENTIALS")).isTrue(); // a substitution, an insertion
    assertThat(SecretKeywordLookalike.withinEdits("XXCREDENTIALSXX", "CREDENTIALS")).isFalse();
  }

  /**
   * The AWS documentation's SQL (../shared/corpus) keeps every role ARN and S3 URL readable: the
   * lookalike names mask values, not the statements around them.
   */
  @Test
  void theCorpusKeepsItsRoleArnsAndS3Urls() throws IOException {
    Path corpus = Path.of("..", "shared", "corpus");
    assumeTrue(Files.isDirectory(corpus), "../shared/corpus is not beside the project (CI has it): skipped");
    List<Path> files;
    try (Stream<Path> all = Files.walk(corpus)) {
      files = all.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    Pattern readable = Pattern.compile("arn:aws:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+|s3://[a-z0-9.-]+/[^'\\s]*");
    List<String> lost = new ArrayList<>();
    for (Path file : files) {
      String sql = Files.readString(file);
      String masked = SecretSpans.mask(sql, "***");
      Matcher before = readable.matcher(sql);
      while (before.find()) {
        if (!masked.contains(before.group())) {
          lost.add(file.getFileName() + ": " + before.group());
        }
      }
    }
    assertThat(lost).isEmpty();
  }
}
