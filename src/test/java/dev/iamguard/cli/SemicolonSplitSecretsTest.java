package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret value split from its keyword by a semicolon (red-team review: {@code copy ...
 * secret_access_key\n;\n'SeKrEt04';} printed {@code "sql":"'SeKrEt04'"} in {@code check --format
 * json}): the whole text masks it, and so must every output that prints the statements one by one.
 * Generated over every secret keyword (a lookalike and a quoted one too), what may stand between it
 * and the semicolon, the gap after the semicolon, and every literal form of the value; the script is
 * read whole, streamed from standard input in pieces, and run statement by statement on H2.
 */
class SemicolonSplitSecretsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final List<String> STATEMENTS = List.of(
      "copy t from 's3://acmedata/redshift/x' iam_role default secret_access_key",
      "copy t from 's3://acmedata/redshift/x' ACCESS_KEY_ID",
      "copy t from 's3://acmedata/redshift/x' session_token",
      "copy t from 's3://acmedata/redshift/x' credentials",
      "copy t from 's3://acmedata/redshift/x' \"secret_access_key\"",
      "copy t from 's3://acmedata/redshift/x' secret_acess_key",
      "unload ('select 1') to 's3://acmedata/redshift/u/' iam_role default encrypted master_symmetric_key",
      "alter user bob password",
      "create user carol PASSWORD");
  private static final List<String> BEFORE_SEMICOLON = List.of("", " =", " AS", " :=", "\n(", " (");
  private static final List<String> AFTER_SEMICOLON = List.of("\n", " ", "\n\n  ", "\r\n", "");
  private static final List<String> VALUES = List.of("'%s'", "E'%s'", "$$%s$$", "$t$%s$t$", "U&'%s'", "'%s'\n'9'");

  @TempDir
  Path dir;

  /** The script of every combination, and the values it holds (each unique: a leak names its case). */
  private record Script(String text, List<String> secrets) {}

  private static Script script(int copies) {
    StringBuilder text = new StringBuilder();
    List<String> secrets = new ArrayList<>();
    int n = 0;
    for (int copy = 0; copy < copies; copy++) {
      for (String statement : STATEMENTS) {
        for (String before : BEFORE_SEMICOLON) {
          String secret = "SeKrEt" + (10000 + n);
          String value = String.format(VALUES.get(n % VALUES.size()), secret);
          text.append(statement).append(before).append(AFTER_SEMICOLON.get(n % AFTER_SEMICOLON.size())).append(";")
              .append(AFTER_SEMICOLON.get((n / 2) % AFTER_SEMICOLON.size())).append(value).append(";\n")
              .append("select 'kept").append(n).append("';\n");
          secrets.add(secret);
          n++;
        }
      }
    }
    return new Script(text.toString(), secrets);
  }

  @Test
  void everyCheckFormatMasksAValueSplitFromItsKeyword() throws Exception {
    Script script = script(1);
    Path file = Files.writeString(dir.resolve("split.sql"), script.text());
    assertThat(Redactor.redact(script.text())).as("the whole text masks them").doesNotContain("SeKrEt");
    for (String format : List.of("json", "text", "sarif")) {
      CliRun run = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--verbose", "--format", format,
          file.toString());
      assertThat(leaks(run.out() + run.err(), script)).as(format).isEmpty();
      if (format.equals("json")) {
        assertThat(run.out()).contains("select 'kept3'"); // the statements after are printed as they are
      }
    }
  }

  /** Streamed from standard input, a value may start the next piece: the keyword is carried over. */
  @Test
  void aStreamedScriptMasksItAcrossPieces() {
    Script script = script(40);
    CliRun run = CliRun.withStdin(script.text(), "check", "--registry", REGISTRY, "--user", "user1", "--format", "json", "-");
    assertThat(run.out()).contains("kept");
    assertThat(leaks(run.out() + run.err(), script)).isEmpty();
  }

  /**
   * {@code run} sends each statement on its own and stops at the first that fails: the statement
   * ending with the keyword, which no database takes, so the value alone is never sent; were it sent,
   * the database's echo of it is masked with the secrets found after the carried keyword.
   */
  @Test
  void runNeverPrintsTheValue() throws Exception {
    for (String statement : STATEMENTS) {
      for (int v = 0; v < VALUES.size(); v++) {
        String secret = "SeKrEt" + (20000 + v);
        String text = "select 1;\n" + statement + "\n;\n" + String.format(VALUES.get(v), secret) + ";\n";
        Path file = Files.writeString(dir.resolve("run" + v + ".sql"), text);
        CliRun run = CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY,
            "--user", "user1", "--local-s3", dir.resolve("s3").toString(), file.toString());
        assertThat(run.out() + run.err()).as(text).doesNotContain(secret);
        String alone = "alter user bob password\n;\n" + String.format(VALUES.get(v), secret) + ";\n";
        assertThat(Redactor.redactMessage("Syntax error in SQL statement \"" + String.format(VALUES.get(v), secret) + "\"",
            Redactor.secretsAfter("password", String.format(VALUES.get(v), secret)))).as(alone).doesNotContain(secret);
      }
    }
  }

  private static List<String> leaks(String printed, Script script) {
    return script.secrets().stream().filter(printed::contains).toList();
  }
}
