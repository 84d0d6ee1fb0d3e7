package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A differential of result-set lifecycles: random sequences of executions, {@code getResultSet},
 * {@code getMoreResults} in its three modes, reads, closes and identity checks, run on a raw
 * connection and on a guarded one side by side. What each step shows (a value, a closed or
 * failing result set, which earlier handle a result set is, whether its statement is the one that
 * ran it) must be the same: the guard's wrapper of a statement's current result set finds its
 * target through the statement, and is closed once the statement runs again, as the driver's is.
 */
final class ResultSetLifecycle {
  /** Texts that give one result set each; the last ones give none. */
  private final List<String> texts;

  /**
   * @param texts SQL the sequences run; each must behave the same every time (a table of fixed
   *     rows, updates that change nothing)
   */
  ResultSetLifecycle(List<String> texts) {
    this.texts = texts;
  }

  /** Runs {@code sequences} random sequences of {@code steps} steps on both connections. */
  void assertSameOn(Connection raw, Connection guarded, long seed, int sequences, int steps) throws SQLException {
    Random random = new Random(seed);
    for (int s = 0; s < sequences; s++) {
      long sequenceSeed = random.nextLong();
      List<String> rawTrace = run(raw, sequenceSeed, steps);
      List<String> guardedTrace = run(guarded, sequenceSeed, steps);
      assertThat(guardedTrace).as("sequence %d (seed %d), raw: %s", s, sequenceSeed, rawTrace).isEqualTo(rawTrace);
    }
  }

  /** One sequence on one connection: what every step showed. */
  private List<String> run(Connection connection, long seed, int steps) throws SQLException {
    Random random = new Random(seed);
    List<String> trace = new ArrayList<>();
    List<ResultSet> handles = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(10);
        String text = texts.get(random.nextInt(texts.size()));
        ResultSet handle = handles.isEmpty() ? null : handles.get(random.nextInt(handles.size()));
        String shown;
        try {
          shown = step(statement, handles, op, text, handle, random);
        } catch (SQLException e) {
          shown = "fails";
        }
        trace.add(op + ": " + shown);
      }
    }
    for (ResultSet handle : handles) {
      trace.add("after the statement's close: " + (handle == null ? "null" : closed(handle)));
    }
    return trace;
  }

  private static String step(Statement statement, List<ResultSet> handles, int op, String text, ResultSet handle,
      Random random) throws SQLException {
    switch (op) {
      case 0:
        return "query " + add(handles, statement.executeQuery(text));
      case 1:
        return "execute " + statement.execute(text);
      case 2:
        return "result set " + add(handles, statement.getResultSet());
      case 3:
        int mode = new int[] {Statement.CLOSE_CURRENT_RESULT, Statement.KEEP_CURRENT_RESULT,
            Statement.CLOSE_ALL_RESULTS}[random.nextInt(3)];
        return "more results (" + mode + ") " + statement.getMoreResults(mode);
      case 4:
        return handle == null ? "none" : "next " + handle.next();
      case 5:
        return handle == null ? "none" : "value " + handle.getInt(1);
      case 6:
        if (handle == null) {
          return "none";
        }
        handle.close();
        return "closed";
      case 7:
        return handle == null ? "none" : "is closed " + handle.isClosed();
      case 8:
        return handle == null ? "none" : "its statement " + (handle.getStatement() == statement);
      default:
        return "update " + statement.executeUpdate("UPDATE t SET x = x WHERE x > 3");
    }
  }

  /** Adds a handle; says which earlier handle it is, if any (the driver hands out one object per result). */
  private static String add(List<ResultSet> handles, ResultSet resultSet) {
    if (resultSet == null) {
      return "null";
    }
    int same = -1;
    for (int i = 0; i < handles.size(); i++) {
      if (handles.get(i) == resultSet) {
        same = i;
        break;
      }
    }
    handles.add(resultSet);
    return same >= 0 ? "handle " + same + " again" : "new handle " + (handles.size() - 1);
  }

  private static String closed(ResultSet handle) {
    try {
      return "is closed " + handle.isClosed();
    } catch (SQLException e) {
      return "fails";
    }
  }
}
