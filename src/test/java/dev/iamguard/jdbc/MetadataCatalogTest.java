package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redshift driver quotes a catalog name into its catalog queries by doubling quotes only, so
 * where a backslash escapes inside a literal (Redshift; PostgreSQL with
 * standard_conforming_strings=off) a catalog argument can end the literal and carry a statement
 * that runs on the server without passing the guard. Against the throwaway PostgreSQL: the raw
 * driver runs the hidden statement (the premise); through the guard, for every metadata method
 * taking a catalog, every catalog position and every shape of the hidden statement, nothing runs.
 */
class MetadataCatalogTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Catalog arguments that end the driver's literal; %s is the name of the table the hidden statement creates. */
  private static final List<String> HIDING = List.of("x\\' ; CREATE TABLE %s (a int); --",
      "\\';CREATE TABLE %s (a int)--", "x\\' /* c */; create table %s (a int) ; -- ", "x\\");

  private static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user", LocalPostgres.USER);
    properties.setProperty("password", POSTGRES.password());
    properties.setProperty("ssl", "false");
    properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
    properties.setProperty(Setting.REGISTRY.key(), "classpath:jdbc/real-driver-registry.yaml");
    properties.setProperty(Setting.CLUSTER.key(), "local-cluster");
    return properties;
  }

  private static Connection open(boolean guarded) throws SQLException {
    String url = "jdbc:" + (guarded ? "iamguard:" : "") + "redshift://127.0.0.1:" + POSTGRES.port() + "/"
        + LocalPostgres.DATABASE;
    Connection connection = DriverManager.getConnection(url, properties());
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET standard_conforming_strings = off"); // backslashes escape, as in Redshift
    }
    return connection;
  }

  /** The DatabaseMetaData methods returning rows whose String parameter {@code index} is a catalog. */
  private static List<Object[]> catalogArguments() {
    List<Object[]> methods = new ArrayList<>();
    for (Method method : DatabaseMetaData.class.getMethods()) {
      Class<?>[] types = method.getParameterTypes();
      if (method.getReturnType() == ResultSet.class && types.length > 0 && types[0] == String.class) {
        methods.add(new Object[] {method, 0});
        if (method.getName().equals("getCrossReference")) {
          methods.add(new Object[] {method, 3});
        }
      }
    }
    return methods;
  }

  private static void call(DatabaseMetaData metaData, Method method, int index, String catalog) {
    Object[] args = GuardCoverageTest.arguments(method, "%");
    args[index] = catalog;
    try {
      method.invoke(metaData, args);
    } catch (InvocationTargetException e) {
      // refused by the guard, or failed on the server (Redshift-only catalog views): either way, checked below
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> created() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection raw = open(false); Statement statement = raw.createStatement();
        ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables WHERE tablename LIKE 'hidden%'")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  @Test
  void theRawDriverRunsAStatementHiddenInACatalog() throws SQLException {
    try (Connection raw = open(false)) {
      call(raw.getMetaData(), catalogArguments().stream().map(m -> (Method) m[0])
          .filter(m -> m.getName().equals("getPrimaryKeys")).findFirst().orElseThrow(), 0,
          String.format(HIDING.get(0), "hidden_premise"));
    }
    assertThat(created()).as("the premise: the driver's quoting lets the catalog end the literal")
        .containsExactly("hidden_premise");
    try (Connection raw = open(false); Statement statement = raw.createStatement()) {
      statement.execute("DROP TABLE hidden_premise");
    }
  }

  @Test
  void throughTheGuardNoStatementHiddenInACatalogRuns() throws SQLException {
    int checked = 0;
    try (Connection guarded = open(true)) {
      DatabaseMetaData metaData = guarded.getMetaData();
      for (Object[] argument : catalogArguments()) {
        for (String hiding : HIDING) {
          Method method = (Method) argument[0];
          int index = (Integer) argument[1];
          String table = "hidden_" + checked;
          call(metaData, method, index, hiding.contains("%s") ? String.format(hiding, table) : hiding);
          checked++;
        }
      }
      assertThat(guarded.getMetaData().getPrimaryKeys(LocalPostgres.DATABASE, "public", "%").next())
          .as("a plain catalog name still works").isFalse();
    }
    assertThat(created()).as("statements hidden in catalog arguments that ran").isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(20 * HIDING.size());
  }
}
