package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.local.LocalResult;
import dev.iamguard.local.LocalS3;
import dev.iamguard.sql.SqlScript;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redshift SQL run on H2 through the guard's H2 layer ({@link H2DialectConnection}, rewriting with
 * {@link dev.iamguard.local.RedshiftOnH2}): what H2 then holds and returns.
 */
class H2DialectTest {
  @TempDir
  Path s3;
  Connection raw;
  Connection h2;

  @BeforeEach
  void open() throws SQLException {
    raw = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
    h2 = H2DialectConnection.of(raw);
  }

  @AfterEach
  void close() throws SQLException {
    h2.close();
  }

  /**
   * The translation remembers the last text it left unchanged; that never changes what any text is
   * translated to, in any order: texts it rewrites (a {@code LIKE} table whose columns change between
   * two translations, Redshift types and functions, a dropped clause), texts it leaves as they are,
   * and texts it refuses, each translated as a fresh translation does, again and again.
   */
  @Test
  void theRememberedUnchangedTextChangesNoTranslation() throws SQLException {
    sql("CREATE TABLE src (a INT)");
    List<String> texts = List.of("SELECT 1", "SELECT a FROM src WHERE a = ?", "CREATE TABLE copy1 (LIKE src)",
        "SELECT GETDATE()", "CREATE TABLE t2 (v VARCHAR(10)) DISTSTYLE EVEN", "SELECT 'a' || 'b'",
        "SELECT a::varchar FROM src", "CREATE TABLE t3 (v SUPER)", "MERGE INTO src (a) KEY (a) VALUES (2)");
    H2DialectConnection dialect = (H2DialectConnection) h2;
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 400; i++) {
      String text = texts.get(random.nextInt(texts.size()));
      if (i == 200) {
        sql("ALTER TABLE src ADD COLUMN b INT"); // LIKE src reads other columns from now on
      }
      String fresh;
      try {
        fresh = dev.iamguard.local.RedshiftOnH2.toH2(text, raw);
      } catch (SQLException refused) {
        assertThatThrownBy(() -> dialect.toH2(text)).as(text).isInstanceOf(SQLException.class);
        continue;
      }
      assertThat(dialect.toH2(text)).as(text).isEqualTo(fresh);
    }
  }

  private void sql(String sql) throws SQLException {
    try (Statement statement = h2.createStatement()) {
      statement.execute(sql);
    }
  }

  private List<String> column(String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = h2.createStatement(); ResultSet rs = statement.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private LocalResult copy(String sql) throws SQLException {
    return new LocalS3(s3).execute(h2, SqlScript.parse(sql).statements().get(0));
  }

  @Test
  void aTypicalRedshiftTableIsCreatedWithTheSameColumns() throws SQLException {
    sql("create table sales (salesid integer not null encode az64 distkey, day varchar(max) encode zstd,"
        + " month char(3), year smallint sortkey, note text, amount decimal, at timestamptz)"
        + " backup no diststyle key compound sortkey (salesid, year)");
    sql("insert into sales (salesid, day, month, year, note, amount, at) values"
        + " (1, 'MO', 'JAN', 2008, 'x', 12.6, '2008-01-01 00:00:00+00')");
    assertThat(column("select day || '/' || month || '/' || year || '/' || amount from sales"))
        .containsExactly("MO/JAN/2008/13");
    assertThat(column("select character_maximum_length from information_schema.columns where table_name = 'SALES'"
        + " and column_name in ('DAY', 'NOTE') order by column_name")).containsExactly("65535", "256");
    assertThatThrownBy(() -> sql("insert into sales (salesid, note) values (2, '" + "n".repeat(257) + "')"))
        .isInstanceOf(SQLException.class).hasMessageContaining("too long");
  }

  private void put(String bucketAndKey, String content) throws IOException {
    Path file = s3.resolve(bucketAndKey);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void identityColumnsAreGeneratedAndCopyLeavesThemOutUnlessExplicitIds() throws Exception {
    sql("create table events (id bigint identity(100, 10), name varchar(20))");
    put("b/names.txt", "a\nb\n");
    put("b/ids.txt", "7|c\n");
    assertThat(copy("copy events from 's3://b/names' iam_role default").rows()).isEqualTo(2);
    assertThat(copy("copy events from 's3://b/ids' iam_role default explicit_ids").rows()).isEqualTo(1);
    assertThat(column("select id || name from events order by name")).containsExactly("100a", "110b", "7c");
    assertThatThrownBy(() -> copy("copy events (id, name) from 's3://b/ids' iam_role default"))
        .isInstanceOf(SQLException.class).hasMessageContaining("add EXPLICIT_IDS");
    assertThatThrownBy(() -> copy("copy events (name) from 's3://b/names' iam_role default explicit_ids"))
        .isInstanceOf(SQLException.class).hasMessageContaining("must list its IDENTITY columns");
    assertThatThrownBy(() -> sql("insert into events (id, name) values (1, 'd')")).isInstanceOf(SQLException.class);
  }

  @Test
  void temporaryTablesAreTheSessionsOwn() throws SQLException {
    sql("create temp table stage (a int)");
    sql("create table #work (a int)");
    sql("insert into stage values (1); insert into #work select a + 1 from stage");
    assertThat(column("select a from #WORK")).containsExactly("2");
    try (Connection other = H2DialectConnection.of(DriverManager.getConnection(raw.getMetaData().getURL()))) {
      assertThatThrownBy(() -> other.createStatement().executeQuery("select * from stage"))
          .hasMessageContaining("not found");
    }
  }

  @Test
  void likeCopiesColumnsTypesAndNotNullAndWithIncludingDefaultsTheDefaults() throws SQLException {
    sql("create table parent (id int not null, name varchar(30) default 'none', price decimal(8,2),"
        + " at timestamp) diststyle even");
    sql("create table child1 (like parent)");
    sql("create table child2 (like parent including defaults) diststyle all");
    sql("insert into child2 (id) values (1)");
    assertThat(column("select name from child2")).containsExactly("none");
    sql("insert into child1 (id) values (1)");
    assertThat(column("select coalesce(name, 'null') from child1")).containsExactly("null");
    assertThatThrownBy(() -> sql("insert into child1 (name) values ('x')")).hasMessageContaining("NULL not allowed");
    assertThat(column("select data_type || ':' || coalesce(character_maximum_length, numeric_precision)"
        + " from information_schema.columns where table_name = 'CHILD1' order by ordinal_position"))
        .containsExactly("INTEGER:32", "CHARACTER VARYING:30", "NUMERIC:8", null);
  }

  @Test
  void superAndFriendsAreRefusedBeforeH2SeesThem() {
    assertThatThrownBy(() -> sql("create table t (payload super)")).isInstanceOfSatisfying(SQLException.class,
        e -> assertThat(e.getSQLState()).isEqualTo("0AI01"));
    assertThatThrownBy(() -> h2.prepareStatement("select cast(x as super) from t"))
        .hasMessageContaining("SUPER");
  }

  @Test
  void functionsAndDatePartsGiveRedshiftsResults() throws SQLException {
    sql("create table d (ts timestamp)");
    sql("insert into d values ('2008-01-31 10:00:00')");
    assertThat(column("select dateadd(m, 5, ts) from d")).containsExactly("2008-01-31 10:05:00");
    assertThat(column("select dateadd(mon, 1, ts) from d")).containsExactly("2008-02-29 10:00:00");
    assertThat(column("select datediff(qtr, ts, '2008-12-31') from d")).containsExactly("3");
    assertThat(column("select nvl(null, 'x') from d")).containsExactly("x");
    try (PreparedStatement ps = h2.prepareStatement("select getdate(), sysdate from d where ts < ?")) {
      ps.setString(1, "2009-01-01");
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        Timestamp getdate = rs.getTimestamp(1);
        assertThat(getdate.getNanos()).isZero();
        assertThat(rs.getTimestamp(2)).isAfterOrEqualTo(getdate);
      }
    }
  }

  @Test
  void theWrapperHandsOutNothingThatSkipsTheRewrite() throws SQLException {
    assertThat(H2DialectConnection.of(h2)).isSameAs(h2);
    try (Statement statement = h2.createStatement()) {
      assertThat(statement.getConnection()).isSameAs(h2);
      statement.addBatch("create table b (a int encode az64)");
      statement.executeBatch();
    }
    assertThat(h2.nativeSQL("select sysdate")).isEqualTo("select LOCALTIMESTAMP");
    assertThat(h2.unwrap(org.h2.jdbc.JdbcConnection.class)).isSameAs(raw);
    assertThat(((H2DialectConnection) h2).target()).isSameAs(raw);
  }

  /** The arguments after the SQL text of a Statement or Connection method, as H2 accepts them. */
  private static Object[] withText(Method method, String sql) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    args[0] = sql;
    for (int i = 1; i < types.length; i++) {
      args[i] = types[i] == int[].class ? new int[] {1} : types[i] == String[].class ? new String[] {"A"}
          : Integer.valueOf(i == 1 && types.length == 2 ? Statement.NO_GENERATED_KEYS
              : i == 1 ? ResultSet.TYPE_FORWARD_ONLY : i == 2 ? ResultSet.CONCUR_READ_ONLY
              : ResultSet.HOLD_CURSORS_OVER_COMMIT);
    }
    return args;
  }

  private static Object call(Object target, Method method, Object[] args) throws Exception {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void everyStatementMethodTakingSqlRewritesIt() throws Exception {
    List<String> methods = new ArrayList<>();
    int table = 0;
    for (Method method : Statement.class.getMethods()) {
      String name = method.getName();
      if (!(name.startsWith("execute") || name.equals("addBatch")) || method.getParameterCount() == 0
          || method.getParameterTypes()[0] != String.class) {
        continue;
      }
      methods.add(name + method.getParameterCount());
      String sql = name.equals("executeQuery") ? "select 7, sysdate"
          : "create table redshift_" + ++table + " (a int encode az64) diststyle even";
      try (Statement plain = raw.createStatement()) {
        assertThatThrownBy(() -> {
          call(plain, method, withText(method, sql));
          plain.executeBatch();
        }).as("plain H2 must reject %s, or the test proves nothing", sql).isInstanceOf(SQLException.class);
      }
      try (Statement statement = h2.createStatement()) {
        call(statement, method, withText(method, sql));
        if (name.equals("addBatch")) {
          statement.executeBatch();
        }
      }
    }
    assertThat(methods).hasSize(14);
    assertThat(column("select count(*) from information_schema.tables where table_name like 'REDSHIFT\\_%'"))
        .containsExactly(String.valueOf(table));
  }

  @Test
  void everyConnectionMethodTakingSqlRewritesIt() throws Exception {
    List<String> methods = new ArrayList<>();
    for (Method method : Connection.class.getMethods()) {
      if (!(method.getName().startsWith("prepare") || method.getName().equals("nativeSQL"))) {
        continue;
      }
      methods.add(method.getName() + method.getParameterCount());
      String sql = "select 7, sysdate from (select 1) t";
      if (method.getName().equals("nativeSQL")) {
        assertThat(raw.nativeSQL(sql)).isEqualTo(sql);
      } else {
        assertThatThrownBy(() -> call(raw, method, withText(method, sql)))
            .as("plain H2 must reject %s", sql).isInstanceOf(SQLException.class);
      }
      Object prepared = call(h2, method, withText(method, sql));
      if (prepared instanceof PreparedStatement statement) {
        try (statement; ResultSet rs = statement.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(7);
        }
      } else {
        assertThat((String) prepared).doesNotContainIgnoringCase("sysdate");
      }
    }
    assertThat(methods).hasSize(10);
    Statement[] created = {h2.createStatement(),
        h2.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
        h2.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT)};
    for (Statement statement : created) {
      try (statement; ResultSet rs = statement.executeQuery("select 8, sysdate")) {
        assertThat(statement).isInstanceOf(H2DialectStatement.class);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(8);
      }
    }
  }
}
