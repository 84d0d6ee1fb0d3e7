package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for which statements change who runs the next one: every shape built
 * from SET (with SESSION or LOCAL), RESET and DISCARD, the names of the role and session
 * authorization parameters however written (quoted, in either case, Unicode-escaped), TO, = or
 * nothing, and the values, with comments between the words, runs on PostgreSQL 15 after
 * {@code set role r2}; where {@code current_user} or {@code session_user} is then another, the
 * guard's {@link SessionEffects} of the text must hold {@link SessionEffects#IDENTITY}, which is
 * what makes {@code check} and a connection stop trusting the identity they follow. A change the
 * guard does not see lets them judge what follows for a user who does not run it (high).
 */
class RoleShapesServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final String[] BETWEEN = {" ", "/* c */", " -- c\n", "\n", "/**/"};

  static List<String> shapes() {
    List<String> shapes = new ArrayList<>();
    int n = 0;
    for (String head : List.of("set", "set session", "set local", "set session session", "reset", "discard")) {
      for (String name : List.of("role", "\"role\"", "Role", "u&\"role\"", "u&\"\\0072ole\"", "U&\"r\\006Fle\"",
          "session authorization", "session_authorization", "\"session_authorization\"", "all", "\"all\"", "plans",
          "temp", "sequences", "\"ROLE\"", "role role")) {
        for (String to : List.of(" ", " to ", " = ", "=", " TO ", "")) {
          for (String value : List.of("r1", "'r1'", "\"r1\"", "none", "default", "")) {
            String words = String.join(" ", head, name) + to + value;
            String shape = String.join(BETWEEN[n++ % BETWEEN.length], words.strip().split(" +"));
            shapes.add(n % 2 == 0 ? shape : shape.toUpperCase(Locale.ROOT).replace("\"ROLE\"", "\"role\"")
                .replace("\"R1\"", "\"r1\""));
          }
        }
      }
    }
    return shapes;
  }

  @Test
  void theGuardSeesEveryStatementThatChangesWhoRunsTheNext() throws Exception {
    List<String> unseen = new ArrayList<>();
    int changed = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      server.query("create role r1");
      server.query("create role r2");
      for (String shape : shapes()) {
        SimpleQueryWire.Answer answer = server.query("begin;\nset role r2;\n" + shape
            + "\n; select current_user::text || '/' || session_user::text; rollback");
        if (answer.error() != null) {
          server.query("rollback");
          continue;
        }
        String who = answer.values().get(answer.values().size() - 1);
        if (who.equals("r2/" + LocalPostgres.USER)) {
          continue;
        }
        changed++;
        if (!SessionEffects.has(SqlScript.parse(shape).effects(), SessionEffects.IDENTITY)) {
          unseen.add(SimpleQueryWire.printable(shape) + " -> the server runs the next statement as " + who);
        }
      }
    }
    assertThat(unseen).isEmpty();
    assertThat(changed).as("shapes that changed the identity").isGreaterThan(100);
  }
}
