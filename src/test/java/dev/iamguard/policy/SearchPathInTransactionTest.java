package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A search_path naming an external schema inside a transaction block: Redshift refuses it ("Search
 * paths aren't supported with external schemas"; the server's error: External schema "x" cannot be
 * set in search_path), and the error aborts the transaction, so its COMMIT keeps no grant (probe 23e
 * F8: check kept the grant and allowed the COPY after it). The schema is the registry's
 * ({@code spectrum}) or one the script created ({@code made}); other schemas, and the same statement
 * outside a transaction, are the controls.
 */
class SearchPathInTransactionTest {
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final Guard GUARD = new Guard(SeedScenarioTest.sample("registry.yaml"));

  static Stream<Arguments> statements() {
    List<String> forms = List.of("set search_path to %s", "SET SEARCH_PATH = %s", "set session search_path to %s",
        "SET LOCAL search_path TO public, %s", "set /* c */ search_path -- c\n to '$user', %s, public",
        "set search_path=%s");
    List<Arguments> all = new ArrayList<>();
    for (String form : forms) {
      for (String schema : List.of("spectrum", "SPECTRUM", "\"Spectrum\"", "'spectrum'", "'public, spectrum'", "made")) {
        all.add(Arguments.of(String.format(form, schema), true));
      }
      for (String schema : List.of("public", "analytics", "\"spectrum.x\"", "'$user'", "spectrum_copy")) {
        all.add(Arguments.of(String.format(form, schema), false));
      }
    }
    // not a search_path, or not set
    for (String other : List.of("set query_group to spectrum", "show search_path", "reset search_path",
        "set search_path to default", "select 'set search_path to spectrum'")) {
      all.add(Arguments.of(other, false));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("statements")
  void anExternalSchemaAbortsTheTransactionItIsSetIn(String set, boolean external) {
    StatementDecision copy = copyAfter("begin;\ngrant assumerole on " + CHAIN + " to user3 for copy;\n" + set
        + ";\ncommit;\n");

    assertThat(copy.verdict()).as(set).isEqualTo(external ? Verdict.DENY : Verdict.ALLOW);
  }

  @ParameterizedTest
  @MethodSource("statements")
  void outsideATransactionTheGrantStays(String set, boolean external) {
    StatementDecision copy = copyAfter("grant assumerole on " + CHAIN + " to user3 for copy;\n" + set + ";\n");

    assertThat(copy.verdict()).as(set).isEqualTo(Verdict.ALLOW);
  }

  private static StatementDecision copyAfter(String statements) {
    String script = "create external schema made from data catalog database 'exampledb' iam_role " + CHAIN + ";\n"
        + statements + "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";";
    Session session = Session.of("user3", null);
    Decision decision = GUARD.inspect(SqlScript.parse(script), session.withGrants(session.grants().commit()));
    return decision.statements().stream()
        .filter(d -> d.statement().command().kind() == CommandKind.COPY).findFirst().orElseThrow();
  }
}
