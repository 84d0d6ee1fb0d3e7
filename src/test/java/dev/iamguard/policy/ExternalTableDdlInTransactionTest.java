package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DROP TABLE and ALTER TABLE of a table in an external schema inside a transaction block: Redshift
 * refuses them there ("You can't run ALTER TABLE on an external table within a transaction block";
 * DROP TABLE likewise), which aborts the transaction, so its COMMIT keeps no grant (probe 23d F7:
 * only ADD PARTITION and SET LOCATION were read so). The schema is the registry's ({@code spectrum})
 * or one the script created; a table of another schema is the control.
 */
class ExternalTableDdlInTransactionTest {
  private static final String CHAIN = "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'";
  private static final Guard GUARD = new Guard(load());

  private static dev.iamguard.policy.registry.Registry load() {
    try {
      return RegistryLoader.load(Path.of("samples/registry.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> statements() {
    List<String> forms = List.of("drop table %s", "DROP TABLE IF EXISTS %s", "drop table public.x, %s",
        "alter table %s rename to t2", "alter table %s add column y int", "ALTER TABLE ONLY %s OWNER TO bob",
        "alter /* c */ table %s set table properties ('numRows'='1')", "alter table if exists %s drop column y");
    List<Arguments> all = new ArrayList<>();
    for (String form : forms) {
      for (String table : List.of("spectrum.sales", "\"Spectrum\".sales", "spectrum /* c */ . \"Sales\"", "made.t")) {
        all.add(Arguments.of(String.format(form, table), true));
      }
      for (String table : List.of("public.sales", "sales", "analytics.spectrum")) {
        all.add(Arguments.of(String.format(form, table), false));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("statements")
  void itAbortsTheTransactionItRunsIn(String ddl, boolean external) {
    String script = "create external schema made from data catalog database 'exampledb' iam_role " + CHAIN + ";\n"
        + "begin;\ngrant assumerole on " + CHAIN + " to user3 for copy;\n" + ddl + ";\ncommit;\n"
        + "copy t from 's3://companyb/redshift/x/' iam_role " + CHAIN + ";";
    Session session = Session.of("user3", null);
    Decision decision = GUARD.inspect(SqlScript.parse(script), session.withGrants(session.grants().commit()));

    StatementDecision copy = decision.statements().stream()
        .filter(d -> d.statement().command().kind() == CommandKind.COPY).findFirst().orElseThrow();
    assertThat(copy.verdict()).as(ddl).isEqualTo(external ? Verdict.DENY : Verdict.ALLOW);
  }
}
