package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets a script holds outside the clauses that carry them (probe 21c F3, F8, F11): psql
 * variables set by {@code \set} and put in after a secret keyword, {@code \setenv} of a secret's
 * name, a {@code \c} URI's password, procedure variables named like a secret or holding a key's
 * shape, and the arguments of {@code format()} filling a secret clause in. None reaches
 * {@code check}'s JSON (which prints every statement) or a statement's masked text, and what
 * stands around them stays readable.
 */
class ScriptSecretsTest {
  @TempDir
  Path dir;

  /** A script and the secret values in it. */
  private record Script(String text, List<String> values) {}

  private static final List<Script> SCRIPTS = List.of(
      new Script("\\set p4 '''Sekrit44abcd'''\nalter user bob password :p4;\n", List.of("Sekrit44abcd")),
      new Script("\\set p5 Sekrit45abcd\nalter user bob password :'p5';\n", List.of("Sekrit45abcd")),
      new Script("\\set k 'Sekrit41abcd'\ncopy t from 's3://acmedata/redshift/x' access_key_id 'AKIAQ3RTY7UIOPLKJHGF'"
          + " secret_access_key :k;\n", List.of("Sekrit41abcd", "AKIAQ3RTY7UIOPLKJHGF")),
      new Script("\\setenv PGPASSWORD Sekrit103abc\nselect 3;\n", List.of("Sekrit103abc")),
      new Script("\\setenv AWS_SECRET_ACCESS_KEY Sekrit106abc\nselect 6;\n", List.of("Sekrit106abc")),
      new Script("\\setenv APP_SECRET Sekrit107abc\nselect 7;\n", List.of("Sekrit107abc")),
      new Script("\\set\tdb_pass Sekrit108abc\n\\set pwd Sekrit109abc\nselect 8;\n", List.of("Sekrit108abc", "Sekrit109abc")),
      new Script("\\copy t from 'x.csv' csv\n\\set pw Sekrit110abc\nalter user bob password :pw;\n", List.of("Sekrit110abc")),
      new Script("select 1; -- see https://bob:Sekrit111abc@host/x\n", List.of("Sekrit111abc")),
      new Script("\\c postgresql://u:Sekrit102abc@host:5439/dev\nselect 2;\n", List.of("Sekrit102abc")),
      new Script("create procedure p1() as $$ declare new_password varchar(64) := 'Sekrit141abcd'; begin execute"
          + " 'alter user etl password ' || quote_literal(new_password); end; $$ language plpgsql;\n",
          List.of("Sekrit141abcd")),
      new Script("create procedure p2() as $$ declare password varchar := 'Sekrit142abcd'; begin null; end; $$"
          + " language plpgsql;\n", List.of("Sekrit142abcd")),
      new Script("create procedure p3() as $$ declare sk varchar := 'Zx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5N';"
          + " ak varchar := 'AKIAQ3RTY7UIOPLKJHGB'; begin null; end; $$ language plpgsql;\n",
          List.of("Zx9vQm2LpR7tYw4KsB1nHc8JdF6gTe3UaV0iXo5N", "AKIAQ3RTY7UIOPLKJHGB")),
      new Script("create procedure p4() as $$ begin execute format('alter user etl password %L', 'Sekrit146abcd');"
          + " end; $$ language plpgsql;\n", List.of("Sekrit146abcd")));

  @Test
  void noSecretReachesCheckOrAMaskedStatement() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
    for (Script script : SCRIPTS) {
      Path file = Files.writeString(dir.resolve("s.sql"), script.text());
      CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "json",
          file.toString());
      assertThat(run.out()).as(script.text()).contains("\"sql\":").doesNotContain(script.values());
      assertThat(run.err()).doesNotContain(script.values());

      Decision decision = guard.inspect(script.text(), Session.of("user1", null));
      for (StatementDecision statement : decision.statements()) {
        assertThat(Redactor.redact(statement.sql())).as(script.text()).doesNotContain(script.values());
      }
      assertThat(Redactor.redact(script.text())).as(script.text()).doesNotContain(script.values());
    }
  }

  /** rewrite prints nothing a report would mask: a password in a comment's URL refuses the file (probe 21d F12). */
  @Test
  void rewriteRefusesAFileHoldingAPasswordAnywhere() throws Exception {
    Path file = Files.writeString(dir.resolve("r.sql"), "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'"
        + " /* from https://bob:Sekrit112abc@host/x */;\n");
    CliRun run = CliRun.of("rewrite", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out() + run.err()).doesNotContain("Sekrit112abc");
  }

  /**
   * The variables put in after a secret keyword are found in one pass over the text: a search per
   * {@code \set} line made a script of many lines quadratic (10,000 lines 2.0 s, 40,000 lines 19.3 s; now 0.7 s).
   */
  @Test
  void manySetLinesAreReadInOnePass() {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      script.append("\\set v").append(i).append(" value").append(i).append('\n');
    }
    script.append("alter user bob password :v7;\n");

    String masked = Redactor.redact(script.toString());

    assertThat(masked).contains("\\set v7 ***\n").contains("\\set v8 value8\n");
  }

  @Test
  void whatStandsAroundASecretStaysReadable() {
    assertThat(Redactor.redact(SCRIPTS.get(11).text())).contains("declare password varchar := '***'");
    assertThat(Redactor.redact(SCRIPTS.get(3).text())).startsWith("\\setenv PGPASSWORD ***\n");
    assertThat(Redactor.redact(SCRIPTS.get(9).text())).startsWith("\\c postgresql://u:***@host:5439/dev\n");
    assertThat(Redactor.redact("\\set region us-east-1\nselect :'region';\n")).contains("us-east-1");
    // a user name alone is no secret; a location's partition folders are none either (probe 21d F6, F9)
    assertThat(Redactor.redact("select 'https://bob@example.com/x';")).isEqualTo("select 'https://bob@example.com/x';");
    assertThat(dev.iamguard.sql.SecretText.masked("S3 location s3://b/events/token=2026-01/ may not be read"))
        .isEqualTo("S3 location s3://b/events/token=2026-01/ may not be read");
    assertThat(dev.iamguard.sql.SecretText.masked("bucket name \"user:hunter2pw@acmedata\" is not valid"))
        .isEqualTo("bucket name \"user:***@acmedata\" is not valid");
  }
}
