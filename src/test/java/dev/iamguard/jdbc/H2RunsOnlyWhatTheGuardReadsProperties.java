package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import dev.iamguard.sql.SqlTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Through the guarded driver on H2, a statement runs only where the guard reads one: texts are
 * built from the pieces Redshift and H2 read differently (backslash escapes, {@code E''} strings,
 * dollar quotes, nested comments, line comments, quoted identifiers, doubled quotes, and each of
 * these left open at the end of the text) around numbered INSERTs, sent by
 * {@code Statement.execute} and by a prepared statement, and every INSERT H2 ran must be a
 * statement of the guard's reading of the text. A text ending inside an open literal was sent to
 * H2 as written, and H2, which has no backslash escapes, ran the INSERTs it hid from the guard
 * (probe 22b F0).
 */
class H2RunsOnlyWhatTheGuardReadsProperties {
  private static Connection connection;

  @BeforeContainer
  static void open() throws SQLException {
    connection = DriverManager.getConnection(TestRegistry.h2Url(), TestRegistry.properties("etl"));
    try (Statement statement = connection.createStatement()) {
      statement.execute("create table marks (n int)");
    }
  }

  @AfterContainer
  static void close() throws SQLException {
    connection.close();
  }

  @Provide
  Arbitrary<List<String>> pieces() {
    Arbitrary<String> select = Arbitraries.of("'a\\'", "'a\\\\'", "E'a\\''", "''", "'it''s'", "$$ ; $$", "$q$ ' $q$",
        "U&'a\\0027'", "\"q;\"", "1 /* ; */", "1 /* /* */ */", "1 -- ;\n").map(value -> "select " + value);
    Arbitrary<String> open = Arbitraries.of("'", "E'", "$$", "/*", "/* /* */", "\"", "--", "'a\\'", "*/", "\\");
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just("INSERT")), net.jqwik.api.Tuple.of(4, select),
        net.jqwik.api.Tuple.of(2, open));
    return piece.list().ofMinSize(2).ofMaxSize(7);
  }

  @Property(tries = 400)
  void everyInsertH2RunsIsAStatementOfTheGuard(@ForAll("pieces") List<String> pieces) throws SQLException {
    for (boolean prepared : new boolean[] {false, true}) {
      StringBuilder text = new StringBuilder();
      int n = 0;
      for (String piece : pieces) {
        text.append(piece.equals("INSERT") ? "insert into marks values (" + ++n + ")" : piece).append("; ");
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("delete from marks");
      }
      boolean failed = false;
      try {
        if (prepared) {
          try (PreparedStatement statement = connection.prepareStatement(text.toString())) {
            statement.execute();
          }
        } else {
          try (Statement statement = connection.createStatement()) {
            statement.execute(text.toString());
          }
        }
      } catch (SQLException refused) {
        failed = true;
      }
      Set<Integer> ran = new TreeSet<>();
      try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select n from marks")) {
        while (rows.next()) {
          ran.add(rows.getInt(1));
        }
      }
      assertThat(guardsInserts(text.toString())).as("the guard's statements of %s", text).containsAll(ran);
      Statistics.label("outcome").collect(failed ? "refused" : ran.isEmpty() ? "no insert ran" : "inserts ran");
    }
    Statistics.label("outcome").coverage(c -> c.check("inserts ran").percentage(p -> p >= 10));
  }

  /** The numbers of the statements the guard reads as {@code insert into marks values (n)}. */
  private static List<Integer> guardsInserts(String text) {
    List<Integer> numbers = new ArrayList<>();
    for (SqlStatement statement : SqlScript.parse(text).statements()) {
      SqlTokens t = SqlTokens.of(statement.text());
      if (t.count() == 7 && t.isWord(0, "INSERT") && t.isWord(1, "INTO") && t.isWord(2, "MARKS")
          && t.isWord(3, "VALUES") && t.is(5, SqlTokens.Kind.NUMBER)) {
        numbers.add(Integer.parseInt(t.text(5)));
      }
    }
    return numbers;
  }
}
