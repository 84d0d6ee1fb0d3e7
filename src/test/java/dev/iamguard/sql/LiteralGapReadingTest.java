package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A literal continued across lines ({@code 'a'} newline {@code 'b'}) may hold {@code --} comments
 * in its gaps; every reading skips them alike, so what they hold (a backslash before a quote, a
 * character beyond ASCII before a backslash, quotes, semicolons) is no part of the value and
 * changes no verdict. A comment's {@code \'} made the literal look as if its end depended on
 * {@code standard_conforming_strings}: the whole text then refused a later literal with a backslash
 * that a streamed reading of the same script let through (found by ScriptReaderProperties with
 * more tries).
 */
class LiteralGapReadingTest {
  private static final String ROLE = "'arn:aws:iam::123456789012:role/R'";

  /** What comes before the continued literal: nothing, ordinary statements, changes of how the server lexes. */
  private static final List<String> BEFORE = List.of(
      "",
      "select 1;\n",
      "select 'x';\n",
      "set client_encoding to 'SJIS';\n",
      "set standard_conforming_strings to on;\n".repeat(9));

  /**
   * A literal whose end depends on the setting before the continued one: the PostgreSQL reading is
   * out of step from it, and there the gap comment is literal text that may end a literal, so
   * its content may rightly change verdicts; the streamed reading must still agree with the whole.
   */
  private static final String OUT_OF_STEP = "select 'a\\'b';\n";

  /** What the comments in the literal's gaps hold. */
  private static final List<String> COMMENTS = List.of(
      "\\'", "\\\\'", "\\", "é\\", "é\\'", "'x\\'", "c; 'x'", "\\'-- c; 'x'", "$$\\'$$", "\\';copy");

  /** How the continued literal is written around its comment. */
  private static final List<String> LITERALS = List.of(
      "select ''''''''--%s\n''", "select 'a' --%s\n'b'", "select 'a'\n--%s\n'b'", "select 'a'--%s\r\n  --%s\n'b'",
      "select e'a'--%s\n'b'", "select n'a'--%s\n'b'");

  /** What follows it: literals whose end depends on the setting, auth clauses. */
  private static final List<String> AFTER = List.of(
      "",
      ";/* a /* b */ ; */'a\\'b'",
      "; select 'a\\'b'",
      "; select 'é\\x'",
      "; copy t from 's3://b/k' iam_role " + ROLE,
      "; select 'x\\'; copy t from ''s3://b/k'' iam_role ''arn:aws:iam::123456789012:role/R'';'",
      "; unload ('select ''a\\''b''') to 's3://b/u/' iam_role " + ROLE);

  @Test
  void whatAGapCommentHoldsChangesNoVerdict() {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (String script : scripts(BEFORE)) {
      cases++;
      String neutral = neutralComments(script);
      List<String> verdicts = ScriptReaderProperties.asReadWhole(script);
      List<String> neutralVerdicts = ScriptReaderProperties.asReadWhole(neutral);
      if (!problems(verdicts).equals(problems(neutralVerdicts))) {
        failures.add(script + "\n  as written: " + problems(verdicts) + "\n  neutral:    " + problems(neutralVerdicts));
      }
    }
    assertThat(cases).isEqualTo(BEFORE.size() * COMMENTS.size() * LITERALS.size() * AFTER.size());
    assertThat(failures).as("%d of %d scripts", failures.size(), cases).isEmpty();
  }

  @Test
  void aStreamedScriptGetsTheVerdictsOfTheWholeText() throws IOException {
    List<String> failures = new ArrayList<>();
    List<String> before = new ArrayList<>(BEFORE);
    before.add(OUT_OF_STEP);
    for (String script : scripts(before)) {
      List<String> whole = ScriptReaderProperties.asReadWhole(script);
      for (int chunk = 1; chunk <= 48; chunk++) {
        List<String> pieces = ScriptReaderProperties.describe(ScriptReaderProperties.read(new StringReader(script), chunk));
        if (!pieces.equals(whole)) {
          failures.add("chunk " + chunk + ": " + script);
          break;
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aBackslashInAGapCommentIsNoPartOfTheValue() {
    String text = "select 'a'--\\'\n'b'";
    Tokens t = Lexer.tokenize(text, Lexer.Reading.REDSHIFT);
    int literal = 1;
    assertThat(t.kind(literal)).isEqualTo(TokenKind.STRING);
    assertThat(LexingChange.settingDependent(t, literal)).isFalse();
    assertThat(LexingChange.holdsBackslash(t, literal)).isFalse();
    Tokens wide = Lexer.tokenize("select 'a'--é\\\n'b'", Lexer.Reading.REDSHIFT);
    assertThat(LexingChange.backslashAfterWideChar(wide, literal)).isFalse();
    // the value's own backslashes still count, before and after the gap
    for (String value : List.of("select 'a\\'c'--x\n'b'", "select 'a'--x\n'b\\'c'", "select 'a'--\\'\n'b\\'c'")) {
      Tokens v = Lexer.tokenize(value, Lexer.Reading.REDSHIFT);
      assertThat(v.kind(literal)).as(value).isEqualTo(TokenKind.STRING);
      assertThat(LexingChange.settingDependent(v, literal)).as(value).isTrue();
      assertThat(LexingChange.holdsBackslash(v, literal)).as(value).isTrue();
    }
    assertThat(LexingChange.backslashAfterWideChar(Lexer.tokenize("select 'a'--x\n'é\\c'", Lexer.Reading.REDSHIFT), literal))
        .isTrue();
  }

  private static List<String> scripts(List<String> befores) {
    List<String> scripts = new ArrayList<>();
    for (String before : befores) {
      for (String comment : COMMENTS) {
        for (String literal : LITERALS) {
          for (String after : AFTER) {
            scripts.add(before + literal.replace("%s", comment) + after);
          }
        }
      }
    }
    return scripts;
  }

  /** The script with every character of the gap comments' text after {@code --} made an {@code x}: same offsets. */
  private static String neutralComments(String script) {
    Tokens t = Lexer.tokenize(script, Lexer.Reading.REDSHIFT);
    StringBuilder out = new StringBuilder(script);
    int[] gaps = t.literalGaps(0, script.length());
    for (int g = 0; g < gaps.length; g += 2) {
      boolean comment = false;
      for (int i = gaps[g]; i < gaps[g + 1]; i++) {
        char c = script.charAt(i);
        if (c == '\n' || c == '\r') {
          comment = false;
        } else if (!comment && c == '-' && i + 1 < gaps[g + 1] && script.charAt(i + 1) == '-') {
          comment = true;
          i++;
        } else if (comment) {
          out.setCharAt(i, 'x');
        }
      }
    }
    return out.toString();
  }

  /** The verdict part of each described statement: its problems, not its text. */
  private static List<String> problems(List<String> described) {
    return described.stream().map(line -> {
      int bar = line.indexOf(" | ");
      return bar < 0 ? line : line.substring(0, line.indexOf(' ')) + line.substring(bar);
    }).toList();
  }
}
