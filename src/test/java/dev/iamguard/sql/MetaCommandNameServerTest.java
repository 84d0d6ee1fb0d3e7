package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql (with PostgreSQL 15) is the oracle for where a meta-command's name ends: psql's name runs
 * to the next space ({@code [ \t\n\r\f]}, not the vertical tab) or backslash and takes every
 * other char, so {@code \g¢} and {@code \g-} are unknown commands (psql says "invalid command" and
 * the statement runs on into the next line), not {@code \g}, which sends the statement before it.
 * The class of input: {@code \g} followed by each printable ASCII char that is no letter, digit or
 * {@code _}, by a vertical tab, and by chars beyond ASCII that Java's
 * {@code Character.isLetterOrDigit} rejects, up to four of each Unicode category (computed); as
 * controls, by a space and by a letter ({@code \gz}, unknown to both). The statements the command
 * line reads (ScriptReader, psql on) are sent to the server one by one; the markers they print must
 * be those psql's run prints, or the script be denied.
 *
 * <p>Before the guard read the name as psql does in {@code endsStatement} (it took the run of
 * {@code Character.isLetterOrDigit} and {@code _}), 108 of the 115 scripts differed (6 denied):
 * read as two statements, each allowed, where psql sends one (which the server refuses); now the
 * unknown command inside the statement denies it, as any meta-command the guard cannot follow.
 */
class MetaCommandNameServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  @TempDir
  Path dir;

  /** The chars after {@code \g}: ASCII punctuation (not {@code \}), up to 4 chars of each category beyond ASCII that are no letter or digit, a space, a letter. */
  static List<Character> afterNames() {
    List<Character> chars = new ArrayList<>();
    for (char c = '!'; c <= '~'; c++) {
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '\\') {
        chars.add(c);
      }
    }
    Map<Integer, Integer> perType = new LinkedHashMap<>();
    for (int c = 0x80; c <= 0xFFFF; c++) {
      char ch = (char) c;
      if (!Character.isSurrogate(ch) && !Character.isLetterOrDigit(ch) && Character.isDefined(ch)
          && perType.merge(Character.getType(ch), 1, Integer::sum) <= 4) {
        chars.add(ch);
      }
    }
    chars.add('\u000b'); // a vertical tab: psql's space or not
    chars.add(' ');
    chars.add('z');
    return chars;
  }

  @Test
  void aMetaCommandNameEndsWherePsqlEndsIt() throws Exception {
    List<Character> after = afterNames();
    assertThat(after).as("chars after \\g").hasSizeGreaterThan(80).contains('\u00a2', '-', '\u00a0');
    StringBuilder all = new StringBuilder();
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      String script = "select 'm" + 2 * i + "' \\g" + after.get(i) + "\nselect 'm" + (2 * i + 1) + "';\n";
      scripts.add(script);
      all.append(script);
    }
    Path file = dir.resolve("names.sql");
    Files.writeString(file, all, StandardCharsets.UTF_8);
    List<String> printed = PsqlReadingDifferentialTest.markers(POSTGRES.psqlScript(file).lines().toList());
    List<String> differ = new ArrayList<>();
    int denied = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      for (int i = 0; i < scripts.size(); i++) {
        List<String> read = PsqlReadingDifferentialTest.readAsTheCommandLine(scripts.get(i), ScriptReader.DEFAULT_CHUNK, server);
        List<String> own = List.of("m" + 2 * i, "m" + (2 * i + 1));
        List<String> sent = printed.stream().filter(own::contains).toList();
        if (read == null) {
          denied++;
        } else if (!read.equals(sent)) {
          differ.add(SimpleQueryWire.printable(scripts.get(i)) + " -> psql prints " + sent + ", the guard's statements " + read);
        }
      }
    }
    System.out.printf("MetaCommandNameServerTest: %d scripts, %d denied, %d differ%n", scripts.size(), denied, differ.size());
    differ.stream().limit(20).forEach(System.out::println);
    assertThat(printed).as("the control: \\g before a space sends").contains("m" + 2 * (after.size() - 2));
    assertThat(denied).as("the control \\g before a space is allowed").isLessThan(scripts.size());
    assertThat(differ).as("scripts read otherwise than psql sends them").isEmpty();
  }
}
