package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SqlScript;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long fuzz run ({@code mvn -B -Pfuzz verify}; not in CI): hundreds of megabytes of mutated
 * scripts through the lexer, grammar, guard and redactor. Nothing may throw; sizes double, and
 * the time per megabyte is printed to show it stays flat (linear time).
 */
@Tag("long")
class LongFuzzTest {
  @Test
  void megabytesOfMutatedScriptsNeverThrow() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
    Random random = new Random(2026);
    String[] pieces = {"'", "''", "\\", "$$", "$a$", "/*", "*/", "--", "\n", ";", "\"", "?", "(", ")",
        "copy t from 's3://acmedata/redshift/x' iam_role 'copy-unload'", "unload ('select 1') to 's3://b/x' iam_role default",
        "create procedure p() as $$ begin ", " end; $$ language plpgsql", "credentials 'aws_iam_role=x'", "select 1"};
    long inputs = 0;
    for (int megabytes = 1; megabytes <= 32; megabytes *= 2) {
      StringBuilder script = new StringBuilder(megabytes << 20);
      while (script.length() < megabytes << 20) {
        script.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
      }
      long start = System.nanoTime();
      assertThat(guard.inspect(script.toString(), Session.of("user1", null)).verdict()).isNotNull();
      assertThat(Redactor.redact(script.toString())).isNotNull();
      assertThat(SqlScript.parse(script.toString()).statements()).isNotNull();
      inputs++;
      System.out.printf("long fuzz: %d MB in %d ms (%.1f ms/MB)%n", megabytes,
          (System.nanoTime() - start) / 1_000_000, (System.nanoTime() - start) / 1e6 / megabytes);
    }
    for (int i = 0; i < 20_000; i++, inputs++) {
      StringBuilder script = new StringBuilder();
      for (int k = random.nextInt(40); k >= 0; k--) {
        script.append(pieces[random.nextInt(pieces.length)]);
      }
      assertThat(guard.inspect(script.toString(), Session.of("user3", null)).verdict()).isNotNull();
    }
    System.out.println("long fuzz: " + inputs + " inputs, 0 exceptions");
  }
}
