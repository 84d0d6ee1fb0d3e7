package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RoutineCalls#identityChangeIn} over classes of spelling (IdentityChangeSpellingsServerTest
 * runs them on PostgreSQL): every change of the identity, its words joined by any blank the server
 * lexes as one (spaces, a block comment, a nested one, a line comment), in any case, written in the
 * body, in an EXECUTEd quoted or dollar-quoted literal, or in pieces joined by {@code ||}, is found;
 * a SET or RESET of any other setting, spelt the same ways, is not (Redshift's WLM documentation
 * pairs {@code SET query_group} with {@code RESET query_group} in an ETL step).
 */
class IdentityChangeSpellingsTest {
  /** What the server reads as a blank between two words. */
  private static final List<String> GAPS = List.of(" ", "\n\t", "/* c */", "/**/", "--c\n", " /* a /* b */ c */ ",
      "-- c; set\n");

  /** Identity changes, {@code ~} where a blank goes. */
  private static final List<String> CHANGES = List.of("set~role~r3", "set~local~role~r3", "set~session~role~r3",
      "set~role~to~r3", "set~\"ROLE\"~=~r3", "set~session~authorization~user3", "set~session~authorization~default",
      "set~session~session~authorization~user3", "reset~role", "reset~\"role\"", "reset~session~authorization",
      "reset~session~authorization", "reset~all", "set~session~authorization~=~user3", "discard~all",
      "perform~set_config('role',~'r3',~false)", "perform~\"set_config\"('role',~'r3',~false)");

  /** Settings that decide nothing about who runs the body, {@code ~} where a blank goes. */
  private static final List<String> OTHERS = List.of("set~query_group~to~'etl'", "reset~query_group",
      "reset~search_path", "set~search_path~to~public", "set~local~statement_timeout~=~0", "reset~application_name",
      "set~datestyle~to~iso", "reset~wlm_query_slot_count", "set~enable_result_cache_for_session~to~off",
      "set~session~timezone~to~'UTC'", "update~t~set~roles~=~1");

  private static List<String> bodies(String statement) {
    List<String> bodies = new ArrayList<>();
    for (String gap : GAPS) {
      String spelt = statement.replace("~", gap);
      String mixed = flipCase(spelt);
      for (String text : List.of(spelt, mixed)) {
        bodies.add("begin " + text + "; copy t from 's3://b/p/' iam_role default; end");
        bodies.add("begin execute '" + text.replace("'", "''") + "'; end");
        bodies.add("begin execute $e$" + text + "$e$; end");
        int cut = text.length() / 2;
        bodies.add("begin execute '" + text.substring(0, cut).replace("'", "''") + "' || '"
            + text.substring(cut).replace("'", "''") + "'; end");
      }
    }
    return bodies;
  }

  /** Upper case for the letters at even places, lower at odd ones (the server folds ASCII letters). */
  private static String flipCase(String text) {
    StringBuilder flipped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      flipped.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return flipped.toString();
  }

  @Test
  void everySpellingOfAnIdentityChangeIsFound() {
    List<String> missed = new ArrayList<>();
    int cases = 0;
    for (String change : CHANGES) {
      for (String body : bodies(change)) {
        cases++;
        if (RoutineCalls.identityChangeIn(body) == null) {
          missed.add(body);
        }
      }
    }
    assertThat(missed).as(missed.size() + " missed of " + cases).isEmpty();
  }

  @Test
  void otherSettingsAreNoIdentityChange() {
    List<String> found = new ArrayList<>();
    for (String other : OTHERS) {
      for (String body : bodies(other)) {
        String change = RoutineCalls.identityChangeIn(body);
        if (change != null && !body.contains("-- c; set\n")) { // that gap's comment says set: text is read too
          found.add(body + " -> " + change);
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void aProcedureDefinitionSettingWhoRunsItsBodyIsRead() {
    for (String clause : List.of("set role = r3", "SET \"ROLE\" TO 'r3'", "set session_authorization to user3",
        "set role from current", "security definer set/**/role = r3", "set U&\"rol\\0065\" = r3")) {
      for (String sql : List.of("create procedure p() language plpgsql " + clause + " as $$ begin null; end $$",
          "create or replace procedure s.p(a int) as $$ begin null; end $$ language plpgsql " + clause)) {
        ProcedureChanges.Definition definition = ProcedureChanges.definition(SqlScript.parse(sql).statements().get(0));
        assertThat(definition).as(sql).isNotNull();
        assertThat(definition.identitySetting()).as(sql).isNotNull();
      }
      String alter = "alter procedure p() " + clause.replace("security definer ", "");
      ProcedureChanges.Alteration alteration = ProcedureChanges.alteration(SqlScript.parse(alter).statements().get(0));
      assertThat(alteration.identitySetting()).as(alter).isNotNull();
    }
    for (String clause : List.of("", "set search_path = public", "set query_group to 'etl'", "security definer")) {
      String sql = "create procedure p() language plpgsql " + clause + " as $$ begin set role r3; end $$";
      assertThat(ProcedureChanges.definition(SqlScript.parse(sql).statements().get(0)).identitySetting()).as(sql).isNull();
    }
  }
}
