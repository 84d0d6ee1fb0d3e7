package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code DO} block that only another reading shows runs its code as the caller (a COPY written or
 * EXECUTEd in it, a CALL), unjudged: PostgreSQL with {@code standard_conforming_strings=on} ran the
 * COPY of a procedure called from {@code select 'x\'; do $d$ begin call p(); end $d$; select '1'}
 * as a role the registry does not trust ({@code HiddenStatementsServerTest} on the server). Each
 * hiding form with each way of writing the block is refused, read whole and read in pieces; a hidden
 * sentence that starts with "do" ({@code -- ' ; do not edit}) is no block and is not refused, nor is
 * a block that every reading shows (as before: judged as such).
 */
class HiddenDoBlockTest {
  private static final List<String> FORMS = List.of("select 'x\\'; %s; select '1'",
      "select 'x\\' as a; %s; select 1 as b -- '", "select 'a\\'' /* ' ; %s; -- */",
      "select 'a\\'' -- ' ; %s; select 1 as b\n", "select 'x\\'; select 2; %s; select '1'",
      "select 'x\\'; select " + "1, ".repeat(3000) + "2; %s; select '1'");
  private static final List<String> BLOCKS = List.of("do $d$ begin call p(); end $d$", "DO $$ begin call s.p(); end $$",
      "Do LANGUAGE plpgsql $d$ begin call p(); end $d$", "do $d$ begin execute $e$call p()$e$; end $d$",
      "/* c */ do $d$ begin perform 1; end $d$", "do e'begin call p(); end'", "do U&'begin call p(); end'",
      "do $d$ begin copy t from $s$s3://b/k$s$ iam_role default; end $d$");

  /** The problems of each statement of {@code sql}, read whole and read in pieces of 16 characters. */
  private static List<Integer> problems(String sql) throws IOException {
    List<Integer> whole = SqlScript.parse(sql).statements().stream().map(s -> s.command().problems().size()).toList();
    List<Integer> pieces = ScriptReaderBoundTest.read(sql, 16).pieces().stream()
        .flatMap(p -> p.statements().stream()).map(s -> s.command().problems().size()).toList();
    assertThat(pieces).as("read in pieces: " + sql).isEqualTo(whole);
    return whole;
  }

  @Test
  void aDoBlockOnlyAnotherReadingShowsIsRefusedInEveryHidingForm() throws IOException {
    List<String> notRefused = new ArrayList<>();
    int cases = 0;
    for (String form : FORMS) {
      for (String block : BLOCKS) {
        if (form.endsWith("\n") && block.contains("\n")) {
          continue;
        }
        cases++;
        String sql = String.format(form, block);
        if (problems(sql).stream().allMatch(n -> n == 0)) {
          notRefused.add(sql.length() > 200 ? sql.substring(0, 60) + "..." + sql.substring(sql.length() - 100) : sql);
        }
      }
    }
    assertThat(notRefused).as(notRefused.size() + " of " + cases + " hidden DO blocks not refused").isEmpty();
  }

  @Test
  void aHiddenSentenceThatStartsWithDoIsNoBlock() throws IOException {
    for (String sentence : List.of("do not edit", "do the merge first", "DO NOT RUN IN PROD", "do")) {
      String sql = String.format("select 'a\\'' -- ' ; %s\n", sentence);
      assertThat(problems(sql)).as(sql).allSatisfy(n -> assertThat(n).isZero());
    }
  }

  @Test
  void aDoBlockEveryReadingShowsIsNotRefusedForBeingOne() throws IOException {
    assertThat(problems("select 'x'; do $d$ begin perform 1; end $d$; select '1'")).containsOnly(0);
    assertThat(problems("select 'x\\\\'; do $d$ begin perform 1; end $d$; select '1'")).containsOnly(0);
  }
}
