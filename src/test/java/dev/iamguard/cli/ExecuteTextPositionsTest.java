package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finding inside the constant text of a procedure's {@code EXECUTE} stands where its clause was
 * written (outside contract probe 6): columns were counted in the decoded text from the literal's
 * start, so each {@code ''} before the clause moved it one column left ({@code iam_role} at column
 * 66 reported at 61), and a text joined from literals by {@code ||} was off by what stood between
 * them. Generated bodies: statements before the auth-carrying one, quotes doubled in literals
 * ({@code 'it''s'}), texts joined by {@code ||} and across lines, dollar-quoted texts, several
 * EXECUTEs on a line; every finding's line and column is that of its {@code iam_role} in the script.
 */
class ExecuteTextPositionsTest {
  private static final String NOPE = "arn:aws:iam::123456789012:role/Nope";

  @TempDir
  Path dir;

  /** The EXECUTE of {@code sql} in one of the forms PL/pgSQL reads as a constant text. */
  private static String execute(String sql, Random random) {
    if (random.nextInt(4) == 0 && !sql.contains("$")) {
      String tag = random.nextBoolean() ? "$q$" : "$x1$";
      return "execute " + tag + sql + tag + ";";
    }
    String quoted = sql.replace("'", "''");
    // joined at spaces only, so that the keyword stays whole in one literal
    StringBuilder text = new StringBuilder("'");
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      text.append(c);
      if (c == ' ' && random.nextInt(12) == 0) {
        text.append(random.nextBoolean() ? "' || '" : "'\n    || '");
      }
    }
    String execute = "execute " + (random.nextBoolean() ? "" : "(") + text + "'";
    return execute + (execute.startsWith("execute (") ? ")" : "") + ";";
  }

  private static String statementBefore(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> "";
      case 1 -> "select 'it''s'; ";
      case 2 -> "insert into log values ('a''b', 'c');\n ";
      case 3 -> "select '''' || 'x'; ";
      default -> "update t set v = 'x' where w = ''; ";
    };
  }

  @Test
  void everyFindingInAnExecuteTextStandsAtItsClause() throws Exception {
    Random random = new Random(2026120318L);
    for (int body = 0; body < 40; body++) {
      StringBuilder script = new StringBuilder("create procedure p() as $$\nbegin\n");
      int executes = 1 + random.nextInt(4);
      for (int e = 0; e < executes; e++) {
        String sql = statementBefore(random) + "copy t from 's3://acmedata/x/" + "o".repeat(random.nextInt(2)) + "'"
            + (random.nextBoolean() ? "\n" : " ") + "iam_role '" + NOPE + "'";
        script.append(random.nextInt(3) == 0 ? " " : "  ").append(execute(sql, random))
            .append(random.nextInt(4) == 0 ? " " : "\n");
      }
      script.append("\nend;\n$$ language plpgsql;\n");
      Path file = Files.writeString(dir.resolve("p" + body + ".sql"), script.toString());

      CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", file.toString());

      List<String> expected = new ArrayList<>();
      String text = script.toString();
      for (int at = text.indexOf("iam_role"); at >= 0; at = text.indexOf("iam_role", at + 1)) {
        int line = 1 + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
        int column = at - text.lastIndexOf('\n', at - 1);
        expected.add(file + ":" + line + ":" + column);
      }
      List<String> found = run.out().lines().filter(l -> l.contains(" DENY ROLE_UNKNOWN "))
          .map(l -> l.substring(0, l.indexOf(": DENY"))).toList();
      assertThat(found).as(text).isEqualTo(expected);
    }
  }
}
