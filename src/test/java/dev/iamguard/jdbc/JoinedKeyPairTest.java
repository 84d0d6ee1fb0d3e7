package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An access key id and its secret pasted as one value where a role, a function or a database
 * belongs, joined by one character in either order ({@code AKIA...:wJalr...}, the usual paste of a
 * pair): the secret was printed whole in the exception and the audit line (probe 22c F1: 60 of 78
 * cases; only white space and {@code , ; &} split a value into pieces), also a secret holding
 * {@code //} or ending in {@code /}, and a joiner that is a letter, a digit, {@code /} or a backslash
 * (which Redshift drops: no joiner at all; probe 22d F1). Every slot, every printable joiner, both
 * orders, through the driver on H2 with an audit file: neither the key id nor the secret appears in
 * the exception (with its causes) or the audit file, and the statement is refused.
 */
class JoinedKeyPairTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final List<String> SLOTS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role '%s'",
      "copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + ",%s'",
      "grant assumerole on '%s' to user1 for copy",
      "create external function f() returns int stable lambda '%s' iam_role '" + ROLE + "'",
      "create external schema s from data catalog database '%s' iam_role '" + ROLE + "'",
      "create external schema s from data catalog database 'exampledb' iam_role '" + ROLE + "' catalog_role '%s'",
      "copy t from 's3://acmedata/redshift/x' credentials 'aws_iam_role=%s'",
      "unload ('select 1') to 's3://acmedata/redshift/unload/x' iam_role '%s'",
      "copy t from 'dynamodb://%s' iam_role '" + ROLE + "' readratio 50");
  /** Every printable ASCII character but the quote (which would end the literal) joins them. */
  private static final String JOINERS = joiners();
  private static final String PUNCTUATION = JOINERS.replaceAll("[A-Za-z0-9]", "");
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  @TempDir
  Path dir;

  @Test
  void aKeyPairJoinedByAnyCharacterIsNeverPrinted() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Random random = new Random(20261202L);
    List<String> printed = new ArrayList<>();
    int cases = 0;
    try (Connection connection = open(audit)) {
      for (String slot : SLOTS) {
        for (char joiner : JOINERS.toCharArray()) {
          for (boolean keyFirst : new boolean[] {true, false}) {
            String keyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
            // a secret's shape (upper, lower, digits), plain, holding // (about one key in a hundred) or ending in /
            String secret = switch (cases % 3) {
              case 0 -> chars(random, BASE64, 37) + "aZ9";
              case 1 -> chars(random, BASE64, 10) + "//" + chars(random, BASE64, 25) + "aZ9";
              default -> "aZ9" + chars(random, BASE64, 36) + "/";
            };
            String sql = String.format(slot, keyFirst ? keyId + joiner + secret : secret + joiner + keyId);
            String thrown = thrownBy(connection, sql);
            assertThat(thrown).as("refused: %s", sql).isNotEmpty();
            String logged = Files.exists(audit) ? Files.readString(audit) : "";
            for (String value : List.of(keyId, secret)) {
              if (thrown.contains(value) || logged.contains(value)) {
                printed.add(joiner + (keyFirst ? " key first " : " secret first ") + slot);
              }
            }
            cases++;
          }
        }
      }
    }
    assertThat(printed).as("printed in %d cases", cases).isEmpty();
    assertThat(cases).isEqualTo(SLOTS.size() * JOINERS.length() * 2);
  }

  /**
   * Joined by two or three characters ({@code ::}, {@code ->}, {@code ..}), and a secret or a token
   * alone with one character glued before or after it ({@code 'wJalr....'}): no separator cuts such
   * a value into pieces, and the finding messages quoted it whole (probe 23d F4).
   */
  @Test
  void aKeyPairJoinedBySeveralCharactersOrASecretWithPunctuationIsNeverPrinted() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Random random = new Random(20261203L);
    List<String> printed = new ArrayList<>();
    int cases = 0;
    try (Connection connection = open(audit)) {
      for (String slot : SLOTS) {
        for (int i = 0; i < 40; i++) {
          String keyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
          String secret = chars(random, BASE64, 37) + "aZ9";
          String token = "IQoJb3JpZ2luX2Vj" + chars(random, BASE64, 100) + "aZ9==";
          // a letter or a digit glued to a secret makes another word, which no shape tells from a name
          String joiner = chars(random, PUNCTUATION, 2 + random.nextInt(2));
          String glued = chars(random, PUNCTUATION, 1);
          String value = switch (i % 5) {
            case 0 -> keyId + joiner + secret;
            case 1 -> secret + joiner + keyId;
            case 2 -> keyId + joiner + secret + joiner + token;
            case 3 -> i % 2 == 0 ? secret + glued : glued + secret;
            default -> i % 2 == 0 ? token + glued : glued + token;
          };
          String sql = String.format(slot, value);
          String thrown = thrownBy(connection, sql);
          assertThat(thrown).as("refused: %s", sql).isNotEmpty();
          String logged = Files.exists(audit) ? Files.readString(audit) : "";
          for (String secretPart : List.of(keyId, secret, token.substring(0, 60))) {
            if (value.contains(secretPart) && (thrown.contains(secretPart) || logged.contains(secretPart))) {
              printed.add(value.replace(secretPart, "<secret>") + " in " + slot);
            }
          }
          cases++;
        }
      }
    }
    assertThat(printed).as("printed in %d cases", cases).isEmpty();
    assertThat(cases).isEqualTo(SLOTS.size() * 40);
  }

  /** A guarded H2 connection of user1 that writes its audit lines to {@code audit}. */
  private Connection open(Path audit) throws SQLException {
    Properties settings = TestRegistry.properties("user1");
    settings.setProperty("iamguard.audit-file", audit.toString());
    settings.setProperty("iamguard.local-s3", dir.resolve("s3").toString());
    return DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings);
  }

  /** The stack trace (with causes) of what running {@code sql} threw; empty when it ran. */
  private static String thrownBy(Connection connection, String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return "";
    } catch (SQLException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return trace.toString();
    }
  }

  private static String joiners() {
    StringBuilder all = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      if (c != '\'') {
        all.append(c);
      }
    }
    return all.toString();
  }

  private static String chars(Random random, String alphabet, int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
