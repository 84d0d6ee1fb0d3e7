package dev.iamguard.bench;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.RegistryLoader;
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
 * query joins three tables, a 2 KB SELECT without any auth clause, and a 1 MB ETL script of mixed
 * statements (MB/s = 1,048,576 / (ns per op) * 1e9 / 1e6). UNLOAD's query is not parsed by
 * JSqlParser here: the tables it reads are listed only when a report asks.
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
    plainSelect = plainSelectText();
    largeScript = largeScript(1 << 20);
    for (String sql : new String[] {COPY_CHAIN, UNLOAD_WITH_QUERY, plainSelect}) {
      Decision decision = guard.inspect(sql, session);
      if (decision.verdict() != Verdict.ALLOW) {
        throw new IllegalStateException("benchmark statement is not allowed: " + decision.findings());
      }
    }
  }

  /** A 2 KB SELECT without any auth clause: 40 aliased columns, a join, a literal holding {@code --}. */
  public static String plainSelectText() {
    StringBuilder select = new StringBuilder("select o.order_id, o.customer_id, c.name, c.email");
    int column = 0;
    while (select.length() < 1900) {
      select.append(", o.attribute_").append(column).append(" as \"Attribute ").append(column++).append('"');
    }
    return select.append(" from orders o join customers c on c.id = o.customer_id where o.status = 'shipped' and o.note <> 'it''s -- not a comment'").toString();
  }

  /**
   * An ETL script of about {@code bytes}: cycles of 20 statements where 2 COPY and 1 UNLOAD carry
   * auth clauses and the rest is the DDL, DML and queries around them; every statement is unique
   * (its numbers differ), so no cache hides the work.
   */
  static String largeScript(int bytes) {
    StringBuilder script = new StringBuilder(bytes + 4096);
    for (int i = 0; script.length() < bytes; i++) {
      String day = "2026-" + (1 + i % 12) + "-" + (1 + i % 28);
      switch (i % 20) {
        case 0 -> script.append("-- batch ").append(i).append(": load and publish\n");
        case 1 -> script.append("create temp table stage_").append(i).append(" (like sales);\n");
        case 2 -> script.append("copy stage_").append(i).append(" from 's3://companyb/redshift/sales/").append(day)
            .append("/part_").append(i).append("' iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'")
            .append(" csv ignoreheader 1 dateformat 'auto';\n");
        case 3 -> script.append("delete from sales using stage_").append(i - 2).append(" s where sales.salesid = s.salesid;\n");
        case 4 -> script.append("insert into sales select * from stage_").append(i - 3).append(" where qtysold > ").append(i % 7).append(";\n");
        case 5 -> script.append("update venue set venueseats = venueseats + ").append(i % 3).append(" where venueid = ").append(i).append(";\n");
        case 6 -> script.append("/* quality check */ select count(*), sum(pricepaid) from sales where saletime::date = '").append(day).append("';\n");
        case 7 -> script.append("copy venue_").append(i).append(" from 's3://acmedata/redshift/venue/").append(i)
            .append("/' iam_role 'copy-unload' delimiter '|' gzip;\n");
        case 8 -> script.append("analyze sales predicate columns;\n");
        case 9 -> script.append("insert into audit_log (batch, step, at) values (").append(i).append(", 'loaded', getdate());\n");
        case 10 -> script.append("create table if not exists daily_").append(i).append(" as select venueid, sum(pricepaid) revenue")
            .append(" from sales where saletime::date = '").append(day).append("' group by venueid;\n");
        case 11 -> script.append("unload ('select v.venuename, d.revenue from daily_").append(i - 1)
            .append(" d join venue v on v.venueid = d.venueid where d.revenue > ").append(i % 100)
            .append("') to 's3://acmedata/redshift/unload/daily_").append(i).append("_' iam_role default csv header parallel off;\n");
        case 12 -> script.append("drop table if exists stage_").append(i - 11).append(";\n");
        case 13 -> script.append("grant select on daily_").append(i - 3).append(" to group analysts;\n");
        case 14 -> script.append("select venueid, venuename, 'it''s ok; -- not a comment' note from venue where venueid in (")
            .append(i).append(", ").append(i + 1).append(", ").append(i + 2).append(");\n");
        case 15 -> script.append("vacuum delete only sales to 75 percent;\n");
        case 16 -> script.append("insert into venue_summary select venuestate, count(*) from venue group by venuestate having count(*) > ")
            .append(i % 5).append(";\n");
        case 17 -> script.append("comment on table daily_").append(i - 7).append(" is 'revenue per venue for ").append(day).append("';\n");
        case 18 -> script.append("select max(saletime) from sales where eventid = ").append(i).append(";\n");
        default -> script.append("commit;\n");
      }
    }
    return script.toString();
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
