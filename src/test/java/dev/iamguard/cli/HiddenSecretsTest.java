package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys in text the server does not read as SQL are still keys: a statement commented out inside
 * another (line or block comment, nested), or swallowed by a stray {@code /*} or {@code "} up to the
 * end of the script, or written in a quoted name. No output of any command shows them. Before the
 * fix, {@code check --format json} printed them in the statement's {@code sql} (the masking read
 * only literals after secret keywords in the SQL itself). psql scripts too: a meta-command line
 * before the statement, one whose quote or comment the server's reading runs on past, a variable.
 */
class HiddenSecretsTest {
  private static final String REGISTRY = "samples/registry.yaml";
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLETOKENvalue";

  @TempDir
  Path dir;

  /** Statements that carry a secret, each in the forms Redshift documents (the facts file, COPY authorization). */
  static List<String> carriers() {
    return List.of(
        "copy venue from 's3://acmedata/redshift/v' credentials 'aws_access_key_id=" + KEY_ID
            + ";aws_secret_access_key=" + SECRET + ";token=" + TOKEN + "'",
        "copy venue from 's3://acmedata/redshift/v' access_key_id '" + KEY_ID + "' secret_access_key '" + SECRET
            + "' session_token '" + TOKEN + "'",
        "UNLOAD ('select 1') TO 's3://acmedata/redshift/unload/x' ACCESS_KEY_ID '" + KEY_ID
            + "'\n\tSECRET_ACCESS_KEY '" + SECRET + "' SESSION_TOKEN '" + TOKEN + "'");
  }

  /** A script hiding {@code carrier} where the server would not read it as a statement. */
  static Stream<String> scripts() {
    List<String> scripts = new ArrayList<>();
    for (String carrier : carriers()) {
      for (String statement : List.of(carrier, carrier.toLowerCase(java.util.Locale.ROOT).replace("akia", "AKIA")
          .replace(SECRET.toLowerCase(java.util.Locale.ROOT), SECRET).replace(TOKEN.toLowerCase(java.util.Locale.ROOT), TOKEN))) {
        String oneLine = statement.replace('\n', ' ');
        scripts.add("select 1 -- " + oneLine + "\n;\n");
        scripts.add("select 1 --" + oneLine + "\r\n, 2;");
        scripts.add("select /* " + statement + " */ 1;\n");
        scripts.add("select /* old: /* nested */ " + statement + " */ 1;");
        scripts.add("select 1 /* " + statement + ";\n");
        scripts.add("select \"" + statement + "\" from t;");
        scripts.add("select 1 as \"x;\n" + statement + ";\n");
        scripts.add("select 1;\nselect 2 as \"oops;\n" + statement + ";\nselect 3;\n");
        // psql scripts: a meta-command line dropped, one that misleads the server's reading, a variable
        scripts.add("\\timing on\n" + statement + ";\n");
        scripts.add("\\echo it's\n" + statement + ";\n");
        scripts.add("\\echo /* go\n" + statement + ";\n");
        scripts.add("\\set q '" + statement.replace("'", "''") + "'\n:q;\n");
      }
    }
    return scripts.stream();
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void noOutputShowsTheKeys(String script) throws IOException {
    Path file = Files.writeString(dir.resolve("hidden.sql"), script);
    List<CliRun> runs = new ArrayList<>();
    for (String format : List.of("json", "sarif", "text")) {
      CliRun check = CliRun.of("check", "--registry", REGISTRY, "--user", "user1", "--verbose", "--format", format,
          file.toString());
      if (!format.equals("text")) {
        new ObjectMapper().readTree(check.out()); // parses
      }
      runs.add(check);
    }
    CliRun explain = CliRun.of("explain", "--format", "json", file.toString());
    new ObjectMapper().readTree(explain.out());
    runs.add(explain);
    runs.add(CliRun.of("explain", file.toString()));
    CliRun rewrite = CliRun.of("rewrite", "--registry", REGISTRY, "--user", "user1", file.toString());
    // denied (told first, exit 1) or refused for its secrets (exit 2): nothing printed either way
    assertThat(rewrite.code()).as("rewrite refuses a script holding keys").isIn(ExitCodes.DENIED, ExitCodes.ERROR);
    assertThat(rewrite.out()).as("rewrite prints nothing").isEmpty();
    runs.add(rewrite);
    runs.add(CliRun.of("run", "--url", "jdbc:h2:mem:" + UUID.randomUUID(), "--registry", REGISTRY, "--user", "user1",
        "--local-s3", dir.resolve("s3").toString(), file.toString()));
    for (CliRun run : runs) {
      for (String secret : List.of(SECRET, TOKEN, KEY_ID)) {
        assertThat(run.out() + run.err()).as(script).doesNotContain(secret);
      }
    }
  }
}
