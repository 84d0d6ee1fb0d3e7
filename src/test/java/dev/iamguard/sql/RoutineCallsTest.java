package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RoutineCalls} finds every routine a PL/pgSQL body may run by name, in every form a body
 * runs one (CALL, a constant EXECUTE text whole or split by ||, PERFORM, SELECT ... INTO, an
 * assignment, a condition), for every spelling of the name (folded, quoted, qualified), and says
 * "unknown" (an empty name) for a CALL whose name is built at run time or cannot be read.
 */
class RoutineCallsTest {
  /** A name as written, and as the server reads it. */
  record Spelling(String written, List<String> read) {}

  private static final List<Spelling> SPELLINGS = List.of(
      new Spelling("p2", List.of("p2")),
      new Spelling("P_Two", List.of("p_two")),
      new Spelling("\"P_Two\"", List.of("P_Two")),
      new Spelling("\"odd \"\"x\"", List.of("odd \"x")),
      new Spelling("nest_a.p2", List.of("nest_a", "p2")),
      new Spelling("Nest_A . \"P2\"", List.of("nest_a", "P2")),
      new Spelling("db.nest_a.p2", List.of("db", "nest_a", "p2")));

  /** The forms a body runs a routine by; %s is the name as written. */
  private static final List<String> FORMS = List.of(
      "call %s();", "CALL %s ( 1, 'a' );", "if x then call %s(); end if;", "loop call %s(); end loop;",
      "perform %s();", "select %s() into v;", "v := %s(1);", "if %s() > 0 then null; end if;",
      "return query select * from %s();", "perform 1 + %s(2);");

  /** The same, run from a constant text: %s is the name as written inside a literal (quotes doubled). */
  private static final List<String> DYNAMIC_FORMS = List.of(
      "execute 'call %s()';", "execute 'CALL ' || '%s()';", "execute ('call %s' || '()');",
      "execute $q$call %s()$q$;", "execute 'select %s()' into v;", "for r in execute 'select * from %s()' loop null; end loop;",
      "execute 'begin; call %s(); end';");

  @Test
  void everyFormAndSpellingOfACalledRoutineIsFound() {
    int checked = 0;
    for (Spelling spelling : SPELLINGS) {
      for (String form : FORMS) {
        String body = "declare v int; begin " + String.format(form, spelling.written()) + " end";
        assertThat(RoutineCalls.in(body)).as(body).contains(spelling.read()).doesNotContain(List.of());
        checked++;
      }
      for (String form : DYNAMIC_FORMS) {
        String body = "declare v int; begin " + String.format(form, spelling.written().replace("'", "''")) + " end";
        assertThat(RoutineCalls.in(body)).as(body).contains(spelling.read()).doesNotContain(List.of());
        checked++;
      }
      // a procedure body's own dollar-quoted literal, holding an EXECUTE text
      String nested = "begin execute $a$ execute 'call " + spelling.written().replace("'", "''") + "()' $a$; end";
      assertThat(RoutineCalls.in(nested)).as(nested).contains(spelling.read());
      checked++;
    }
    assertThat(checked).isEqualTo(SPELLINGS.size() * (FORMS.size() + DYNAMIC_FORMS.size() + 1));
  }

  @Test
  void aCallWhoseNameIsBuiltAtRunTimeOrCannotBeReadIsUnknown() {
    for (String body : List.of(
        "begin execute 'call ' || name || '()'; end",
        "begin execute 'call p' || n::text || '()'; end",
        "begin execute name || '; call p2()'; end", // built: what the CALL's text is joined to is not known
        "begin execute format('call %I()', name); end",
        "begin execute 'call U&\"p\\0032\"()'; end",
        "begin call U&\"p\\0032\"(); end",
        "begin execute 'call ' ; end")) {
      assertThat(RoutineCalls.in(body)).as(body).contains(List.of());
    }
  }

  @Test
  void aFunctionNamedLikeAPlpgsqlWordOrABuiltInIsStillARoutine() {
    assertThat(RoutineCalls.in("declare v int; begin perform query(); v := format('x'); if if(1) then return return(2);"
        + " end if; end")).contains(List.of("query"), List.of("format"), List.of("if"), List.of("return"));
  }

  @Test
  void keyWordsBeforeAParenthesisAreNotRoutines() {
    assertThat(RoutineCalls.in("begin insert into t values (1); if exists (select 1) then null; end if;"
        + " perform coalesce(null, 1) where x in (1, 2); end")).isEmpty();
  }
}
