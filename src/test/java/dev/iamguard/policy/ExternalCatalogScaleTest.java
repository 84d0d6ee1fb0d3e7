package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A script that creates tens of thousands of external schemas and tables (a data lake's migration)
 * and inserts into them: each CREATE used to copy every schema, table and location known before, so
 * 8,000 tables took 7.7 s to check and 12,500 schemas with a table each 69 s, growing with the
 * square of their number. The catalog's maps now share all but one path of nodes with the catalog
 * before ({@link HashTrie}). The timeout is a hang guard against that growth, not a time budget:
 * this script takes a few seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExternalCatalogScaleTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static Guard guard;

  @BeforeAll
  static void registry() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  @Test
  void fiftyThousandSchemasAndTablesEachInsertJudgedByItsOwnLocation() {
    int n = 50_000;
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // every 1,000th table lies outside the role's s3_write prefix (s3://acmedata/redshift/unload/)
      String location = i % 1000 == 7 ? "s3://acmedata/redshift/t" + i + "/" : "s3://acmedata/redshift/unload/t" + i + "/";
      sql.append("create external schema lake").append(i).append(" from data catalog database 'exampledb' iam_role '")
          .append(ROLE).append("';\n")
          .append("create external table lake").append(i).append(".t (a int) stored as parquet location '")
          .append(location).append("';\n");
    }
    for (int i = 0; i < n; i++) {
      sql.append("insert into lake").append(i).append(".t select 1;\n");
    }

    Decision decision = guard.inspect(sql.toString(), Session.of("user1", null));

    List<StatementDecision> inserts = decision.statements().subList(2 * n, 3 * n);
    assertThat(inserts).hasSize(n);
    for (int i = 0; i < n; i++) {
      boolean outside = i % 1000 == 7;
      assertThat(inserts.get(i).verdict()).as("insert %d", i).isEqualTo(outside ? Verdict.DENY : Verdict.ALLOW);
      if (outside) {
        assertThat(inserts.get(i).allFindings()).extracting(Finding::rule).contains(RuleId.S3_NOT_PERMITTED);
        assertThat(inserts.get(i).allFindings().get(0).message()).contains("s3://acmedata/redshift/t" + i + "/");
      }
    }
    assertThat(decision.sessionAfter().externalCatalog().tables()).hasSize(n);
    assertThat(decision.sessionAfter().externalCatalog().schemas()).hasSize(n);
  }
}
