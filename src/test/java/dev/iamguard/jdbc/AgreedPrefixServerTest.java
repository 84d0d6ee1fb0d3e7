package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server and the real Redshift driver as the oracles of {@link AgreedPrefixTest}: generated
 * texts of forms every reader reads alike, with a {@code COPY} after a {@code ;} in a line
 * comment (the guard let none of them through before), go through the guard in the driver's
 * extended and simple query modes, by {@code execute}, {@code prepareStatement} and a batch. The
 * guard lets them through, and the server never runs the COPY. The premise: the same texts with
 * the COPY after a {@code ;} in code run it, through the raw driver's {@code execute}.
 */
class AgreedPrefixServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /**
   * Statements of plain forms that PostgreSQL runs (as Redshift reads them: standard_conforming_strings=off),
   * none returning rows, so that a batch can hold them too.
   */
  private static final String[] STATEMENTS = {"insert into t values ('1')", "insert into t values ('a;b -- c')",
      "insert into t select 'x //; y'", "insert into t select \"q;r\" from (select 'q' as \"q;r\") s",
      "insert into t values ('two\nlines; -- x')", "insert into t values ('it''s' || (2 - 1))",
      "insert into t values ('a'\n-- gap; copy t from '/nonexistent/GAP'\n'b')", "insert into t values ('x /* y')",
      "insert into t select \"x--y\" from (select 'x' as \"x--y\") s", "insert into t values (E'e' || N'n')",
      "insert into t values ('a' || 'b')", "delete from t where a = 'gone; truncate t'",
      "insert into t values ('^[0-9]+$; x [y] #z {w} `v` $$')",
      "insert into t select (x #y)::text from (select 1 as x, 2 as y) s", "insert into t values ((6 / 3)::text || 'a/b')",
      "insert into t values ($$a; b -- c ' d \\ e $1 $a$ x$$)",
      "insert into t select \"a$b[c]\" from (select 'q' as \"a$b[c]\") s",
      "insert into t values ((array[1, 2, 3])[1 + 1]::text || 'a;b')"};
  private static final String[] BETWEEN = {" ", "\n", "\r\n", "\t", " -- plain; note\n", "\n-- ' \" ; x\n",
      " /* step 2; commit */ ", "\n/*\n * header; ' \" $$ -- x\n */\n"};

  private static final List<SplitAtLineEndTest.Send> SENDS = SplitAtLineEndTest.SENDS;

  private static String text(Random random, String hidden) {
    StringBuilder text = new StringBuilder();
    int statements = 1 + random.nextInt(3);
    for (int s = 0; s < statements; s++) {
      text.append(STATEMENTS[random.nextInt(STATEMENTS.length)]).append(BETWEEN[random.nextInt(BETWEEN.length)]);
      if (s + 1 < statements) {
        text.append(";").append(BETWEEN[random.nextInt(BETWEEN.length)]);
      }
    }
    return text.append(hidden).append(random.nextBoolean() ? "\n" : "\r\n")
        .append(random.nextBoolean() ? "" : "; " + STATEMENTS[random.nextInt(STATEMENTS.length)]).toString();
  }

  /** Statements of plain forms with parameters standing apart, each writing its value into a row of {@code t}. */
  private static final String[] WITH_PARAMETERS = {"insert into t values (?)", "insert into t values (?::text || 'a;b -- c')",
      "insert into t select ? where 'x; y' <> ''", "insert into t values ( ? ) -- it's; note\n",
      "insert into t select a from (select ? as a, 'two\nlines; -- x' as b) s"};

  @BeforeEach
  void createTable() throws SQLException {
    try (Connection setup = POSTGRES.redshiftConnection(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
  }

  private static boolean copyRan(String marker) {
    return POSTGRES.serverLog().contains("could not open file \"/nonexistent/" + marker + "\"");
  }

  @Test
  void aCopyInACommentReadAlikeIsLetThroughAndNeverRuns() throws SQLException {
    Random random = new Random(20261204L);
    List<String> refused = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    int sent = 0;
    int premise = 0;
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode);
          Connection raw = POSTGRES.redshiftConnection(false, mode)) {
        for (int i = 0; i < 40; i++) {
          for (SplitAtLineEndTest.Send send : SENDS) {
            String marker = "ap" + (++n);
            String text = text(random, "-- note; copy t from '/nonexistent/" + marker + "'").replace("GAP", marker + "g");
            try {
              send.send(guarded, text);
              sent++;
            } catch (SQLException failed) {
              if (String.valueOf(failed.getMessage()).startsWith("iamguard:")) {
                refused.add(text + " -> " + failed.getMessage());
              } else {
                sent++; // the server's own failure: it was sent
              }
            }
            if (copyRan(marker) || copyRan(marker + "g")) {
              ran.add(text);
            }
            // the premise: the same COPY after a ';' in code runs, through the raw driver
            String inCode = text.replace("-- note; copy", "; copy").replace(marker, marker + "p");
            try {
              SENDS.get(0).send(raw, inCode);
            } catch (SQLException expected) {
              // the COPY fails on its missing file, which the log shows
            }
            if (copyRan(marker + "p")) {
              premise++;
            }
          }
        }
      }
    }
    assertThat(refused).as("texts read alike the guard refused").isEmpty();
    assertThat(ran).as("texts whose COPY the server ran").isEmpty();
    assertThat(sent).isEqualTo(240);
    assertThat(premise).as("the premise: a COPY after a ';' in code runs").isEqualTo(240);
  }

  /**
   * Prepared texts whose parameters stand apart ({@code (?)}, {@code ?::text}, {@code = ?}) before a
   * comment or literal holding {@code ; copy ...}: the drivers send each {@code ?} as {@code $1} or,
   * in simple query mode, as its value, and split the text nowhere there. Through the guard, in both
   * modes, none is refused, every value comes back whole (each statement writes one row holding it,
   * values with a quote, a {@code ;}, a line break and a COPY of their own included), and no COPY
   * runs. The premise: the same COPY after a {@code ;} in code runs, through the raw driver's
   * {@code prepareStatement}.
   */
  @Test
  void aCopyAfterParametersStandingApartIsLetThroughAndNeverRuns() throws SQLException {
    Random random = new Random(20261205L);
    List<String> refused = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    int premise = 0;
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = POSTGRES.redshiftConnection(true, mode);
          Connection raw = POSTGRES.redshiftConnection(false, mode)) {
        for (int i = 0; i < 60; i++) {
          String marker = "pa" + (++n);
          StringBuilder text = new StringBuilder();
          int statements = 1 + random.nextInt(3);
          for (int s = 0; s < statements; s++) {
            text.append(WITH_PARAMETERS[random.nextInt(WITH_PARAMETERS.length)])
                .append(BETWEEN[random.nextInt(BETWEEN.length)]).append(s + 1 < statements ? ";\n" : "");
          }
          String copy = "copy t from '/nonexistent/" + marker + "'";
          String hidden = random.nextBoolean() ? "-- note; " + copy + "\n"
              : "; insert into t select 'note; " + copy.replace("'", "''") + "'";
          String value = marker + "v it's; " + copy.replace(marker, marker + "v") + "\n; -- $$";
          String whole = text + hidden;
          try {
            runBound(guarded, whole, value);
          } catch (SQLException failed) {
            refused.add(whole + " -> " + failed.getMessage());
          }
          if (copyRan(marker) || copyRan(marker + "v")) {
            ran.add(whole);
          }
          int parameters = whole.length() - whole.replace("?", "").length();
          if (rowsHolding(marker + "v it's; ") != parameters) {
            lost.add(whole);
          }
          try {
            runBound(raw, text + ";\n" + copy.replace(marker, marker + "p"), value);
          } catch (SQLException expected) {
            // the COPY fails on its missing file, which the log shows
          }
          if (copyRan(marker + "p")) {
            premise++;
          }
        }
      }
    }
    assertThat(refused).as("texts read alike the guard refused").isEmpty();
    assertThat(ran).as("texts whose COPY the server ran").isEmpty();
    assertThat(lost).as("texts whose values did not come back whole, once for each parameter").isEmpty();
    assertThat(premise).as("the premise: a COPY after a ';' in code runs").isEqualTo(120);
  }

  /** Prepares {@code text}, binds {@code value} to each of its parameters, and runs it. */
  private static void runBound(Connection connection, String text, String value) throws SQLException {
    try (java.sql.PreparedStatement statement = connection.prepareStatement(text)) {
      int parameters = text.length() - text.replace("?", "").length();
      for (int p = 1; p <= parameters; p++) {
        statement.setString(p, value);
      }
      statement.execute();
    }
  }

  private static int rowsHolding(String value) throws SQLException {
    try (Connection check = POSTGRES.redshiftConnection(false, null);
        java.sql.PreparedStatement count = check.prepareStatement("select count(*) from t where position(? in a) = 1")) {
      count.setString(1, value);
      try (java.sql.ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
