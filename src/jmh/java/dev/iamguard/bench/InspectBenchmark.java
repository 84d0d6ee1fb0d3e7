package dev.iamguard.bench;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RegistryLoader;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code Guard.inspect} on its own: a COPY through a two-role chain (allowed), an UNLOAD whose
 * query joins three tables, a 2 KB SELECT without any auth clause, and a 1 MB script of mixed
 * statements (MB/s = 1,048,576 / (ns per op) * 1e9 / 1e6).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InspectBenchmark {
  static final String COPY_CHAIN = "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role "
      + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB' delimiter '|'";
  static final String UNLOAD_WITH_QUERY = "unload ('select v.venuename, e.eventname, sum(s.pricepaid) "
      + "from venue v join event e on e.venueid = v.venueid join sales s on s.eventid = e.eventid "
      + "where s.saletime > ''2026-01-01'' group by v.venuename, e.eventname') "
      + "to 's3://companyb/redshift/venue_sales_' iam_role "
      + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB' parallel off";

  private Guard guard;
  private Session session;
  private String plainSelect;
  private String largeScript;

  @Setup(Level.Trial)
  public void load() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of(System.getProperty("iamguard.registry", "samples/registry.yaml"))));
    session = Session.of("user1", null);
    StringBuilder select = new StringBuilder("select o.order_id, o.customer_id, c.name, c.email");
    int column = 0;
    while (select.length() < 1900) {
      select.append(", o.attribute_").append(column).append(" as \"Attribute ").append(column++).append('"');
    }
    plainSelect = select.append(" from orders o join customers c on c.id = o.customer_id where o.status = 'shipped' and o.note <> 'it''s -- not a comment'").toString();
    String[] statements = {
        "select a, b, 'it''s; fine' from t where x = 1;\n",
        COPY_CHAIN + ";\n",
        "insert into t values (1, 'x'), (2, 'y'); -- comment ;\n",
        UNLOAD_WITH_QUERY + ";\n",
        "/* block ; comment */ update t set a = a + 1 where b like 'x%';\n",
        "create table if not exists staging_sales (id int, venueid int, saletime timestamp, qty int);\n",
        "delete from staging_sales where saletime < current_date - 30;\n"};
    StringBuilder script = new StringBuilder(1 << 20);
    for (int i = 0; script.length() < (1 << 20); i++) {
      script.append(statements[i % statements.length]);
    }
    largeScript = script.substring(0, script.lastIndexOf(";\n") + 2);
    for (String sql : new String[] {COPY_CHAIN, UNLOAD_WITH_QUERY, plainSelect}) {
      Decision decision = guard.inspect(sql, session);
      if (decision.verdict() != Verdict.ALLOW) {
        throw new IllegalStateException("benchmark statement is not allowed: " + decision.findings());
      }
    }
  }

  @Benchmark
  public Decision copyChain() {
    return guard.inspect(COPY_CHAIN, session);
  }

  @Benchmark
  public Decision unloadWithQuery() {
    return guard.inspect(UNLOAD_WITH_QUERY, session);
  }

  @Benchmark
  public Decision plainSelect() {
    return guard.inspect(plainSelect, session);
  }

  @Benchmark
  public Decision largeScript() {
    return guard.inspect(largeScript, session);
  }
}
