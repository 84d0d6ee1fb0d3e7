package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redshift driver splits a text at {@code ;} by a reading of its own: {@code /}{@code *}{@code /}
 * ends a comment to it, and a dollar tag with an ASCII control char ({@code $a\u0001$}) is a tag to
 * it, not to the server. So in {@code select 1 /}{@code *}{@code / $a\u0001$ *}{@code / -- $a\u0001$ ;}
 * followed by a new line and a COPY, the server (and the guard) read one SELECT continued by the
 * COPY's words, while the driver sends the SELECT and then the COPY alone (probe sq2 F1: the guard
 * took the COPY's first word, a token of its own reading, for a place where both readings agree,
 * and a {@code ;} at a comment line's end was not looked at). Against the throwaway PostgreSQL, in
 * every way of sending a text and both query modes: the raw driver runs the COPY (the premise),
 * the guard lets none run.
 */
class SplitAtLineEndTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** Openings after which the driver's reading has the comment's {@code ;} in code. */
  private static final List<String> OPENINGS = List.of("select 1 /*/ $a\u0001$ */ -- $a\u0001$ ;",
      "select 1 /*/ $a\u007f$ */ -- $a\u007f$ ;", "select 1 /*/ ' */ -- ' ;", "select 1 /*/ $a\u0001$ */ -- $a\u0001$ ; ",
      "select 1 /*/ $b\u001f$ */ -- x $b\u001f$ y ;\t");
  /** How the hidden statement follows the comment's line. */
  private static final List<String> BREAKS = List.of("\n", "\r\n", "\n\n", "\n  ");

  /** One way of sending a text through a connection. */
  interface Send {
    void send(Connection connection, String text) throws SQLException;
  }

  /** Every way a text reaches the driver: {@code execute}, {@code prepareStatement}, a batch entry. */
  static final List<Send> SENDS = List.of(
      (c, text) -> {
        try (Statement s = c.createStatement()) {
          s.execute(text);
        }
      },
      (c, text) -> {
        try (PreparedStatement s = c.prepareStatement(text)) {
          s.execute();
        }
      },
      (c, text) -> {
        try (Statement s = c.createStatement()) {
          s.addBatch(text);
          s.executeBatch();
        }
      });

  private static Connection open(boolean guarded, String mode) throws SQLException {
    return POSTGRES.redshiftConnection(guarded, mode);
  }


  private static boolean copyRan(String marker) {
    return POSTGRES.serverLog().contains("could not open file \"/nonexistent/" + marker);
  }

  /**
   * Sends {@code text} (a format of the marker) through the guard and through the raw driver, each
   * with a marker of its own; adds {@code label} to {@code ran} when the guarded COPY ran, and
   * returns 1 when the raw one did (0 otherwise).
   */
  private static int sendBoth(Connection guarded, Connection raw, Send send, String text, String marker,
      List<String> ran, String label) {
    try {
      send.send(guarded, text.formatted(marker));
    } catch (SQLException refusedOrFailed) {
      // refused by the guard, or failed on the server: the log tells whether the COPY ran
    }
    if (copyRan(marker)) {
      ran.add(label);
    }
    try {
      send.send(raw, text.formatted("raw" + marker));
    } catch (SQLException failed) {
      // the first piece may fail; the log tells
    }
    return copyRan("raw" + marker) ? 1 : 0;
  }

  @Test
  void noSplitAtALineCommentsSemicolonLetsACopyRun() throws SQLException {
    try (Connection setup = open(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
    List<String> ran = new ArrayList<>();
    int rawRan = 0;
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = open(true, mode); Connection raw = open(false, mode)) {
        for (String opening : OPENINGS) {
          for (String lineBreak : BREAKS) {
            for (int way = 0; way < SENDS.size(); way++) {
              String marker = "split" + (++n);
              String text = opening + lineBreak + "copy t from $$/nonexistent/" + marker + "$$";
              try {
                SENDS.get(way).send(guarded, text);
              } catch (SQLException refusedOrFailed) {
                // refused by the guard, or failed on the server: the log tells whether the COPY ran
              }
              if (copyRan(marker)) {
                ran.add(mode + " mode, way " + way + ": " + text.replace("\n", "\\n"));
              }
              String rawMarker = "raw" + n;
              try {
                SENDS.get(way).send(raw, text.replace(marker, rawMarker));
              } catch (SQLException failed) {
                // the first piece may fail; the log tells
              }
              if (copyRan(rawMarker)) {
                rawRan++;
              }
            }
          }
        }
      }
    }
    assertThat(ran).as("texts whose COPY the server ran through the guard").isEmpty();
    assertThat(rawRan).as("the premise: the raw driver runs the COPY the split hides").isGreaterThan(20);
  }

  /**
   * The escalation the probe showed: a procedure hidden so, whose dynamic EXECUTE builds a COPY
   * with a role outside the registry (the guard denies it written openly, AUTH_DYNAMIC), is not
   * created through the guard; the raw driver creates it.
   */
  @Test
  void aProcedureHiddenBySuchASplitIsNotCreated() throws SQLException {
    int n = 0;
    int rawCreated = 0;
    for (String opening : OPENINGS) {
      String name = "hidden_proc_" + (++n);
      String text = opening + "\ncreate procedure " + name + "() language plpgsql as $p$ begin execute 'sel'||'ect 1'; end $p$";
      try (Connection guarded = open(true, null); Statement statement = guarded.createStatement()) {
        statement.execute(text);
      } catch (SQLException refused) {
        // the procedure's absence tells
      }
      assertThat(procedureExists(name)).as(text).isFalse();
      try (Connection raw = open(false, null); Statement statement = raw.createStatement()) {
        statement.execute(text.replace(name, name + "_raw"));
      } catch (SQLException failed) {
        // the first piece may fail
      }
      rawCreated += procedureExists(name + "_raw") ? 1 : 0;
    }
    assertThat(rawCreated).as("the premise: the raw driver creates the hidden procedure").isGreaterThanOrEqualTo(3);
  }

  private static boolean procedureExists(String name) throws SQLException {
    try (Connection check = open(false, null); Statement statement = check.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("select count(*) from pg_proc where proname = '" + name + "'")) {
      rows.next();
      return rows.getInt(1) > 0;
    }
  }

  /**
   * Probe sq3 F1 and F3: an inspected text's scan stops at its first auth word, non-ASCII name char
   * or backslash, before a later comment's {@code ;}; and a literal continued after a line break is
   * one token holding a comment. Both hid the driver's split: through the guard no such COPY runs,
   * the raw driver runs them.
   */
  @Test
  void aSplitAfterWhatMakesTheScanStopOrInsideAContinuedLiteralIsSeen() throws SQLException {
    try (Connection setup = open(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
    List<String> texts = List.of("select 1 as x\u00a0$a$ -- $a$ ;\ncopy t from '/nonexistent/%s'",
        "select 1 as iam_role /*/ ' */ -- ' ;\ncopy t from '/nonexistent/%s'",
        "select 'a\\b' /*/ $a\u0001$ */ -- $a\u0001$ ;\ncopy t from $$/nonexistent/%s$$",
        "select /*/ $q\u0001$ */ 'a' -- $q\u0001$ ; copy t from\n'/nonexistent/%s'");
    List<String> ran = new ArrayList<>();
    int rawRan = 0;
    int n = 0;
    try (Connection guarded = open(true, null); Connection raw = open(false, null)) {
      for (String text : texts) {
        for (Send send : SENDS) {
          rawRan += sendBoth(guarded, raw, send, text, "stop" + (++n), ran, text);
        }
      }
    }
    assertThat(ran).as("texts whose COPY ran through the guard").isEmpty();
    assertThat(rawRan).as("the premise").isGreaterThanOrEqualTo(texts.size());
  }

  /**
   * A second split inside the first split's piece (probe sq3 F2): read afresh from the first
   * comment's {@code ;}, the piece has a literal that ends on the next line, where the guard's own
   * reading opens one, and then a line comment with a {@code ;} the driver splits at again (by the
   * same misreading). Each piece succeeds on the server, so the COPY after the second split ran.
   * Every combination of the first and second misreadings, in every way of sending and both query
   * modes.
   */
  @Test
  void aSecondSplitInsideTheFirstSplitsPieceIsSeen() throws SQLException {
    try (Connection setup = open(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
    List<String> firsts = List.of("select 1 /*/ $a\u0001$ */ -- $a\u0001$ ;", "select 1 /*/ ' */ -- ' ;",
        "select 1 /*/ $b\u007f$ */ -- x $b\u007f$ y ;");
    List<String> seconds = List.of("x' /*/ $a\u0001$ */ -- $a\u0001$ ;", "x' /*/ $c\u001f$ */ -- $c\u001f$ ;  ",
        "x', 2 /*/ $a\u007f$ */ -- $a\u007f$ ; -- more");
    List<String> ran = new ArrayList<>();
    int rawRan = 0;
    int n = 0;
    for (String mode : new String[] {null, "simple"}) {
      try (Connection guarded = open(true, mode); Connection raw = open(false, mode)) {
        for (String first : firsts) {
          for (String second : seconds) {
            for (Send send : SENDS) {
              String text = first + " select '\n" + second + "\ncopy t from $q$/nonexistent/%s$q$ -- '";
              rawRan += sendBoth(guarded, raw, send, text, "second" + (++n), ran, mode + " mode: " + text.replace("\n", "\\n"));
            }
          }
        }
      }
    }
    assertThat(ran).as("texts whose COPY ran through the guard").isEmpty();
    assertThat(rawRan).as("the premise: the raw driver runs the COPY after the second split").isGreaterThan(20);
  }

  /**
   * Probe sq4: a further split at a {@code ;} the guard's reading has inside a block comment (F1: the
   * piece read afresh has it in a line comment, and it was passed over as read already), and a
   * session that set {@code standard_conforming_strings = on}, whose server reads {@code 'x\'} as a
   * closed literal that the guard's Redshift reading continues (F3): the split check reads such a
   * text in both readings. The raw driver runs each COPY; the guard lets none run.
   */
  @Test
  void aSplitInsideABlockCommentOrAfterAConformingLiteralIsSeen() throws SQLException {
    try (Connection setup = open(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
    List<String> blockComment = List.of(
        "select 1 /*/ $a\u0001$ */ -- $a\u0001$ ; select '\n/*' /*/ $b\u0001$ */ -- $b\u0001$ ;\ncopy t from '/nonexistent/%s' -- */",
        "select 1 /*/ ' */ -- ' ; select '\n/* x' /*/ $b\u007f$ */ -- $b\u007f$ ;\ncopy t from $$/nonexistent/%s$$ -- */");
    List<String> conforming = List.of("select 'x\\' /*/ $a\u0001$ */ -- $a\u0001$ ;\ncopy t from $$/nonexistent/%s$$ -- '",
        "select 'x\\', 'y' /*/ ' */ -- ' ;\ncopy t from $$/nonexistent/%s$$ -- '",
        "select E'\\'', 'x\\' /*/ $c\u0001$ */ -- $c\u0001$ ;\r\ncopy t from $$/nonexistent/%s$$ -- '");
    List<String> ran = new ArrayList<>();
    int rawRan = 0;
    int n = 0;
    for (boolean standard : new boolean[] {false, true}) {
      try (Connection guarded = open(true, null); Connection raw = open(false, null)) {
        if (standard) {
          for (Connection c : List.of(guarded, raw)) {
            try (Statement statement = c.createStatement()) {
              statement.execute("set standard_conforming_strings = on");
            }
          }
        }
        for (String text : standard ? conforming : blockComment) {
          for (Send send : SENDS) {
            rawRan += sendBoth(guarded, raw, send, text, "sq4x" + (++n), ran, text);
          }
        }
      }
    }
    assertThat(ran).as("texts whose COPY ran through the guard").isEmpty();
    assertThat(rawRan).as("the premise").isGreaterThanOrEqualTo(10);
  }

  /**
   * Probe sq4 F4: a split inside an auth-carrying statement the guard approved sends its first part
   * alone (a COPY without the IAM_ROLE after the comment ran on the server). A {@code ;} in a line
   * comment inside such a statement, after a form a driver may read otherwise than the server (a
   * block comment holding a {@code /}, a dollar quote, a backslash, ...: {@link AgreedPrefixTest}), is refused, whether
   * the driver splits there or not; one in a comment between statements is not.
   */
  @Test
  void aSplitInsideAnApprovedStatementIsRefused() throws SQLException {
    try (Connection setup = open(false, null); Statement statement = setup.createStatement()) {
      statement.execute("create table if not exists t (a text)");
    }
    String role = "iam_role 'arn:aws:iam::123456789012:role/RealDriverLoader'";
    List<String> texts = List.of("copy t from 's3://iamguard-real-driver/in/%s' /*/ $a\u0001$ */ -- $a\u0001$ ;\n " + role,
        "copy t from 's3://iamguard-real-driver/in/%s' /*/ ' */ -- ' ;\n" + role + " csv",
        "copy t from 's3://iamguard-real-driver/in/%s' /* nightly / daily */ -- daily drop; see the runbook\n" + role,
        "copy t from $q$s3://iamguard-real-driver/in/%s$q$ -- daily drop; see the runbook\n" + role);
    List<String> ran = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    int n = 0;
    try (Connection guarded = open(true, null)) {
      for (String text : texts) {
        for (Send send : SENDS) {
          String marker = "cut" + (++n);
          try {
            send.send(guarded, text.formatted(marker));
            allowed.add(text);
          } catch (SQLException refused) {
            if (!String.valueOf(refused.getMessage()).contains("cuts an auth-carrying statement in two")) {
              allowed.add(text + ": " + refused.getMessage());
            }
          }
          if (POSTGRES.serverLog().contains("\"s3://iamguard-real-driver/in/" + marker)) {
            ran.add(text);
          }
        }
      }
      assertThat(ran).as("first parts that ran").isEmpty();
      assertThat(allowed).as("texts not refused for the cut").isEmpty();
      // a comment between statements is no cut: decided as written (and sent: PostgreSQL knows no IAM_ROLE)
      try (Statement statement = guarded.createStatement()) {
        String between = "select 1; -- step 1; load t\ncopy t from 's3://iamguard-real-driver/in/x' " + role;
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> statement.execute(between)))
            .hasMessageNotContaining("inside a '--' comment");
      }
    }
  }

  /**
   * A COPY with a {@code ;} in a line comment before its {@code IAM_ROLE}, where every reader reads
   * the text alike up to the comment: no driver splits there, so the guard decides the COPY whole
   * and sends it; the server receives the whole statement, comment and role, and runs no first part
   * alone, through every entry point.
   */
  @Test
  void aCommentReadAlikeInsideAnApprovedStatementIsSentWhole() throws SQLException {
    String role = "iam_role 'arn:aws:iam::123456789012:role/RealDriverLoader'";
    int n = 0;
    try (Connection guarded = open(true, null)) {
      for (String comment : List.of("-- daily drop; see the runbook", "-- owner: etl team; ticket ETL-12", "--;",
          "/* nightly */ -- daily drop; see the runbook", "/* load; step 2 */ -- owner: etl; ticket")) {
        for (String lineEnd : List.of("\n", "\r\n", "\r")) {
          for (Send send : SENDS) {
            String marker = "whole" + (++n);
            String text = "copy t from 's3://iamguard-real-driver/in/" + marker + "' " + comment + lineEnd + role + " csv";
            // PostgreSQL knows no IAM_ROLE: the whole statement is a syntax error there, after the guard allowed it
            assertThatThrownBy(() -> send.send(guarded, text)).as(text).isInstanceOf(SQLException.class)
                .hasMessageNotContaining("iamguard:").hasMessageContaining("syntax error");
            String log = POSTGRES.serverLog();
            // the server's log indents the lines of a statement after its first
            int statement = log.indexOf("STATEMENT:  copy t from 's3://iamguard-real-driver/in/" + marker + "' " + comment);
            assertThat(statement).as("the statement reached the server with its comment: %s", text).isNotNegative();
            assertThat(log.substring(statement, Math.min(log.length(), statement + 300)))
                .as("the whole statement reached the server: %s", text).contains(role + " csv");
            assertThat(log).as("no first part ran alone").doesNotContain("\"s3://iamguard-real-driver/in/" + marker);
          }
        }
      }
    }
  }

  /**
   * Many commented-out statements ({@code -- create table s (a int);} lines, each {@code ;} at its
   * line's end) are read afresh once, not once each: 65 of them were refused (probe sq3 F5).
   */
  @Test
  void manyCommentedOutStatementsAreNotRefused() throws SQLException {
    StringBuilder script = new StringBuilder("select 'x';\n");
    for (int i = 0; i < 500; i++) {
      script.append("-- create table stage_").append(i).append(" (a int);\n");
    }
    script.append("select 1 as iam_role");
    try (Connection guarded = open(true, null); Statement statement = guarded.createStatement()) {
      assertThat(statement.execute(script.toString())).isTrue();
    }
  }

  /** A comment line ending in a semicolon before a statement of its own is not refused. */
  @Test
  void aCommentedOutStatementBeforeACopyIsStillDecidedAsWritten() throws SQLException {
    try (Connection guarded = open(true, null); Statement statement = guarded.createStatement()) {
      statement.execute("-- select 1;\nselect 2");
      statement.execute("select 1; -- done;\nselect 2");
      statement.execute("select 1 -- step 1; load t\n, 2");
      assertThat(statement.getUpdateCount()).isEqualTo(-1);
    }
  }
}
