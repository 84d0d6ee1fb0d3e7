package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for how the guard reads SET SESSION AUTHORIZATION: for every shape
 * built from its heads, its values and what may follow them, either PostgreSQL 15 (the superuser
 * postgres, who alone may switch) runs it and the guard reads the user it switched to, or the
 * server refuses it and the guard does not read it as a change of identity (it reports a problem,
 * so the text is denied, or it reads no such statement). A shape the server refuses but the guard
 * read as a switch (a user followed by another word, a cast, a comma) made {@code check} and the
 * emulation on H2 judge the statements after it for a user who never ran them.
 */
class SessionAuthorizationShapesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  static List<String> shapes() {
    List<String> shapes = new ArrayList<>();
    for (String head : List.of("set session authorization ", "SET LOCAL SESSION AUTHORIZATION ",
        "set session session authorization ", "set session_authorization to ", "set session_authorization = ",
        "set \"session_authorization\" TO ", "reset session authorization", "set session authorization to ")) {
      for (String value : List.of("user3", "'user3'", "\"user3\"", "default", "DEFAULT", "")) {
        for (String tail : List.of("", " extra", " user3", ", user3", ", 'user3'", " to", "::text", " ::text",
            "::name", " collate \"C\"", " || 'x'", " -- c", " /* c */", ".x", "[1]", "()", " default")) {
          shapes.add(head + value + tail);
        }
      }
    }
    for (String word : WORDS) {
      shapes.add("set session authorization " + word);
      shapes.add("set session authorization " + word.toLowerCase(java.util.Locale.ROOT));
    }
    return shapes;
  }

  /**
   * PostgreSQL's reserved key words, and as many words that are not (key words of other kinds, the
   * words of these statements, Redshift's commands): a reserved one cannot name the user unquoted.
   */
  private static final List<String> WORDS = List.of("ALL", "ANALYSE", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC",
      "ASYMMETRIC", "BOTH", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE", "CURRENT_CATALOG",
      "CURRENT_DATE", "CURRENT_ROLE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DEFERRABLE", "DESC",
      "DISTINCT", "DO", "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN", "FROM", "GRANT", "GROUP", "HAVING",
      "IN", "INITIALLY", "INTERSECT", "INTO", "LATERAL", "LEADING", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "NOT",
      "NULL", "OFFSET", "ON", "ONLY", "OR", "ORDER", "PLACING", "PRIMARY", "REFERENCES", "RETURNING", "SELECT",
      "SESSION_USER", "SOME", "SYMMETRIC", "TABLE", "THEN", "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "USER",
      "USING", "VARIADIC", "WHEN", "WHERE", "WINDOW", "WITH",
      "NAME", "TEXT", "ROLE", "SESSION", "AUTHORIZATION", "LOCAL", "RESET", "SET", "BEGIN", "COMMIT", "COPY",
      "UNLOAD", "IAM_ROLE", "OFF", "NEW", "OLD", "NONE", "ADMIN", "OWNER", "BETWEEN", "BINARY", "CROSS", "FREEZE",
      "FULL", "ILIKE", "INNER", "IS", "JOIN", "LEFT", "LIKE", "NATURAL", "OUTER", "OVERLAPS", "RIGHT", "SIMILAR",
      "VERBOSE", "INT", "TIMESTAMP", "VALUES", "ETL", "LOADER");

  /** A refusal that is not about the shape: a user the server does not have (the guard cannot know users). */
  private static final String NO_SUCH_USER = "NO_SUCH_USER";

  /**
   * The user that runs the statement after {@code shape} on the server; null when it refuses
   * {@code shape}; {@link #NO_SUCH_USER} when it refuses the user it names.
   */
  private static String whoRunsAfter(SimpleQueryWire server, String shape) throws Exception {
    SimpleQueryWire.Answer answer = server.query("begin;\n" + shape + "\n; select session_user::text; rollback");
    if (answer.error() != null) {
      server.query("rollback");
      return answer.error().matches("role \".*\" does not exist") ? NO_SUCH_USER : null;
    }
    List<String> values = answer.values();
    return values.get(values.size() - 1);
  }

  @Test
  void theGuardReadsAsASwitchExactlyWhatTheServerRunsAsOne() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int ran = 0;
    int refused = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      assertThat(server.query("create role user3").error()).isNull();
      for (String word : WORDS) {
        server.query("create role " + word); // refused for a reserved word
      }
      for (String shape : shapes()) {
        String user = whoRunsAfter(server, shape);
        if (user == NO_SUCH_USER) {
          continue;
        }
        List<SqlStatement> statements = SqlScript.parse(shape).statements();
        RedshiftCommand command = statements.size() == 1 ? statements.get(0).command() : null;
        boolean readAsSwitch = command != null && command.kind() == CommandKind.SET_SESSION_AUTHORIZATION
            && command.problems().isEmpty();
        String guardUser = readAsSwitch ? (command.sessionUser() == null ? LocalPostgres.USER : command.sessionUser()) : null;
        if (user == null) {
          refused++;
          if (readAsSwitch) {
            disagreements.add(shape + " -> server refuses, guard reads a switch to " + guardUser);
          }
        } else {
          ran++;
          if (!user.equals(guardUser)) {
            disagreements.add(shape + " -> server runs it as " + user + ", guard reads "
                + (readAsSwitch ? guardUser : "no switch: " + (command == null ? statements.size() + " statements"
                : command.kind() + " " + command.problems())));
          }
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(ran).as("ran").isGreaterThan(100);
    assertThat(refused).as("refused").isGreaterThan(800);
  }
}
