package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hot path may skip a statement only when the grammar would find nothing in it: the scan's
 * few-token look at {@code ALTER TABLE} must say "inspect" for every ALTER TABLE that sets a
 * LOCATION, whatever the shape of the table's name, and the grammar must find every location.
 */
class ExternalTableScanProperties {
  @Provide
  Arbitrary<String> alterTable() {
    Arbitrary<String> part = Arbitraries.of("s", "t", "\"S x\"", "\"a.b\"", "db", "\"\"\"q\"");
    Arbitrary<String> name = part.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(".", parts));
    Arbitrary<String> action = Arbitraries.of(
        "set location 's3://b/f/'", "add partition (d='1') location 's3://b/d=1/'",
        "add if not exists partition (d='1') location 's3://b/1/' partition (d='2') location 's3://b/2/'",
        "partition (d='1') set location 's3://b/x/'", "rename to u", "add column c int", "owner to bob",
        "alter column c type varchar(9)", "set file format parquet", "append from u");
    Arbitrary<String> space = Arbitraries.of(" ", "\n", " /* c */ ", " -- c\n");
    Arbitrary<String> prefix = Arbitraries.of("alter table", "ALTER  TABLE", "alter table if exists");
    return Combinators.combine(prefix, name, action, space).as((p, n, a, s) -> p + s + n + s + a);
  }

  @Property(tries = 500)
  void theScanNeverSkipsAnAlterTableThatSetsALocation(@ForAll("alterTable") String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    RedshiftCommand command = statements.get(0).command();
    boolean location = sql.contains("location '");
    assertThat(command.kind()).as(sql).isEqualTo(location ? CommandKind.ALTER_EXTERNAL_TABLE : CommandKind.OTHER);
    if (location) {
      assertThat(SqlScript.needsInspection(sql)).as(sql).isTrue();
      assertThat(command.resources().s3()).as(sql).hasSize(sql.split("location '", -1).length - 1);
    }
  }
}
