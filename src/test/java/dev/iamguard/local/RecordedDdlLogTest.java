package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one INFO line DDL recording logs cannot be forged: an object name written as a quoted
 * identifier holding a line break, a line or paragraph separator, NEL or a terminal escape, in
 * every recorded command, stays on one escaped line (as audit lines do), so it cannot print a
 * line that looks like another logger's, or blank one.
 */
class RecordedDdlLogTest extends WithLocalDb {
  private static final String ROLE = " iam_role 'arn:aws:iam::123456789012:role/R'";
  private static final List<String> BREAKS = List.of("\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\u001b[2K",
      "\u000b", "\u000c", "\u202e");
  private static final List<String> HEADS = List.of(
      "create external schema %s from data catalog database 'db'" + ROLE,
      "create external function %s(int) returns int volatile lambda 'f'" + ROLE,
      "create library %s language plpythonu from 's3://b/lib.zip'" + ROLE,
      "create model %s from (select 1) target x function f" + ROLE + " settings (s3_bucket 'b')");

  @Test
  void anObjectNameWithALineBreakStaysOnOneLine() {
    int checked = 0;
    for (String head : HEADS) {
      for (String lineBreak : BREAKS) {
        String name = "\"x" + lineBreak + "[main] WARN dev.iamguard.audit - decision=\"\"ALLOW\"\"\"";
        String log = captured(() -> db.run(String.format(head, name)));
        List<String> lines = log.lines().toList();
        assertThat(lines).as("%s with %s", head, escaped(lineBreak)).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "recorded, not executed");
        assertThat(lines.get(0).chars().noneMatch(c -> c < 0x20 || c == 0x85 || c == 0x2028 || c == 0x2029
            || c == 0x202e || c == 0x7f)).as("%s with %s: %s", head, escaped(lineBreak), lines.get(0)).isTrue();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(HEADS.size() * BREAKS.size());
  }

  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
    return out.toString();
  }

  interface Action {
    void run() throws Exception;
  }

  private static String captured(Action action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
