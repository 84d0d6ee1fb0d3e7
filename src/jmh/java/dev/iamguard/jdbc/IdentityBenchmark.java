package dev.iamguard.jdbc;

import dev.iamguard.policy.Decision;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What asking the server who runs a statement costs, against a real PostgreSQL (through pgjdbc or
 * the Redshift driver, as the URL says; a local server, so a round trip is a loopback one: on a
 * network add its latency to every read):
 *
 * <ul>
 *   <li>{@code rawSelectOne}: one plain round trip ({@code select 1}), the unit of comparison;
 *   <li>{@code identityRead}: the guard's identity query (user, superuser, groups, roles);
 *   <li>{@code copyDecisionCached}: deciding a COPY whose identity is cached (no round trip);
 *   <li>{@code copyDecisionAfterIdentityChange}: a text that may change the identity
 *       ({@code set_config}, only detected, not sent), then deciding a COPY: one read;
 *   <li>{@code encodingCheck}: the client-encoding question asked before each execution (and
 *       once a batch) on a connection of either driver: a reflective {@code getParameterStatus}.
 * </ul>
 *
 * Needs {@code -Diamguard.bench.postgres=jdbc:postgresql://host:port/db?user=..&password=..} (a
 * throwaway server: see reference/real-driver-testing.md for starting one), or a {@code
 * jdbc:redshift:} URL with the tests' {@code StartupRewritingSocketFactory} ({@code bench/real-driver.sh}
 * runs both with {@code IAMGUARD_BENCH_IDENTITY=1}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdentityBenchmark {
  private static final String COPY = "COPY t FROM 's3://acmedata/redshift/venue/x' IAM_ROLE "
      + "'arn:aws:iam::123456789012:role/RedshiftCopyUnload' CSV";
  private static final String MAY_CHANGE_IDENTITY = "select set_config('application_name', 'bench', false)";

  private Connection raw;
  private Connection guarded;
  private Statement rawStatement;
  private ServerIdentity identity;
  private ConnectionPolicy guard;
  private IamguardConnection preview;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    String url = System.getProperty("iamguard.bench.postgres");
    if (url == null) {
      throw new IllegalStateException("set -Diamguard.bench.postgres=jdbc:postgresql://127.0.0.1:<port>/postgres"
          + "?user=postgres&password=<password> (a throwaway PostgreSQL)");
    }
    raw = DriverManager.getConnection(url);
    rawStatement = raw.createStatement();
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", System.getProperty("iamguard.registry", "samples/registry.yaml"));
    settings.setProperty("iamguard.cluster", "my-cluster");
    guarded = DriverManager.getConnection("jdbc:iamguard:" + url.substring("jdbc:".length()), settings);
    guard = guarded.unwrap(GuardConnection.class).policy();
    preview = guarded.unwrap(IamguardConnection.class);
    identity = new ServerIdentity(raw, Identity.login(url, new Properties(),
        GuardConfig.resolve(new Properties(), java.util.Map.of(), k -> null, k -> null)));
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    raw.close();
    guarded.close();
  }

  @Benchmark
  public int rawSelectOne() throws SQLException {
    try (ResultSet row = rawStatement.executeQuery("select 1")) {
      row.next();
      return row.getInt(1);
    }
  }

  @Benchmark
  public Object identityRead() throws SQLException {
    return identity.read(dev.iamguard.policy.Session.of(null, "my-cluster"));
  }

  @Benchmark
  public boolean encodingCheck() {
    return guard.encoding().utf8();
  }

  @Benchmark
  public Decision copyDecisionCached() throws SQLException {
    return preview.decisionFor(COPY);
  }

  @Benchmark
  public Decision copyDecisionAfterIdentityChange() throws SQLException {
    guard.decide(MAY_CHANGE_IDENTITY, null);
    return preview.decisionFor(COPY);
  }
}
