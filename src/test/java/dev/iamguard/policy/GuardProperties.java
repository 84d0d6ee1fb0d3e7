package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the guard over scripts assembled from auth-clause fragments: it never throws, a
 * script it allows is sent byte for byte, otherwise the text (with the rewrites of its allowed
 * statements) differs from the input only inside auth clauses, and every message is an {@code iamguard:} sentence without a secret.
 * (Redaction of arbitrary concatenations is not asserted: a fragment like {@code ' access_key_id 'AKIA'}
 * leaves the "key" as a bare identifier after a complete literal, which is not a secret position.)
 */
class GuardProperties {
  static final Registry REGISTRY = Fixture.registry("grants:\n  - on: [default]\n    to: [PUBLIC]\n    for: [ALL]\n"
      + "  - on: [\"" + Fixture.LOADER_PARTNER + "\"]\n    to: [\"group:etl\"]\n    for: [COPY, UNLOAD]\n"
      + "users:\n  user2: {groups: [etl]}\n");

  static final List<String> FRAGMENTS = List.of(
      "copy t from 's3://data/in/x'", "unload ('select ''a''') to 's3://data/out/x'", "copy t from 's3://partner/in/x'",
      " iam_role 'loader'", " iam_role 'partnerchain'", " iam_role default", " iam_role '" + Fixture.LOADER + "'",
      " iam_role '" + Fixture.LOADER_PARTNER + "'", " iam_role ?", " iam_role $$x$$", " iam_role '",
      " access_key_id 'AKIAPROPSECRET01'", " secret_access_key 'PropSecret02'", " session_token 'PropToken03'",
      " credentials 'aws_access_key_id=AKIAPROPSECRET04;aws_secret_access_key=PropSecret05'",
      " credentials 'aws_iam_role=" + Fixture.LOADER + "'", " catalog_role 'loader'", " csv", " -- c\n", " /* c */",
      ";\n", "; set session authorization user2;\n", "; reset session authorization;\n", " 's3://data/in/y'",
      "create procedure p() as $$ begin ", " ; end; $$ language plpgsql", " execute 'copy t from ''s3://x'' iam_role default'",
      "create external schema s from data catalog database 'salesdb'", "create external function f(int) returns int "
          + "volatile lambda 'loaderFn'", "select iam_role from t", " \\'", "''", "\"", "$$", "/*");

  static final List<String> SECRETS = List.of("AKIAPROPSECRET01", "PropSecret02", "PropToken03", "AKIAPROPSECRET04",
      "PropSecret05");

  @Provide
  Arbitrary<String> scripts() {
    return Arbitraries.of(FRAGMENTS).list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
  }

  @Property(tries = 2000)
  void theGuardNeverThrowsAndChangesOnlyAuthClauses(@ForAll("scripts") String sql, @ForAll boolean etl) {
    Session session = new Session(etl ? "user2" : "user1", etl ? List.of("etl") : List.of(), List.of(), null);

    Decision decision = new Guard(REGISTRY).inspect(sql, session);

    if (decision.verdict() == Verdict.ALLOW) {
      assertThat(decision.sql()).isEqualTo(sql);
    } else {
      assertThat(decision.sql().replace(Fixture.LOADER_PARTNER, "partnerchain").replace(Fixture.LOADER, "loader"))
          .isEqualTo(sql.replace(Fixture.LOADER_PARTNER, "partnerchain").replace(Fixture.LOADER, "loader")
              .replaceAll("(?i)iam_role default", "iam_role default"));
    }
    assertThat(decision.allowed()).isEqualTo(decision.errors().isEmpty());
    for (Finding finding : decision.findings()) {
      assertThat(finding.message()).startsWith("iamguard: " + finding.rule() + " in statement ").contains(". Remedy: ");
      assertThat(finding.message()).doesNotContain(SECRETS);
    }
  }
}
