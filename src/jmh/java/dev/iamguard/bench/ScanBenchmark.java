package dev.iamguard.bench;

import dev.iamguard.sql.SqlScript;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hot path's one lexer pass on its own ({@link SqlScript#needsInspection}): what a statement
 * without an auth-carrying command costs the first time the guard sees its text (repeats of the
 * same text cost a comparison). Texts: a typical SELECT, an INSERT, a 64 KiB script of statements
 * without auth clauses, and a bare COMMIT.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScanBenchmark {
  private String select;
  private String insert;
  private String script;

  @Setup
  public void texts() {
    select = "select o.order_id, o.customer_id, c.name, c.email from orders o join customers c on c.id = o.customer_id"
        + " where o.status = 'shipped' and o.note <> 'it''s -- not a comment' order by o.order_id limit 100";
    insert = "insert into audit_log (batch, step, at, note) values (17, 'loaded', getdate(), 'venue \"x\" /* 3 */')";
    StringBuilder text = new StringBuilder(70_000);
    for (int i = 0; text.length() < 65_536; i++) {
      text.append(switch (i % 5) {
        case 0 -> "insert into stage_" + i + " select * from venue where venueid > " + i + ";\n";
        case 1 -> "update sales set pricepaid = pricepaid * 1.01 where saleid = " + i + ";\n";
        case 2 -> "select max(saletime) from sales where eventid = " + i + " and note <> 'a;b';\n";
        case 3 -> "delete from stage_" + (i - 3) + " where loaded_at < dateadd(day, -7, getdate());\n";
        default -> "analyze sales predicate columns;\n";
      });
    }
    script = text.toString();
  }

  @Benchmark
  public boolean select() {
    return SqlScript.needsInspection(select);
  }

  @Benchmark
  public boolean insert() {
    return SqlScript.needsInspection(insert);
  }

  @Benchmark
  public boolean script64k() {
    return SqlScript.needsInspection(script);
  }

  @Benchmark
  public boolean commit() {
    return SqlScript.needsInspection("COMMIT");
  }
}
