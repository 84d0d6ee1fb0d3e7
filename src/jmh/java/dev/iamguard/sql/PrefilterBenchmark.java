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
  /**
   * About 2 KB where every 4-char block is a piece of an auth word (the search's worst case): one
   * long run of pieces, then short runs of one piece each.
   */
  private final String pieces2k = "select " + "_role_key_session".repeat(60) + " from t where " + "role, ".repeat(170) + "1";
  private final String select = "select o.order_id, o.customer_id, c.name from orders o join customers c"
      + " on c.id = o.customer_id where o.status = 'shipped' order by o.order_id limit 100";
  private final String insert = "insert into audit_log (batch, step, at, note) values (17, 'loaded', getdate(), 'x')";

  @Setup
  public void texts() {
    select2k = InspectBenchmark.plainSelectText();
    for (String text : new String[] {select2k, select, insert, pieces2k}) {
      if (!Prefilter.clean(text) || Lexer.scan(text) != SessionEffects.NONE) {
        throw new IllegalStateException("not a clean text: " + text);
      }
    }
  }

  /**
   * 4,096 unique SELECTs of about 2 KB of snake_case names (a {@code _} every few chars), read in turn:
   * the branch predictor cannot learn them, as with the fresh texts an application sends. A state of
   * its own: scanned in the other benchmarks' setup, they would change how the JIT compiles the
   * prefilter for those (scan2k ran 2.0 us instead of 0.9).
   */
  @State(Scope.Thread)
  public static class UniqueTexts {
    private static final String[] NAMES = {"order_id", "customer_name", "created_at", "is_active", "total_amount",
        "ship_to_state", "line_count", "event_ts", "product_key", "status_code", "unit_price", "last_login_at"};
    private final String[] texts = new String[4096];
    private int next;

    @Setup
    public void generate() {
      java.util.Random random = new java.util.Random(17);
      for (int i = 0; i < texts.length; i++) {
        texts[i] = snakeCaseSelect(random);
        if (!Prefilter.clean(texts[i])) {
          throw new IllegalStateException("not a clean text: " + texts[i]);
        }
      }
    }

    static String snakeCaseSelect(java.util.Random random) {
      StringBuilder select = new StringBuilder("select ");
      while (select.length() < 2000) {
        select.append("t").append(random.nextInt(9)).append('.').append(NAMES[random.nextInt(NAMES.length)])
            .append(random.nextBoolean() ? "_" + random.nextInt(100) : "").append(", ");
      }
      return select.append("1 from sales_fact t0 join dim_customer t1 on t1.customer_id = t0.customer_id"
          + " where t0.status_code = 'shipped'").toString();
    }

    String next() {
      String text = texts[next];
      next = (next + 1) & (texts.length - 1);
      return text;
    }
  }

  @Benchmark
  public int scanUnique2k(UniqueTexts unique) {
    return SqlScript.scan(unique.next());
  }

  @Benchmark
  public int scanPieces2k() {
    return SqlScript.scan(pieces2k);
  }

  @Benchmark
  public int lexerPieces2k() {
    return Lexer.scan(pieces2k);
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
