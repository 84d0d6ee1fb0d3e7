package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where an option's name stands, a quoted identifier spelling a word of the grammar is a problem:
 * the guard reads no option there, but a server that reads quoted names in an option list as their
 * words (PostgreSQL's parenthesised option lists do; Redshift folds a quoted name's case by
 * default) would take the value after it unchecked. The red-team review found a second {@code
 * "s3_bucket" 'other'} in CREATE MODEL's SETTINGS allowed, and {@code "iam_role"}, {@code
 * "catalog_role"}, {@code "kms_key_id"} stepped over after a clause the guard read. Every word the
 * grammar knows ({@link Keywords#words}), quoted in lower, upper and mixed case and in {@code
 * U&"..."}, alone or in a parenthesised group, and unquoted in such a group (which the guard steps
 * over whole), in the clause position of every auth-carrying command and inside SETTINGS; the
 * control: the same statements read clean, with a quoted name that spells no word there, or a
 * group holding none.
 */
class QuotedOptionNameTest {
  private static final String ROLE = "iam_role 'arn:aws:iam::123456789012:role/R'";

  @ParameterizedTest
  @ValueSource(strings = {
      "copy t from 's3://b/k/' " + ROLE + " {}",
      "copy t from 's3://b/k/' {} " + ROLE,
      "unload ('select 1') to 's3://b/k/' " + ROLE + " {}",
      "create external schema s from data catalog database 'db' " + ROLE + " {}",
      "create external function f(int) returns int volatile lambda 'f' " + ROLE + " {}",
      "create model m from 'job' function f(int) returns int " + ROLE + " settings (s3_bucket 'b') {}",
      "create model m from 'job' function f(int) returns int " + ROLE + " settings (s3_bucket 'b', {})",
      "create model m from 'job' function f(int) returns int " + ROLE + " settings ({}, s3_bucket 'b')",
      "create library l language plpythonu from 's3://b/l.zip' " + ROLE + " {}"})
  void aQuotedNameSpellingAWordOfTheGrammarIsAProblem(String statement) {
    assertThat(one(statement.replace(" {}", "").replace(", {}", "").replace("{}, ", "")).problems())
        .as("the control").isEmpty();
    assertThat(one(statement.replace("{}", "\"not_an_option\" 'v'")).problems())
        .as("a quoted name that spells no word").isEmpty();
    assertThat(one(statement.replace("{}", "(not_an_option 'v')")).problems())
        .as("a group holding no word of the grammar's").isEmpty();
    List<String> unnoticed = new ArrayList<>();
    for (String word : Keywords.words()) {
      String lower = word.toLowerCase(Locale.ROOT);
      String mixed = Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
      for (String quoted : List.of("\"" + lower + "\"", "\"" + word + "\"", "\"" + mixed + "\"", "U&\"" + lower + "\"")) {
        for (String option : List.of(quoted + " 'v'", "(" + quoted + " 'v')")) {
          String sql = statement.replace("{}", option);
          if (one(sql).problems().stream().noneMatch(p -> p.kind() == Problem.Kind.UNPARSEABLE
              && p.reason().contains(option.startsWith("(") ? "holds " + word : "quoted identifier that spells " + word))) {
            unnoticed.add(sql);
          }
        }
      }
      // the same word unquoted in a group the grammar has no place for, which the guard steps over whole
      for (String spelling : List.of(lower, word)) {
        String sql = statement.replace("{}", "(" + spelling + " 'v')");
        if (one(sql).problems().stream().noneMatch(p -> p.kind() == Problem.Kind.UNPARSEABLE
            && p.reason().contains("parenthesised group stands where an option's name does and holds " + word))) {
          unnoticed.add(sql);
        }
      }
    }
    assertThat(unnoticed).isEmpty();
    assertThat(Keywords.words()).hasSizeGreaterThan(100);
  }
}
