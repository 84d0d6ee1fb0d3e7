package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SqlTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redshift reads a backslash in a string literal as an escape; H2 reads it as itself. Sent as
 * written, {@code select 'a\'; create table pwned (x int); --'} (one SELECT to Redshift and to the
 * guard) ran a second, hidden statement on H2 (found by the outside review). The dialect writes
 * each such literal as H2 reads the value Redshift gives it: on a real H2, every text of the class
 * (escaped quotes, escaped backslashes, control escapes, E'' and N'' prefixes, literals continued
 * over lines, statements hidden after the escaped quote) runs as the one statement the guard saw and
 * returns Redshift's value.
 */
class BackslashLiteralsOnH2Test {
  static List<String> literals() {
    List<String> all = new ArrayList<>();
    for (String body : List.of("a\\'b", "it\\'s", "a\\\\b", "a\\\\", "tab\\there", "line\\nnext", "q\\'\\'q",
        "x\\\\\\'y", "\\'; create table pwned (x int); --", "\\'; drop table victim; select \\'",
        "a\\b", "\\'\\\\\\'")) {
      all.add("'" + body + "'");
      all.add("E'" + body + "'");
      all.add("N'" + body + "'");
      all.add("'" + body + "'\n  'tail\\'s'"); // a continued literal: one value
    }
    return all;
  }

  @Test
  void eachLiteralRunsAsTheOneValueRedshiftReads() throws Exception {
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:backslash" + System.nanoTime());
        Statement statement = h2.createStatement()) {
      statement.execute("create table victim (x int)");
      int checked = 0;
      for (String literal : literals()) {
        String sql = "select " + literal + " as v";
        SqlTokens tokens = SqlTokens.of(sql);
        assertThat(tokens.kind(1)).as(sql).isEqualTo(SqlTokens.Kind.STRING);
        String redshift = tokens.literalValue(1);
        String translated = RedshiftDialect.toH2(sql, null, kind -> { });
        try (ResultSet rows = statement.executeQuery(translated)) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).as(sql).isEqualTo(redshift);
          assertThat(rows.next()).isFalse();
        }
        checked++;
      }
      try (ResultSet tables = h2.getMetaData().getTables(null, null, "PWNED", null)) {
        assertThat(tables.next()).as("a hidden statement ran").isFalse();
      }
      try (ResultSet victim = h2.getMetaData().getTables(null, null, "VICTIM", null)) {
        assertThat(victim.next()).isTrue();
      }
      assertThat(checked).isEqualTo(48);
    }
  }

  @Test
  void textsWithoutABackslashAreLeftAsTheyAre() throws Exception {
    for (String sql : List.of("select 'it''s'", "select $$a\\b$$", "select \"a\\b\" from t", "select 1 -- a\\b",
        "select /* \\' */ 1")) {
      assertThat(RedshiftDialect.toH2(sql, null, kind -> { })).isSameAs(sql);
    }
  }
}
