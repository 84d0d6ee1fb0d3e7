package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.CommandKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A table created through the guard keeps its S3 locations under a new name: after
 * {@code ALTER TABLE spectrum.orders RENAME TO o2}, an INSERT INTO {@code spectrum.o2} writes where
 * {@code spectrum.orders} was stored, with the schema's role. Every spelling of the rename (case,
 * quotes, comments between its tokens, IF EXISTS, a database-qualified name) in the same text and
 * in a later one; renames of other tables change nothing.
 */
class ExternalTableRenameTest {
  /** Loader (spectrum's role) reads s3://data/in/ but may not write there. */
  static final String TABLE = ProcedureExternalInsertTest.READ_ONLY_TABLE;

  static final List<String> RENAMES = List.of(
      "alter table spectrum.orders rename to o2",
      "ALTER TABLE SPECTRUM.ORDERS RENAME TO O2",
      "alter table \"spectrum\".\"orders\" rename to \"o2\"",
      "alter /* a */ table -- b\n spectrum . orders rename /* c */ to o2",
      "alter table if exists spectrum.orders rename to o2",
      "alter table dev.spectrum.orders rename to o2",
      "Alter Table Spectrum.Orders Rename To \"O2\"");

  static final List<String> INSERTS = List.of(
      "insert into spectrum.o2 select 1",
      "insert into SPECTRUM.O2 values (1)",
      "insert /* x */ into dev.spectrum.o2 (id) select 2");

  @Test
  void anInsertUnderTheNewNameWritesTheTablesLocation() {
    Guard guard = new Guard(ExternalTablesTest.registry(""));
    for (String rename : RENAMES) {
      for (String insert : INSERTS) {
        Decision same = guard.inspect(TABLE + ";\n" + rename + ";\n" + insert, Session.of("user1", null));
        assertThat(rules(same)).as("%s / %s", rename, insert).containsExactly(RuleId.S3_NOT_PERMITTED);
        assertThat(same.statements().get(2).statement().command().kind()).isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE);
        assertThat(same.statements().get(2).findings().get(0).message()).contains("may not write s3://data/in/orders/");

        Session created = guard.inspect(TABLE, Session.of("user1", null)).sessionAfter();
        Session renamed = guard.inspect(rename, created).sessionAfter();
        assertThat(rules(guard.inspect(insert, renamed))).as("%s / %s", rename, insert)
            .containsExactly(RuleId.S3_NOT_PERMITTED);
        // the old name keeps its locations: the guard cannot tell whether the rename succeeded
        assertThat(rules(guard.inspect("insert into spectrum.orders select 1", renamed)))
            .containsExactly(RuleId.S3_NOT_PERMITTED);
      }
    }
  }

  @Test
  void otherRenamesAndOtherStatementsChangeNothing() {
    Guard guard = new Guard(ExternalTablesTest.registry(""));
    Session created = guard.inspect(TABLE, Session.of("user1", null)).sessionAfter();
    for (String other : List.of(
        "alter table spectrum.other rename to o2",
        "alter table public.orders rename to o2",
        "alter table orders rename to o2",
        "alter table spectrum.orders rename column id to o2",
        "alter table spectrum.orders owner to o2",
        "select 'alter table spectrum.orders rename to o2'",
        "-- alter table spectrum.orders rename to o2\nselect 1")) {
      Session after = guard.inspect(other, created).sessionAfter();
      assertThat(after.externalCatalog()).as(other).isEqualTo(created.externalCatalog());
      assertThat(rules(guard.inspect("insert into spectrum.o2 select 1", after))).as(other).isEmpty();
    }
    // without any table created here, a rename is not even read
    Session none = Session.of("user1", null);
    assertThat(guard.inspect("alter table spectrum.orders rename to o2", none).sessionAfter()).isSameAs(none);
  }
}
