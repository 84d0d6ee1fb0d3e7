package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The procedure a CALL runs, read as the server reads its name: unquoted parts folded to lower
 * case, quoted ones kept with {@code ""} as one quote, comments and whitespace anywhere between
 * the tokens, the JDBC escapes; a name that cannot be read so is an empty list, any other
 * statement none.
 */
class CalledProcedureTest {
  static Stream<Arguments> calls() {
    return Stream.of(
        Arguments.of("call p_copy()", List.of("p_copy")),
        Arguments.of("CALL P_Copy(1, 'x')", List.of("p_copy")),
        Arguments.of("Call etl.P_COPY ()", List.of("etl", "p_copy")),
        Arguments.of("call /* a */ etl /* b */ . -- c\n p_copy()", List.of("etl", "p_copy")),
        Arguments.of("call\t\"P_Mixed\"()", List.of("P_Mixed")),
        Arguments.of("call \"etl\".\"Odd \"\"Name\"\"\"()", List.of("etl", "Odd \"Name\"")),
        Arguments.of("call dev.etl.p()", List.of("dev", "etl", "p")),
        Arguments.of("{call p_copy(?)}", List.of("p_copy")),
        Arguments.of("{? = call Etl.F(?)}", List.of("etl", "f")),
        Arguments.of("{ call \"Q\"() }", List.of("Q")),
        Arguments.of("call p_copy", List.of("p_copy")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void aCallNamesItsProcedureAsTheServerReadsIt(String sql, List<String> parts) {
    assertThat(only(sql).calledProcedure()).isEqualTo(parts);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"call U&\"p\\0061\"()", "call u&\"p\"()", "call p.U&\"q\"()", "call p::text()", "call p[1]()", "call 'p'()", "call a.b.c.d()", "call ()", "call $1()", "{call}"})
  void aCallWhoseNameCannotBeReadSoNamesNone(String sql) {
    assertThat(only(sql).calledProcedure()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"select p_copy()", "callx p()", "/* call p() */ select 1", "select 'call p()'",
      "{fn now()}", "{d '2026-12-05'}", "recall p()", "copy t from 's3://b/k' iam_role default"})
  void anyOtherStatementCallsNothing(String sql) {
    assertThat(only(sql).calledProcedure()).isNull();
  }

  private static SqlStatement only(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    return statements.get(0);
  }
}
