package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line reads scripts as psql sends them ({@link PsqlForms}): meta-command lines that
 * both readings end with the line are dropped; every psql form that would make the server's
 * reading (iamguard's) miss what psql sends is a problem, so the statement is denied. The driver,
 * and the command line's {@code run}, read as the server does, unchanged.
 */
class PsqlFormsTest {
  private static final String COPY = "copy t from 's3://b/k' iam_role 'arn:aws:iam::123456789012:role/R'";

  /** The statements the command line reads, with pieces of {@code chunk} characters. */
  private static List<SqlStatement> read(String script, int chunk, boolean psql) {
    List<SqlStatement> all = new ArrayList<>();
    try (ScriptReader reader = new ScriptReader(new StringReader(script), chunk, psql)) {
      for (SqlScript piece = reader.next(); piece != null; piece = reader.next()) {
        all.addAll(piece.statements());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static List<SqlStatement> read(String script) {
    return read(script, ScriptReader.DEFAULT_CHUNK, true);
  }

  private static List<String> problems(String script) {
    return read(script).stream().flatMap(s -> s.command().problems().stream()).map(Problem::reason).toList();
  }

  @Test
  void metaCommandLinesBeforeAStatementAreDroppedAsPsqlDropsThem() {
    List<SqlStatement> statements = read("\\timing on\n\\set ON_ERROR_STOP on\n  \\echo 'Loading' \"venue\"\n"
        + COPY + ";\n\\echo done\n");

    assertThat(statements).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo(COPY);
      assertThat(s.line()).isEqualTo(4);
      assertThat(s.command().kind()).isEqualTo(CommandKind.COPY);
      assertThat(s.command().problems()).isEmpty();
    });
    assertThat(read("\\timing on\n\\echo hi\n")).as("meta-command lines alone are no statement").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\echo Loading today's data\n", "\\echo costs $$ money\n", "\\qecho say \"hi\n",
      "\\echo $t$ tagged\n", "\\echo /* start\n", "\\echo x; select 'y'\n", "\\echo a \\\\ select 1;\n",
      "\\echo a -- \\\\ select 1;\n", "\\set q 'it''s\n"})
  void aMetaCommandLineTheServersReadingRunsOnPastIsAProblem(String line) {
    List<SqlStatement> statements = read(line + COPY + ";\n");

    assertThat(statements).isNotEmpty();
    assertThat(statements.get(0).line()).as("reported as written, from the meta-command").isEqualTo(1);
    assertThat(statements.get(0).command().problems()).extracting(Problem::reason)
        .anySatisfy(reason -> assertThat(reason).startsWith("a psql meta-command (\\"));
  }

  /**
   * A comment the server's reading opens on a meta-command's line and closes lines later holds no
   * token, so no token crosses the line's end: the COPY it hides from that reading is still sent by psql.
   */
  @Test
  void aCommentOpenedOnAMetaCommandLineAndClosedLaterIsAProblem() {
    List<SqlStatement> statements = read("\\echo /* start\n" + COPY + ";\n\\echo */ done\nselect 1;\n");

    assertThat(statements.get(0).line()).isEqualTo(1);
    assertThat(statements.get(0).command().problems()).extracting(Problem::reason)
        .anySatisfy(reason -> assertThat(reason).contains("holds '/*'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"select 'copy ...' \\gexec\n", "\\i other.sql\n", "\\ir ../other.sql\n",
      "\\include other.sql\n", "\\include_relative other.sql\n"})
  void metaCommandsThatRunSqlNotInTheScriptAreProblems(String script) {
    assertThat(problems(script)).anySatisfy(reason -> assertThat(reason).contains("runs SQL that the script does not hold"));
  }

  /** psql's {@code \;} puts a ';' into the statement: the COPY after it on the line is sent, not a meta-command's argument. */
  @ParameterizedTest
  @ValueSource(strings = {"\\;", "\\:", "\\; "})
  void aBackslashBeforeASemicolonOrColonIsNoMetaCommand(String force) {
    assertThat(problems(force + COPY + ";\n")).anySatisfy(reason -> assertThat(reason).contains("not as a meta-command"));
  }

  /** {@code \p} prints the buffer and {@code \r} empties it: the statement goes on, or is never sent. */
  @ParameterizedTest
  @ValueSource(strings = {"\\echo hi", "\\p", "\\r", "\\set x 1", "\\bind 1 \\g"})
  void aMetaCommandInsideAStatementIsAProblem(String meta) {
    assertThat(problems("select 1 " + meta + "\n" + COPY + ";\n"))
        .anySatisfy(reason -> assertThat(reason).contains("inside a statement"));
    assertThat(problems(COPY + "\n" + meta + "\n;\n"))
        .anySatisfy(reason -> assertThat(reason).contains("inside a statement"));
  }

  /**
   * psql sends its buffer at {@code \g} and its kin as at {@code ;} (checked against psql 15:
   * {@code PsqlReadingDifferentialTest}); the server's reading would take the next statement into
   * the one before. The command's line leads the next statement, with every check of such a line.
   */
  @ParameterizedTest
  @ValueSource(strings = {"g", "gx", "gset", "gset p_", "gdesc", "crosstabview", "watch 5", "g out.txt", "g (format=csv)"})
  void aMetaCommandThatSendsTheBufferEndsTheStatement(String meta) {
    for (String sent : List.of("select 1", "select\n1 as x", COPY)) {
      List<SqlStatement> statements = read(sent + " \\" + meta + "\n" + COPY + ";\n");

      assertThat(statements).as(meta).hasSize(2);
      assertThat(statements.get(0).text()).isEqualTo(sent.strip());
      assertThat(statements).allSatisfy(s -> assertThat(s.command().problems()).isEmpty());
      assertThat(statements.get(1).text()).isEqualTo(COPY);
      assertThat(statements.get(1).command().kind()).isEqualTo(CommandKind.COPY);
    }
    assertThat(read(COPY + " \\" + meta)).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo(COPY);
      assertThat(s.command().kind()).isEqualTo(CommandKind.COPY);
      assertThat(s.command().problems()).isEmpty();
    });
    assertThat(read("select 1 \\" + meta + "\n;\n")).as("a ';' alone after it sends nothing").hasSize(1);
  }

  @Test
  void theLineOfAMetaCommandThatSendsTheBufferIsCheckedAsAnyMetaCommandLine() {
    Map<String, String> lines = Map.of("\\g |sh\n", "shell command", "\\gset `id`\n", "shell command",
        "\\g ; select 2\n", "holds ';'", "\\g \\echo x\n", "another backslash", "\\g /* x\n", "holds '/*'",
        "\\g it's\n", "runs on past", "\\gexec\n", "runs SQL that the script");
    lines.forEach((line, problem) -> assertThat(problems("select 1 " + line + COPY + ";\n")).as(line)
        .anySatisfy(reason -> assertThat(reason).contains(problem)));
  }

  @Test
  void aBarePsqlVariableIsAProblemAndItsQuotedFormsAndCastsAreNot() {
    assertThat(problems(":q;\n")).singleElement().satisfies(reason -> assertThat(reason).contains("psql variable (:name)"));
    assertThat(problems("copy t from 's3://b/k' :kw 'arn:aws:iam::1:role/R';"))
        .anySatisfy(reason -> assertThat(reason).contains("psql variable (:name)"));
    assertThat(problems("select :'day' as d, :\"col\", x::int, y ::text, '12:30', 'a:b' from t;")).isEmpty();
  }

  /**
   * psql (10 and later) puts TRUE or FALSE for {@code :{?name}}, as text: {@code $:{?v}$} is sent as
   * the tag {@code $FALSE$}, so a statement the script keeps inside a dollar quote runs (red-team
   * review, 2026-12-05). Anywhere in code it is a problem, as a bare variable is; inside a literal, a
   * quoted name or a comment, and after {@code ::}, psql leaves it alone.
   */
  @ParameterizedTest
  @ValueSource(strings = {"select $:{?v}$ a $FALSE$ ; " + COPY + " ; select $FALSE$ b $:{?v}$ ;\n",
      "select :{?v};\n", "select 1 where :{?my_var} ;\n", "select x:{?v9};\n", "select $:{?V}$ $FALSE$;\n",
      "select 1;\nselect $:{?\u00e9t\u00e9}$ x $TRUE$;\n", COPY + " :{?v};\n"})
  void aVariableTestInCodeIsAProblemAtEveryPieceSize(String script) {
    for (int chunk : new int[] {ScriptReader.DEFAULT_CHUNK, 1, 3, 7}) {
      assertThat(read(script, chunk, true).stream().flatMap(s -> s.command().problems().stream()).map(Problem::reason))
          .as(script + " in pieces of " + chunk).anySatisfy(reason -> assertThat(reason).contains("(:{?name})"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"select ':{?v}';\n", "select 1 as \":{?v}\";\n", "select 1 -- :{?v}\n;\n",
      "select '{?v}'::{?v};\n", "select :{v};\n", "select :{?};\n", "select :{?v;\n", "select $$:{?v}$$;\n"})
  void aVariableTestOutsideCodeOrMalformedIsNone(String script) {
    assertThat(problems(script)).as(script).noneSatisfy(reason -> assertThat(reason).contains("(:{?name})"));
  }

  /**
   * A quoted variable is sent as a literal or a name, which in an auth-carrying statement may be the
   * role, key or S3 location (probe 19c: {@code JSON :'p'} read the JSONPaths file from a variable).
   */
  @ParameterizedTest
  @ValueSource(strings = {"copy t from 's3://b/k' iam_role default json :'p';", "copy t from :'src' iam_role default;",
      "unload ('select 1') to 's3://b/k' iam_role :'role';", "copy t from 's3://b/k' iam_role default format as avro :\"p\";",
      "create external schema s from data catalog database :'db' iam_role default;"})
  void aQuotedVariableInAnAuthCarryingStatementIsAProblem(String statement) {
    assertThat(problems(statement + "\n")).as(statement)
        .anySatisfy(reason -> assertThat(reason).contains("psql variable (:'name' or :\"name\")"));
    assertThat(read(statement, ScriptReader.DEFAULT_CHUNK, false)).as("the server's reading")
        .allSatisfy(s -> assertThat(s.command().problems()).extracting(Problem::reason)
            .noneSatisfy(reason -> assertThat(reason).contains("psql variable")));
  }

  /**
   * Forms an attack on the first version found (probe 18c), each verified with psql sending the COPY
   * while the command line allowed the script: all are problems now.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "\\set v 'int; " + "COPY t FROM ''s3://b/k'' IAM_ROLE ''arn:aws:iam::999999999999:role/Evil'''\nselect 1:::v;\n",
      "select 1:::::v;\n",
      "CREATE PROCEDURE p() AS ''\n:'body' LANGUAGE plpgsql;\nCALL p();\n",
      "select U&'x\\'\nselect chr(67) \\gexec\n-- '\n;\n",
      "select 'a\\'\n\\i evil.sql\n-- '\n;\n",
      "\\echo x\rselect $q$\n" + COPY + ";\n-- $q$\n",
      "\\copy t from stdin IAM_ROLE 'arn:aws:iam::999999999999:role/Evil'\nselect 1;\n",
      "\\! psql -c \"COPY t FROM 's3://b/k' IAM_ROLE 'x'\"\nselect 1;\n",
      "\\o |psql\nselect 1;\n",
      "\\set q `cat evil.sql`\nselect 1;\n",
      "\\c - otheruser\n" + COPY + ";\n",
      "\\connect \"dbname=dev user=admin\"\n" + COPY + ";\n",
      // probe 19c: pipes after options, quoted, or from a variable; an editor and what it runs
      "select 1 \\g (format=csv) |psql\n", "select 1 \\g '|psql'\n", "\\o '|psql'\nselect 1;\n",
      "\\set out '|psql'\nselect 1 \\g :out\n", "\\w :f\nselect 1;\n", "\\o :'f'\nselect 1;\n",
      "\\setenv EDITOR 'cp evil.sql'\nselect 1;\n\\e\n", "select 1 \\e\n", "\\ef f\nselect 1;\n",
      "\\ev v\nselect 1;\n", "\\edit x.sql\nselect 1;\n",
      // SINGLELINE: psql sends each line as a statement (the CREATE without IAM_ROLE was allowed)
      "\\set SINGLELINE on\nselect 1\ncreate external table s.t (a int) location 's3://evilbucket/x/';\n",
      "\\set 'SINGLELINE' on\nselect 1;\n", "\\set v SINGLELINE\n\\set :v on\nselect 1;\n"})
  void formsPsqlSendsDifferentlyAreProblems(String script) {
    assertThat(read(script).stream().flatMap(s -> s.command().problems().stream())).as(script).isNotEmpty();
  }

  @Test
  void aConnectionToAnotherDatabaseOnlyIsRead() {
    assertThat(read("\\c analytics\n" + COPY + ";\n")).singleElement()
        .satisfies(s -> assertThat(s.command().problems()).isEmpty());
  }

  /** psql drops a line's text from a NUL on (probe 18c: a dollar quote after it hid a COPY psql sends). */
  @Test
  void aNulCharacterIsAProblem() {
    assertThat(problems("select 1; \0$q$\n" + COPY + ";\n-- $q$\n"))
        .anySatisfy(reason -> assertThat(reason).contains("NUL character"));
    assertThat(problems("select 'a\0b';\n")).anySatisfy(reason -> assertThat(reason).contains("NUL character"));
    assertThat(read("select 1; \0select 2;\n", ScriptReader.DEFAULT_CHUNK, false)).as("run reads as the server")
        .hasSize(2).allSatisfy(s -> assertThat(s.command().problems()).isEmpty());
  }

  /**
   * Pieces holding meta-command lines are parsed whole; a NUL in the last statement of a long script
   * is found there and nowhere else. (The search for a NUL once ran from each statement to its
   * piece's end: 200,000 statements with a meta-command line every thousand took 30.7 s, 1.6 s now;
   * measured with the command line, not here.)
   */
  @Test
  void piecesWithMetaCommandsAndALateNulAreReadWhole() {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      script.append(i % 1000 == 0 ? "\\echo batch\n" : "").append("select 'abc").append(i).append("', 'def' as x;\n");
    }
    script.append("select 'tail\0';\n");
    List<SqlStatement> statements = read(script.toString());
    assertThat(statements).hasSize(60_001);
    assertThat(statements.get(60_000).command().problems()).extracting(Problem::reason)
        .anySatisfy(reason -> assertThat(reason).contains("NUL character"));
  }

  /** A name longer than psql's own may be a key written after a backslash or colon: no message prints it. */
  @Test
  void noProblemPrintsALongNameThatMayBeAKey() {
    List<String> reasons = new ArrayList<>();
    for (String script : List.of("\\AKIAIOSFODNN7EXAMPLE it's\n" + COPY + ";\n", "select :AKIAIOSFODNN7EXAMPLE;\n",
        "select 1 \\wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY;\n")) {
      reasons.addAll(problems(script));
    }
    // four: the first script's misread line also denies what follows it, a statement of its own
    assertThat(reasons).hasSize(4)
        .allSatisfy(reason -> assertThat(reason).doesNotContain("AKIAIOSFODNN", "wJalrXUtnFEMI"));
  }

  @Test
  void theServersReadingIsUnchangedForTheDriverAndForRun() {
    String script = "\\echo Loading today's data\n" + COPY + ";\n:q;\n";
    for (List<SqlStatement> statements : List.of(SqlScript.parse(script).statements(),
        read(script, ScriptReader.DEFAULT_CHUNK, false))) {
      assertThat(statements).allSatisfy(s -> assertThat(s.command().problems()).extracting(Problem::reason)
          .noneSatisfy(reason -> assertThat(reason).contains("psql")));
      assertThat(statements.get(0).text()).startsWith("\\echo");
    }
  }

  /**
   * A piece never ends inside a meta-command's line: a {@code ;} in its argument ends a statement
   * in the server's reading, and a cut there left the rest of the line to the next piece as SQL
   * (found by {@code PsqlReadingDifferentialTest}). Every chunk size reads the same.
   */
  @Test
  void everyPieceSizeReadsTheSame() {
    String script = "select 1;\n\\set w ; select 'zz'; $t$\n" + COPY + ";\n\\echo x; y\n\\timing on\n" + COPY + ";\n"
        + "select 2 \\gset\n" + COPY + " \\g\nselect\n3\n\\g\n;\n" + COPY + "\n\\g |cat\n";
    List<String> whole = describe(read(script));
    assertThat(whole).anySatisfy(line -> assertThat(line).contains("holds ';'"));
    for (int chunk = 1; chunk <= script.length() + 1; chunk++) {
      assertThat(describe(read(script, chunk, true))).as("chunk %d", chunk).isEqualTo(whole);
    }
  }

  private static List<String> describe(List<SqlStatement> statements) {
    return statements.stream().map(s -> s.line() + ":" + s.column() + " " + s.command().kind() + " "
        + s.command().problems().stream().map(Problem::reason).toList()).toList();
  }
}
