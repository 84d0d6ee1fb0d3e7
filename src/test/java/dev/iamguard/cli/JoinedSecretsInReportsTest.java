package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key pair pasted as one value where a role, a function, a database, a region or a user belongs,
 * joined by one to three characters of any kind ({@code ::}, {@code ->}, {@code =5}), and a secret or
 * a token with a character glued to it ({@code 'wJalr....'}): every face of the command line that
 * quotes what the statement holds (check in every format, explain text and JSON, suggest text and
 * JSON, run) and registry problems that quote a value. None may print the key id, the secret or the
 * token (probe 23d F4: finding messages, explain's roles, region and session user, suggest's gaps
 * and registry problems quoted them whole; only the statement's {@code sql} was masked).
 */
class JoinedSecretsInReportsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final List<String> SLOTS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role '%s';",
      "copy t from 's3://acmedata/redshift/x' iam_role '" + ROLE + ",%s';",
      "grant assumerole on '%s' to user1 for copy;",
      "create external function f() returns int stable lambda '%s' iam_role '" + ROLE + "';",
      "create external schema s from data catalog database '%s' iam_role '" + ROLE + "';",
      "create external schema s from data catalog database 'exampledb' region '%s' iam_role '" + ROLE + "';",
      "create external schema s from data catalog database 'exampledb' iam_role '" + ROLE + "' catalog_role '%s';",
      "copy t from 's3://acmedata/redshift/x' credentials 'aws_iam_role=%s';",
      "create model m from t target x function f iam_role '%s' settings (s3_bucket 'acmedata');",
      "set session authorization '%s';",
      "copy t from 'dynamodb://%s' iam_role '" + ROLE + "' readratio 50;");
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  /** Every printable ASCII character but the quote, which would end the literal. */
  private static final String PRINTABLE = printable();
  /**
   * The printable characters that are no letter or digit: a letter or a digit glued to a secret
   * makes another word of 41 characters, which no shape tells from a name (one such joiner between
   * a key id and its secret is read: {@code JoinedKeyPairTest}).
   */
  private static final String PUNCTUATION = PRINTABLE.replaceAll("[A-Za-z0-9]", "");
  private static final int VALUES_PER_SLOT = 30;

  @TempDir
  Path dir;

  @Test
  void noReportQuotesAJoinedOrGluedCredential() throws Exception {
    Random random = new Random(20261204L);
    StringBuilder script = new StringBuilder();
    List<String> secrets = new ArrayList<>();
    for (String slot : SLOTS) {
      for (int i = 0; i < VALUES_PER_SLOT; i++) {
        String keyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        String secret = chars(random, BASE64, 37) + "aZ9";
        String token = "IQoJb3JpZ2luX2Vj" + chars(random, BASE64, 100) + "aZ9==";
        String joiner = chars(random, PUNCTUATION, 1 + random.nextInt(3));
        String glued = chars(random, PUNCTUATION, 1);
        String value = switch (i % 5) {
          case 0 -> keyId + joiner + secret;
          case 1 -> secret + joiner + keyId;
          case 2 -> keyId + joiner + secret + joiner + token;
          case 3 -> i % 2 == 0 ? secret + glued : glued + secret;
          default -> i % 2 == 0 ? token + glued : glued + token;
        };
        script.append(String.format(slot, value)).append('\n');
        for (String part : List.of(keyId, secret, token.substring(0, 60))) {
          if (value.contains(part)) {
            secrets.add(part);
          }
        }
      }
    }
    Path file = Files.writeString(dir.resolve("pasted.sql"), script);
    String name = file.toString();

    List<CliRun> runs = new ArrayList<>();
    for (String format : List.of("text", "json", "sarif")) {
      runs.add(CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--verbose", "--format", format, name));
    }
    runs.add(CliRun.of("explain", name));
    runs.add(CliRun.of("explain", "--format", "json", name));
    runs.add(CliRun.of("suggest", name));
    runs.add(CliRun.of("suggest", "--format", "json", name));
    runs.add(CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY, "--user", "user1",
        "--local-s3", dir.resolve("s3").toString(), name));
    new ObjectMapper().readTree(runs.get(1).out());
    new ObjectMapper().readTree(runs.get(2).out());
    new ObjectMapper().readTree(runs.get(4).out());
    new ObjectMapper().readTree(runs.get(6).out());
    assertThat(runs.get(0).out()).contains("DENY"); // the statements were read and judged

    for (CliRun run : runs) {
      String printed = run.out() + run.err();
      assertThat(secrets.stream().filter(printed::contains).map(s -> around(printed, s)).toList()).isEmpty();
    }
  }

  @Test
  void registryProblemsDoNotQuoteThem() throws Exception {
    Random random = new Random(20261205L);
    String sample = Files.readString(Path.of(REGISTRY));
    for (int i = 0; i < 12; i++) {
      String keyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
      String secret = chars(random, BASE64, 37) + "aZ9";
      String joiner = chars(random, PUNCTUATION.replace("\"", "").replace("\\", ""), 1 + i % 3);
      String value = i % 2 == 0 ? keyId + joiner + secret : secret + joiner + keyId;
      Path registry = Files.writeString(dir.resolve("r" + i + ".yaml"), sample.replaceFirst(
          "attached_roles:\\s*\\n", "attached_roles:\n      - \"" + value.replace("\\", "\\\\") + "\"\n"));
      for (CliRun run : List.of(CliRun.of("registry", "validate", registry.toString()),
          CliRun.of("check", "--registry", registry.toString(), "--user", "user1", "-"))) {
        assertThat(run.code()).as(value).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out() + run.err()).as(value).doesNotContain(keyId).doesNotContain(secret);
      }
    }
  }

  /**
   * A key glued to the folders of a policy file's name or an alias ({@code iam/<secret>.json},
   * {@code ab/<key id>}): registry problems quote the value, never the key (probe 24c F2).
   */
  @Test
  void registryProblemsDoNotQuoteAKeyInAFolder() throws Exception {
    Random random = new Random(20261206L);
    String sample = Files.readString(Path.of("samples/registry-iam.yaml"));
    for (int i = 0; i < 16; i++) {
      String keyId = "AKIA" + chars(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
      String secret = chars(random, BASE64, 37) + "aZ9";
      String key = i % 2 == 0 ? secret : keyId;
      String folders = chars(random, "abcdefghijklmnopqrstuvwxyz0123456789", 4 + i % 5) + "/" + (i % 4 < 2 ? "" : "team7/");
      String registryText = i % 3 == 0
          ? sample.replace("trust: iam/RoleA.trust.json", "trust: \"" + folders + key + ".json\"")
          : sample.replace("alias: copy-unload", "alias: \"" + folders + key + "\"");
      Path registry = Files.writeString(dir.resolve("glued" + i + ".yaml"), registryText);
      Files.createDirectories(dir.resolve("iam"));
      for (String file : List.of("RedshiftCopyUnload.trust.json", "RedshiftCopyUnload.s3.json", "RoleA.trust.json",
          "RoleA.permissions.json", "RoleB.trust.json", "RoleB.s3.json")) {
        Files.copy(Path.of("samples/iam", file), dir.resolve("iam").resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      for (CliRun run : List.of(CliRun.of("registry", "validate", registry.toString()),
          CliRun.of("check", "--registry", registry.toString(), "--user", "user1", "-"))) {
        assertThat(run.code()).as(registryText).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out() + run.err()).as(key).contains(i % 3 == 0 ? "policy_files.trust" : "alias")
            .doesNotContain(key);
      }
    }
  }

  private static String around(String printed, String secret) {
    int at = printed.indexOf(secret);
    return printed.substring(Math.max(0, at - 150), Math.min(printed.length(), at + secret.length() + 30));
  }

  private static String printable() {
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
