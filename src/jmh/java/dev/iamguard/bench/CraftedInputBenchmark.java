package dev.iamguard.bench;

import dev.iamguard.cli.Main;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Input crafted to be slow (goals: linear time, no parse without a bound).
 *
 * <p>{@code backslashLiteral}: {@code Guard.inspect} of a statement holding a 1 MB literal made of
 * backslash escapes ({@code escapes}: {@code \\}, {@code \'}, {@code \n''}, a bit string of
 * backslashes), followed by a COPY; goal under 50 ms. {@code explainJson}: {@code iamguard explain
 * --format json} of one crafted statement of about 1 KB ({@code shape}), JSqlParser included;
 * goal under 1 s. Each invocation changes a comment in the statement, so no cache hides the work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CraftedInputBenchmark {
  static final int MEGABYTE = 1 << 20;

  /** A 1 MB literal of escapes, then a COPY. */
  @State(Scope.Thread)
  public static class Literal {
    @Param({"backslashPairs", "escapedQuotes", "newlinesAndDoubledQuotes", "bitString"})
    public String escapes;

    Guard guard;
    Session session;
    String sql;

    @Setup(Level.Trial)
    public void load() throws Exception {
      guard = new Guard(RegistryLoader.load(Path.of(System.getProperty("iamguard.registry", "samples/registry.yaml"))));
      session = Session.of("user1", null);
      String body = switch (escapes) {
        case "backslashPairs" -> "'" + "\\\\".repeat(MEGABYTE / 2) + "'";
        case "escapedQuotes" -> "'" + "\\'".repeat(MEGABYTE / 2) + "'";
        case "newlinesAndDoubledQuotes" -> "'" + "\\n''".repeat(MEGABYTE / 4) + "'";
        default -> "B'" + "\\".repeat(MEGABYTE) + "'";
      };
      sql = "select " + body + " as x;\ncopy t from 's3://acmedata/redshift/x' iam_role default";
    }
  }

  /** One crafted statement of about 1 KB, written to a file for the CLI. */
  @State(Scope.Thread)
  public static class Crafted {
    @Param({"deepParentheses", "complexDepth6", "conditionDepth10", "nestedFunctions", "nestedCase", "concatenation",
        "continuedLiteral", "nestedComments", "dynamicSql"})
    public String shape;

    Path file;
    String statement;
    long invocation;

    @Setup(Level.Trial)
    public void load() throws IOException {
      statement = crafted(shape);
      file = Files.createTempFile("iamguard-crafted-", ".sql");
      file.toFile().deleteOnExit();
    }
  }

  /** One statement of about 1 KB in the given shape; {@code %d} is where the invocation number goes. */
  static String crafted(String shape) {
    return switch (shape) {
      case "deepParentheses" -> "unload ('select " + "(".repeat(480) + "1" + ")".repeat(480)
          + " /* %d */') to 's3://acmedata/redshift/unload/x_' iam_role default";
      case "complexDepth6" -> "unload ('select * from t where " + "(".repeat(6) + "a = 1 or b"
          + ")".repeat(6) + " junk junk /* %d */ " + "x ".repeat(380) + "') to 's3://acmedata/redshift/unload/x_' iam_role default";
      case "conditionDepth10" -> "unload ('select * from t where " + "(".repeat(10) + "a = 1"
          + ")".repeat(10) + " and (b in (select c from d where e = f)) /* %d */ " + "and g = 1 ".repeat(80)
          + "') to 's3://acmedata/redshift/unload/x_' iam_role default";
      case "nestedFunctions" -> "unload ('select " + "coalesce(".repeat(30) + "a" + ", 1)".repeat(30)
          + " from t /* %d */ " + "-- pad\n".repeat(90) + "') to 's3://acmedata/redshift/unload/x_' iam_role default";
      case "nestedCase" -> "unload ('select " + "case when a = 1 then ".repeat(30) + "1" + " else 2 end".repeat(30)
          + " from t /* %d */') to 's3://acmedata/redshift/unload/x_' iam_role default";
      case "concatenation" -> "unload ('select " + "a || ".repeat(200) + "b from t /* %d */') to "
          + "'s3://acmedata/redshift/unload/x_' iam_role default";
      case "continuedLiteral" -> "copy t from 's3://acmedata/redshift/x' /* %d */ iam_role " + "'a'\n".repeat(240) + "''";
      case "nestedComments" -> "unload ('select 1 /* %d */') to 's3://acmedata/redshift/unload/x_' iam_role default "
          + "/*".repeat(240) + "*/".repeat(240);
      default -> "create procedure p() as $$ begin /* %d */ " + "execute 'copy t from ''s3://acmedata/redshift/x'' "
          + "iam_role default'; ".repeat(13) + "end; $$ language plpgsql";
    };
  }

  @Benchmark
  public Decision backslashLiteral(Literal state) {
    return state.guard.inspect(state.sql, state.session);
  }

  @Benchmark
  public String explainJson(Crafted state) {
    try {
      Files.writeString(state.file, String.format(state.statement, state.invocation++), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringWriter out = new StringWriter();
    int code = Main.execute(new String[] {"explain", "--format", "json", state.file.toString()}, new PrintWriter(out),
        new PrintWriter(new StringWriter()));
    if (code != 0) {
      throw new IllegalStateException("explain failed: " + code);
    }
    return out.toString();
  }
}
