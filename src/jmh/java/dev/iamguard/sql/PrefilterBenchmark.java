package dev.iamguard.sql;

import dev.iamguard.bench.InspectBenchmark;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the hot path costs on a text it sees for the first time, the prefilter against the lexer
 * pass it replaces: InspectBenchmark's 2 KB SELECT ({@code select2k*}), a short SELECT, and an
 * INSERT as a batch entry. {@code scan*} is {@link SqlScript#scan} (prefilter, then the lexer only
 * when the prefilter cannot prove the text clean); {@code lexer*} is the lexer pass alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrefilterBenchmark {
  private String select2k;
  private final String select = "select o.order_id, o.customer_id, c.name from orders o join customers c"
      + " on c.id = o.customer_id where o.status = 'shipped' order by o.order_id limit 100";
  private final String insert = "insert into audit_log (batch, step, at, note) values (17, 'loaded', getdate(), 'x')";

  @Setup
  public void texts() {
    select2k = InspectBenchmark.plainSelectText();
    for (String text : new String[] {select2k, select, insert}) {
      if (!Prefilter.clean(text) || Lexer.scan(text) != SessionEffects.NONE) {
        throw new IllegalStateException("not a clean text: " + text);
      }
    }
  }

  @Benchmark
  public int scan2k() {
    return SqlScript.scan(select2k);
  }

  @Benchmark
  public int lexer2k() {
    return Lexer.scan(select2k);
  }

  @Benchmark
  public int scanSelect() {
    return SqlScript.scan(select);
  }

  @Benchmark
  public int lexerSelect() {
    return Lexer.scan(select);
  }

  @Benchmark
  public int scanInsert() {
    return SqlScript.scan(insert);
  }

  @Benchmark
  public int lexerInsert() {
    return Lexer.scan(insert);
  }
}
