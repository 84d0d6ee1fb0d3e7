package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import dev.iamguard.jdbc.StartupRewritingSocketFactory;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No dollar quote, continued literal, escape, bit string or character above 127 can make the
 * guard miss a COPY the server then runs. Generated texts hide {@code COPY t FROM
 * '/nonexistent/<marker>'} among fragments of every form readers disagree on; whatever the guard
 * lets through (it denies every COPY it sees: this one names no credentials) is sent to a
 * throwaway PostgreSQL 15 with {@code standard_conforming_strings=off}, both as one simple query
 * (the server's own reading) and through the real Redshift driver in its default mode (which
 * splits the text with its own lexer and sends each piece). A COPY that ran fails with "could not
 * open file ... marker": that must never follow an allowed text. The same texts, sent without
 * asking the guard, prove the check can see a COPY run.
 */
public class HiddenCopyServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  public static final String[] FRAGMENTS = {"$\u00a0$", "$\u20ac$", "$\u200b$", "$\ud83d\ude00$", "$$", "$a$", "$\ufeff$", "'",
      "''", "E'", "e'", "B'", "X'", "N'", "\\'", "\\", "\\\\", "--", "\n", "\r", "\f", "\u000b", "/*", "*/", "\"", "#",
      "#$$", "U&'", "'\n'", "' -- c\n'", " ", " ", ";", ";", "\u00a0", "\u2028", "\u200b", "select 1", "select 'x'",
      "a\u20ac$$", "a\u00a0$$", "x$", "\u0085", "(", ")", "$1", "\\x27", "\\047", "\\u0027", "\ud83d\ude00"};

  @Test
  void noGeneratedTextLetsACopyThroughThatTheServerRuns() throws Exception {
    check(1_500, 20261130L);
  }

  /** {@code mvn -B -Pfuzz verify}: far more texts. */
  @Tag("long")
  @Test
  void manyMoreUnderTheFuzzProfile() throws Exception {
    check(50_000, System.nanoTime());
  }

  private static void check(int cases, long seed) throws Exception {
    Guard guard = SampleGuard.load();
    Session session = Session.of("user1", null);
    Random random = new Random(seed);
    List<String> missed = new ArrayList<>();
    int allowed = 0;
    int ranWhenDenied = 0;
    try (SimpleQueryWire wire = SimpleQueryWire.redshiftLike(POSTGRES); Driven driver = new Driven()) {
      assertThat(wire.query("create table if not exists t (a text)").error()).isNull();
      for (int i = 0; i < cases && missed.size() < 10; i++) {
        String marker = "m" + seed + "x" + i;
        String text = text(random, marker);
        Decision decision = guard.inspect(text, session);
        boolean sent = decision.verdict() != Verdict.DENY;
        boolean simpleRan = copyRan(wire.query(decision.sql() == null ? text : decision.sql()).error(), marker);
        boolean driverRan = copyRan(driver.run(text), marker);
        if (sent) {
          allowed++;
          if (simpleRan || driverRan) {
            missed.add("seed " + seed + " case " + i + (simpleRan ? " (simple query)" : " (Redshift driver)") + ": "
                + SimpleQueryWire.printable(text));
          }
        } else if (simpleRan || driverRan) {
          ranWhenDenied++;
        }
      }
    }
    System.out.printf("hidden COPY: %d texts, %d allowed by the guard, %d denied that the server would have run "
        + "a COPY from, %d COPY runs missed (seed %d)%n", cases, allowed, ranWhenDenied, missed.size(), seed);
    assertThat(missed).as("texts the guard allowed though the server ran their COPY").isEmpty();
    assertThat(allowed).as("texts the guard let through (the check is not vacuous)").isGreaterThan(cases / 10);
    assertThat(ranWhenDenied).as("denied texts whose COPY the server runs (the check can see a run)").isGreaterThan(cases / 20);
  }

  public static boolean copyRan(String error, String marker) {
    return error != null && error.contains("could not open file") && error.contains(marker);
  }

  /** Literals and numbers the server accepts, each holding something a misreader takes for code. */
  static final String[] ITEMS = {"'x'", "'a;b'", "E'\\';'", "'a'\n'b;'", "'a' -- c ' $$\n';b'", "$$;$$",
      "$\u00a0$;$\u00a0$", "$\u20ac$ ; $\u20ac$", "$\u200b$;$\u200b$", "$\ud83d\ude00$;$\ud83d\ude00$", "B'01'",
      "'\\\\'", "'it''s;'", "N'x'", "'$$'", "'--'", "'/*'", "1", "'\\047;'", "e'\\x27;'"};
  /** Names (column aliases) with characters above 127 or '$' that a misreader splits. */
  static final String[] ALIASES = {"", "", " x\u20ac$$", " a\u00a0$$", " \u00e9$$", " \"q;$$\"", " x$", " #t",
      " as \ufeff$$", " as x\u200b$a$", " z\u3000$$"};
  /** What may end a statement: a semicolon, with comments holding closers a misreader pairs up. */
  static final String[] ENDS = {";", ";\n", "; -- $$ ' \n", ";/* $$ ' */", "\n;", " -- $\u00a0$\n;", " -- $$\n;",
      " /* $a$ */;", " -- '\n;", ";\n-- $\u20ac$\n"};

  static String text(Random random, String marker) {
    return random.nextBoolean() ? statements(random, marker) : fragments(random, marker);
  }

  /** Statements the server accepts, one of them the COPY, with odd names, literals and comments. */
  static String statements(Random random, String marker) {
    StringBuilder text = new StringBuilder();
    int count = 2 + random.nextInt(4);
    int copyAt = random.nextInt(count);
    for (int k = 0; k < count; k++) {
      if (k == copyAt) {
        text.append("copy t from '/nonexistent/").append(marker).append("'");
      } else {
        text.append("select ").append(ITEMS[random.nextInt(ITEMS.length)]).append(ALIASES[random.nextInt(ALIASES.length)]);
      }
      text.append(ENDS[random.nextInt(ENDS.length)]);
    }
    return text.toString();
  }

  /** Fragments of odd forms with one COPY somewhere, each piece maybe preceded by a separator. */
  static String fragments(Random random, String marker) {
    StringBuilder text = new StringBuilder();
    int pieces = 2 + random.nextInt(10);
    int copyAt = random.nextInt(pieces);
    for (int k = 0; k < pieces; k++) {
      if (k == copyAt) {
        text.append(random.nextBoolean() ? ";" : random.nextBoolean() ? "\n" : " ")
            .append("copy t from '/nonexistent/").append(marker).append("'")
            .append(random.nextBoolean() ? ";" : "");
      }
      text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
    }
    return text.toString();
  }

  /**
   * The real Redshift driver in its default (extended) mode, which splits the text itself; a
   * connection it breaks (a text it cannot encode) is replaced.
   */
  static final class Driven implements AutoCloseable {
    private Connection connection;
    private Statement statement;

    /** The first error the text causes, or null. */
    String run(String text) throws SQLException {
      if (connection == null || connection.isClosed()) {
        Properties properties = new Properties();
        properties.setProperty("user", LocalPostgres.USER);
        properties.setProperty("password", POSTGRES.password());
        properties.setProperty("ssl", "false");
        properties.setProperty("socketFactory", StartupRewritingSocketFactory.class.getName());
        properties.setProperty("options", "-c standard_conforming_strings=off -c escape_string_warning=off");
        properties.setProperty("socketTimeout", "30");
        connection = new com.amazon.redshift.Driver().connect(
            "jdbc:redshift://127.0.0.1:" + POSTGRES.port() + "/" + LocalPostgres.DATABASE, properties);
        statement = connection.createStatement();
      }
      try {
        boolean result = statement.execute(text);
        while (result || statement.getUpdateCount() != -1) {
          result = statement.getMoreResults();
        }
        return null;
      } catch (SQLException failed) {
        return failed.getMessage();
      }
    }

    @Override
    public void close() throws SQLException {
      if (connection != null) {
        connection.abort(Runnable::run);
      }
    }
  }
}
