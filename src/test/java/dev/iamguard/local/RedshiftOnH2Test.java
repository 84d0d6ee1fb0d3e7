package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.sql.SqlScript;
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

/** Redshift SQL run on H2 through {@link RedshiftOnH2}: what H2 then holds and returns. */
class RedshiftOnH2Test {
  @TempDir
  Path s3;
  Connection raw;
  Connection h2;

  @BeforeEach
  void open() throws SQLException {
    raw = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
    h2 = RedshiftOnH2.wrap(raw);
  }

  @AfterEach
  void close() throws SQLException {
    h2.close();
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

  @Test
  void identityColumnsAreGeneratedAndCopyLeavesThemOutUnlessExplicitIds() throws Exception {
    sql("create table events (id bigint identity(100, 10), name varchar(20))");
    LocalDb.put(s3, "b/names.txt", "a\nb\n");
    LocalDb.put(s3, "b/ids.txt", "7|c\n");
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
    try (Connection other = RedshiftOnH2.wrap(DriverManager.getConnection(raw.getMetaData().getURL()))) {
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
        e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
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
    assertThat(RedshiftOnH2.wrap(h2)).isSameAs(h2);
    try (Statement statement = h2.createStatement()) {
      assertThat(statement.getConnection()).isSameAs(h2);
      statement.addBatch("create table b (a int encode az64)");
      statement.executeBatch();
    }
    assertThat(h2.nativeSQL("select sysdate")).isEqualTo("select LOCALTIMESTAMP");
    assertThat(h2.unwrap(org.h2.jdbc.JdbcConnection.class)).isSameAs(raw);
    assertThat(RedshiftOnH2.unwrapped(h2)).isSameAs(raw);
  }
}
