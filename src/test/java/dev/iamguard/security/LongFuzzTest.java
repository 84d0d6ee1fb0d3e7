package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SqlScript;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long fuzz run ({@code mvn -B -Pfuzz verify}; not in CI): hundreds of megabytes of mutated
 * scripts through the lexer, grammar, guard and redactor. Nothing may throw; sizes double, and
 * the time per megabyte is printed to show it stays flat (linear time). It also holds the timing
 * goals of issue 10: a 1 MB literal of backslash escapes inspects in under 50 ms, and
 * {@code explain --format json} of a crafted 1 KB statement takes under a second.
 */
@Tag("long")
class LongFuzzTest {
  @Test
  void megabytesOfMutatedScriptsNeverThrow() throws Exception {
    Guard guard = SampleGuard.load();
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

  /** Goal (issue 10): a statement holding a 1 MB literal of backslash escapes inspects in under 50 ms. */
  @Test
  void aMegabyteLiteralOfEscapesIsInspectedWellUnderFiftyMilliseconds() throws Exception {
    Guard guard = SampleGuard.load();
    Session session = Session.of("user1", null);
    for (String escape : new String[] {"\\\\", "\\'", "\\n''"}) {
      String sql = "select '" + escape.repeat((1 << 20) / escape.length()) + "' as x;\n"
          + "copy t from 's3://acmedata/redshift/x' iam_role default";
      long[] times = new long[9];
      for (int run = 0; run < 20 + times.length; run++) { // the first 20 warm the JIT up
        long start = System.nanoTime();
        assertThat(guard.inspect(sql, session).verdict()).isNotNull();
        if (run >= 20) {
          times[run - 20] = System.nanoTime() - start;
        }
      }
      java.util.Arrays.sort(times);
      long median = times[times.length / 2] / 1_000_000;
      System.out.printf("long: 1 MB literal of %s escapes: median %d ms (best %d ms)%n", escape, median, times[0] / 1_000_000);
      assertThat(median).as("median ms for 1 MB of " + escape).isLessThan(50);
    }
  }

  /** Goal (issue 10): {@code explain --format json} of any crafted 1 KB statement takes under a second. */
  @Test
  void explainOfCraftedKilobyteStatementsTakesUnderASecond(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Random random = new Random(2610);
    String[] opens = {"(", "coalesce(", "abs(", "case when a = 1 then ", "(select ", "((", "array["};
    String[] closes = {")", ", 1)", ")", " else 0 end", " from t)", "))", "]"};
    String[] fillers = {"a", "1", "'x''y'", "'a\\\\b'", "a || b", "/* c */ x", "-- c\n y", "$$z$$", "'p'\n'q'", "a = 1 or b",
        "a in (1, 2)", "f(x)", "junk junk"};
    long slowest = 0;
    for (int i = 0; i < 300; i++) {
      StringBuilder query = new StringBuilder("select ");
      int depth = random.nextInt(40);
      int[] kinds = new int[depth];
      for (int d = 0; d < depth; d++) {
        kinds[d] = random.nextInt(opens.length);
        query.append(opens[kinds[d]]).append(random.nextBoolean() ? fillers[random.nextInt(fillers.length)] + " + " : "");
      }
      while (query.length() < 900) {
        query.append(fillers[random.nextInt(fillers.length)]).append(random.nextBoolean() ? " and " : " || ");
      }
      query.append('1');
      for (int d = depth - 1; d >= 0; d--) {
        query.append(closes[kinds[d]]);
      }
      String statement = "unload ('" + query.toString().replace("'", "''") + " /* " + i + " */') to "
          + "'s3://acmedata/redshift/unload/x_' iam_role default";
      Path file = dir.resolve("q" + i + ".sql");
      java.nio.file.Files.writeString(file, statement);
      long start = System.nanoTime();
      int code = dev.iamguard.cli.Main.execute(new String[] {"explain", "--format", "json", file.toString()},
          new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(code).isZero();
      assertThat(ms).as("explain of crafted statement " + i + " (depth " + depth + ")").isLessThan(1000);
      slowest = Math.max(slowest, ms);
    }
    System.out.println("long: explain --format json of 300 crafted 1 KB statements: slowest " + slowest + " ms");
  }
}
