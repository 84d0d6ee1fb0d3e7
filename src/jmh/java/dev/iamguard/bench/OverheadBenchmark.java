package dev.iamguard.bench;

import com.p6spy.engine.spy.P6DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.h2.jdbcx.JdbcDataSource;
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
 * What the guard costs on a statement without an auth clause, against raw H2 and two other
 * interceptors in the same run: {@code SELECT 1} through a Statement, result read; and a prepared
 * MERGE (an insert-or-update, so the table stays one row) executed again and again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OverheadBenchmark {
  private Connection raw;
  private Connection guarded;
  private Connection p6spy;
  private Connection datasourceProxy;
  private Statement rawStatement;
  private Statement guardedStatement;
  private Statement p6spyStatement;
  private Statement datasourceProxyStatement;
  private PreparedStatement rawPrepared;
  private PreparedStatement guardedPrepared;
  private int value;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    raw = BenchH2.raw("raw");
    guarded = BenchH2.guarded("guarded");
    // p6spy with only its spy module: no logging module, nothing written
    System.setProperty("p6spy.config.modulelist", "com.p6spy.engine.spy.P6SpyFactory");
    System.setProperty("p6spy.config.autoflush", "false");
    p6spy = new P6DataSource(h2("p6spy")).getConnection();
    datasourceProxy = ProxyDataSourceBuilder.create(h2("dsproxy")).build().getConnection();
    rawStatement = raw.createStatement();
    guardedStatement = guarded.createStatement();
    p6spyStatement = p6spy.createStatement();
    datasourceProxyStatement = datasourceProxy.createStatement();
    for (Connection connection : new Connection[] {raw, guarded}) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      }
    }
    rawPrepared = raw.prepareStatement("MERGE INTO t (id, v) KEY (id) VALUES (1, ?)");
    guardedPrepared = guarded.prepareStatement("MERGE INTO t (id, v) KEY (id) VALUES (1, ?)");
  }

  private static JdbcDataSource h2(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    for (Connection connection : new Connection[] {raw, guarded, p6spy, datasourceProxy}) {
      connection.close();
    }
  }

  private static int selectOne(Statement statement) throws SQLException {
    try (ResultSet resultSet = statement.executeQuery("SELECT 1")) {
      resultSet.next();
      return resultSet.getInt(1);
    }
  }

  @Benchmark
  public int raw() throws SQLException {
    return selectOne(rawStatement);
  }

  @Benchmark
  public int guarded() throws SQLException {
    return selectOne(guardedStatement);
  }

  @Benchmark
  public int p6spy() throws SQLException {
    return selectOne(p6spyStatement);
  }

  @Benchmark
  public int datasourceProxy() throws SQLException {
    return selectOne(datasourceProxyStatement);
  }

  @Benchmark
  public int preparedRaw() throws SQLException {
    rawPrepared.setInt(1, value++);
    return rawPrepared.executeUpdate();
  }

  @Benchmark
  public int preparedGuarded() throws SQLException {
    guardedPrepared.setInt(1, value++);
    return guardedPrepared.executeUpdate();
  }

  /** The text JdbcTemplate-style code prepares at every call: a ? after '=' and one after a name's bracket. */
  private static final String PREPARED_EACH_TIME = "MERGE INTO t (id, v) KEY (id) VALUES (2, ?)";

  /** Prepared, executed and closed at every call, as JdbcTemplate does: the guard decides at each prepare. */
  @Benchmark
  public int prepareEachTimeRaw() throws SQLException {
    return prepareAndRun(raw);
  }

  @Benchmark
  public int prepareEachTimeGuarded() throws SQLException {
    return prepareAndRun(guarded);
  }

  private int prepareAndRun(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PREPARED_EACH_TIME)) {
      statement.setInt(1, value++);
      return statement.executeUpdate();
    }
  }
}
