package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A statement that may change what a later CALL of the same execution runs is refused where only
 * another reading shows it, exactly where the guard's own reading counts it so
 * ({@link ProcedureChanges#routinesChanged}, which {@code CallChecks} reads for a CALL after it):
 * hidden in a literal that a server with {@code standard_conforming_strings=on} closes early, and
 * after a {@code ;} the Redshift driver splits at inside what the guard reads as a line comment.
 * Changing a schema's owner is counted by the guard's reading (it counts any ALTER SCHEMA) but
 * changes no routine, and a hidden one is not refused; nor is a statement the server surely refuses
 * ({@link CertainSyntaxError}: {@code do this now}). Every combination of the generator's parts is tried.
 */
class HiddenRoutineChangeProperties {

  @Provide
  Arbitrary<String> statements() {
    Arbitrary<String> verb = Arbitraries.of("create", "CREATE OR REPLACE", "create or replace", "alter", "Alter", "drop",
        "comment on", "do", "grant execute on", "create temp");
    Arbitrary<String> object = Arbitraries.of("procedure", "FUNCTION", "routine", "schema", "extension", "table", "view",
        "language plpgsql", "$q$ begin null; end $q$", "'begin null; end'");
    Arbitrary<String> name = Arbitraries.of("p", "s.p", "\"P\"", "s.\"p q\"", "hd", "\"hd\"", "", "p2");
    Arbitrary<String> tail = Arbitraries.of("", "()", "(int)", "() rename to q", " rename to t", "() owner to u",
        " owner to u", "() security definer", "() set search_path to s", "() language plpgsql as $q$ begin null; end $q$",
        " (a int)", " update", " is 'x'");
    return Combinators.combine(verb, object, name, tail).as((v, o, n, t) -> (v + " " + o + " " + n + t).strip());
  }

  /** Every combination (about 10,000): a random draw found an edge the first draws missed. */
  @Property(generation = GenerationMode.EXHAUSTIVE, tries = 20_000)
  void aHiddenStatementIsRefusedWhereTheGuardsReadingCountsItAsChangingRoutines(@ForAll("statements") String statement) {
    List<SqlStatement> visible = SqlScript.parse(statement).statements();
    Tokens tokens = Lexer.tokenize(statement);
    boolean changes = visible.size() == 1 && !ProcedureChanges.routinesChanged(visible.get(0)).isEmpty()
        && !ownerOfSchema(statement) && !CertainSyntaxError.of(tokens, 0, tokens.count());
    Statistics.label("counted as changing routines").collect(changes);
    Statistics.label("counted as changing routines").coverage(c -> c.check(true).percentage(p -> p > 10));
    if (!changes) {
      return;
    }
    String inLiteral = "select 'a\\'; " + statement.replace("'", "''") + "; --'";
    assertThat(SqlScript.parse(inLiteral).statements()).as(inLiteral)
        .anySatisfy(s -> assertThat(s.command().problems()).isNotEmpty());
    String afterDriverSplit = "select 1 /*/ ' */ -- ' ; " + statement + "\n; select 2";
    assertThat(SqlScript.hiddenByDriverSplits(afterDriverSplit)).as(afterDriverSplit).isTrue();
  }

  private static boolean ownerOfSchema(String statement) {
    List<String> words = List.of(statement.toLowerCase(java.util.Locale.ROOT).split("\\s+"));
    return words.size() > 1 && words.get(0).equals("alter") && words.get(1).equals("schema") && !words.contains("rename");
  }
}
