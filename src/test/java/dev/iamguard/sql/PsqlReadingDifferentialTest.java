package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql is the oracle of how the command line must read a script that pipelines run with
 * {@code psql -f}: generated scripts mixing SQL and meta-command lines ({@code \echo} and
 * {@code \set} with quotes, dollar quotes, comment openers, {@code ;} and {@code \\} in their
 * arguments, statements ended by {@code \g} or {@code \gset}, variables) are run by psql against
 * a throwaway PostgreSQL, each statement printing its marker. A script the command line's reading ({@link ScriptReader} with psql on)
 * denies nothing in must be read exactly as psql sends it: its statements, sent one by one to the
 * same server, print the same markers in the same order. A script it denies anything in is
 * refused as a whole ({@code check} fails), which is safe whatever psql would have sent.
 */
class PsqlReadingDifferentialTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();
  private static final Pattern MARKER = Pattern.compile("m\\d+");
  /** Arguments of meta-commands: every form that opens something in the server's reading, and plain words. */
  private static final String[] ARGUMENTS = {"a", "b c", "'q'", "\"x\"", "*/", "'a;b'", ":x", "done.", "it's", "\"",
      "$$", "$t$", "/*", ";", "; select 'zz';", "--", "x;y"};
  /** The first of {@link #ARGUMENTS} that opens something in the server's reading. */
  private static final int CALM_ARGUMENTS = 8;

  @TempDir
  Path dir;

  @Test
  void scriptsTheCommandLineAllowsAreReadAsPsqlSendsThem() throws Exception {
    compare(400, 20261201L);
  }

  /** {@code mvn -B -Pfuzz verify}: far more of them. */
  @Tag("long")
  @Test
  void manyMoreUnderTheFuzzProfile() throws Exception {
    compare(20_000, System.nanoTime());
  }

  private void compare(int cases, long seed) throws Exception {
    Random random = new Random(seed);
    List<String> disagreements = new ArrayList<>();
    int allowed = 0;
    int denied = 0;
    int markers = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      for (int i = 0; i < cases && disagreements.size() < 10; i++) {
        String script = script(random);
        Path file = dir.resolve("s" + i + ".sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        List<String> sent = markers(POSTGRES.psqlScript(file).lines().toList());
        int chunk = random.nextBoolean() ? ScriptReader.DEFAULT_CHUNK : 1 + random.nextInt(40);
        List<String> read = readAsTheCommandLine(script, chunk, server);
        if (read == null) {
          denied++;
          continue;
        }
        allowed++;
        markers += sent.size();
        if (!read.equals(sent)) {
          disagreements.add("seed " + seed + " case " + i + " chunk " + chunk + ":\n" + script
              + "\n  iamguard: " + read + "\n  psql:     " + sent);
        }
      }
    }
    System.out.printf("psql reading differential: %d scripts, %d allowed (%d markers), %d denied (seed %d)%n",
        cases, allowed, markers, denied, seed);
    assertThat(disagreements).as("scripts allowed but read otherwise than psql sends them").isEmpty();
    assertThat(allowed).as("scripts allowed").isGreaterThan(cases / 5);
    assertThat(denied).as("scripts denied").isGreaterThan(cases / 10);
    assertThat(markers).isGreaterThan(cases);
  }

  /** The markers the statements print, in order; null when a statement is denied (has a problem). */
  static List<String> readAsTheCommandLine(String script, int chunk, SimpleQueryWire server) throws IOException {
    List<String> printed = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(script), chunk, true)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        for (SqlStatement statement : piece.statements()) {
          if (!statement.command().problems().isEmpty()) {
            return null;
          }
          printed.addAll(markers(server.query(statement.text()).values()));
        }
      }
    }
    return printed;
  }

  static List<String> markers(List<String> lines) {
    return lines.stream().filter(line -> line != null && MARKER.matcher(line).matches()).toList();
  }

  /** Two to eight units: SQL statements printing a marker each, and meta-command lines. */
  static String script(Random random) {
    StringBuilder script = new StringBuilder();
    int marker = 0;
    int units = 2 + random.nextInt(7);
    // a third of the scripts hold only forms both read alike, the others one unit that may not be: a
    // rule that let such a unit through would show in a script allowed otherwise
    int risky = random.nextInt(3) == 0 ? -1 : random.nextInt(units);
    for (int u = 0; u < units; u++) {
      boolean calm = u != risky;
      String m = "m" + marker++;
      int form = -1;
      if (random.nextInt(5) < 2) {
        script.append(random.nextInt(4) == 0 ? "  " : "").append(random.nextBoolean() ? "\\echo" : "\\set w");
        for (int a = random.nextInt(4); a >= 0; a--) {
          script.append(' ').append(ARGUMENTS[random.nextInt(calm ? CALM_ARGUMENTS : ARGUMENTS.length)]);
        }
        if (!calm && random.nextInt(8) == 0) {
          script.append(" \\\\ select '").append(m).append("';");
        }
      } else {
        int[] calmForms = {0, 1, 2, 3, 4, 5, 8, 9, 10, 11};
        form = calm ? calmForms[random.nextInt(calmForms.length)] : random.nextInt(13);
        switch (form) {
          case 0 -> script.append("select '").append(m).append("';");
          case 1 -> script.append("select\n'").append(m).append("' as x;");
          case 2 -> script.append("select '").append(m).append("' -- c ' $$\n;");
          case 3 -> script.append("select /* c ' */ '").append(m).append("';");
          case 4 -> script.append("select $$").append(m).append("$$;");
          case 5 -> script.append("select '").append(m).append("' \\g");
          case 6 -> script.append("select '").append(m).append("'"); // runs on into what follows
          case 7 -> script.append(random.nextBoolean() ? "\\;select '" + m + "';"
              : "\\set v 'select ''" + m + "'''\n:v;");
          case 8 -> script.append("select ':").append(m).append("' as \"a:b\";"); // colons psql leaves alone
          // \gset prints nothing: the \echo of its variable prints the marker, as the statement does when sent
          // (a variable of its own: after a failed statement psql would echo an older one's value)
          case 9 -> script.append("select '").append(m).append("' as v").append(m).append(" \\gset\n\\echo :v")
              .append(m);
          case 10 -> script.append("select\n'").append(m).append("'\n\\g");
          // psql puts FALSE for a variable test of a name never set: the tag of a dollar quote the script does not hold
          case 12 -> script.append("select $:{?zz}$ a $FALSE$ ; select '").append(m).append("'; select $FALSE$ b $:{?zz}$;");
          default -> script.append("select '").append(m).append("' \\g\n;");
        }
      }
      // a unit ending in \g or \echo ends its line: what follows on it would be the command's argument
      // (\g FILE writes the result to a file), hiding the marker from psql's output but not from the server's
      boolean endsLine = form == 5 || form == 9 || form == 10;
      script.append(random.nextInt(5) == 0 ? "\n-- note ' $$\n" : !endsLine && random.nextInt(6) == 0 ? " " : "\n");
    }
    return script.toString();
  }
}
