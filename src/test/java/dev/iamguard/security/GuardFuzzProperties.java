package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SqlScript;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated SQL never makes the lexer, the grammar, the guard or the redactor throw: what
 * they cannot read becomes a finding. CI runs the default number of tries; {@code mvn -Pfuzz verify}
 * runs many more (jqwik.tries.default).
 */
class GuardFuzzProperties {
  static final Guard guard = SampleGuard.load();

  static final List<String> SEEDS = List.of(
      "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'",
      "unload ('select * from venue where a = ''x''') to 's3://acmedata/redshift/unload/v_' iam_role default parallel off",
      "create procedure p() as $$ begin copy t from 's3://b/k' iam_role 'copy-unload'; execute 'copy t from ''s3://x'' iam_role ''y'''; end; $$ language plpgsql",
      "create external schema s from data catalog database 'exampledb' iam_role 'companyb' catalog_role 'SESSION'",
      "copy t from 's3://b/k' credentials 'aws_access_key_id=AKIA;aws_secret_access_key=S;token=T' gzip",
      "grant assumerole on 'arn:aws:iam::123456789012:role/RoleA' to group etl for copy, unload",
      "set session authorization 'user2'; copy t from 's3://acmedata/redshift/x' iam_role default; reset session authorization",
      "create model m from (select a from t) target a function f iam_role default settings (s3_bucket 'b')");

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<String> inserts = Arbitraries.of("'", "''", "\\", "\\'", "$$", "$a$", "/*", "*/", "--", "\n", ";", "\"",
        "?", "$1", "(", ")", ",", "iam_role", "credentials", "default", "copy ", "unload ", " as ", "\u0000", "\uFEFF", "é");
    return Combinators.combine(
            Arbitraries.of(SEEDS),
            Arbitraries.integers().between(0, 300).list().ofMaxSize(6),
            inserts.list().ofMaxSize(6),
            Arbitraries.integers().between(0, 8))
        .as((seed, positions, pieces, cut) -> {
          StringBuilder sql = new StringBuilder(seed);
          for (int i = 0; i < Math.min(positions.size(), pieces.size()); i++) {
            int at = Math.min(positions.get(i), sql.length());
            sql.insert(at, pieces.get(i));
            if (i == 0 && at + cut <= sql.length()) {
              sql.delete(at, Math.min(sql.length(), at + cut));
            }
          }
          return sql.toString();
        });
  }

  @Property
  void mutatedScriptsNeverMakeAnythingThrow(@ForAll("mutated") String sql) {
    for (String user : new String[] {"user1", "user3"}) {
      Decision decision = guard.inspect(sql, Session.of(user, null));
      assertThat(decision.verdict()).isNotNull();
      assertThat(decision.statements()).hasSize(SqlScript.parse(sql).statements().size());
      decision.findings().forEach(f -> assertThat(f.message()).startsWith("iamguard: "));
    }
    assertThat(Redactor.redact(sql)).isNotNull();
  }

  @Property
  void arbitraryTextNeverMakesAnythingThrow(@ForAll String sql) {
    assertThat(guard.inspect(sql, Session.of("user1", null)).verdict()).isNotNull();
    assertThat(Redactor.redact(sql)).isNotNull();
  }
}
