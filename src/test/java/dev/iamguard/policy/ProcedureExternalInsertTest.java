package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.S3Location;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * An INSERT into an external table writes the table's S3 location with the external schema's role,
 * at top level (ExternalTablesTest) and in a procedure body alike: the body's INSERTs are decided
 * when the procedure is created, against the tables the session knows and those the body itself
 * created before them. Every body form (dollar quotes, a tag, a single-quoted body, a constant
 * EXECUTE text), every place a statement may start in PL/pgSQL, and the spellings of the table's
 * name are combined.
 */
class ProcedureExternalInsertTest {
  /** Loader (spectrum's role) reads s3://data/in/ and writes s3://data/out/ only: an INSERT into data/in is refused. */
  static final String READ_ONLY_TABLE = "create external table spectrum.orders (id int) stored as parquet"
      + " location 's3://data/in/orders/'";
  /** Lake reads and writes s3://lake/sales/: an INSERT there is allowed. */
  static final String WRITABLE_TABLE = "create external schema lakehouse from data catalog database 'lakedb'"
      + " iam_role 'lake';\ncreate external table lakehouse.orders (id int) stored as parquet"
      + " location 's3://lake/sales/orders/'";

  static Registry registry() {
    return ExternalTablesTest.registry("");
  }

  /** The ways a body holds one statement: {@code %s} is the statement, already a body's SQL. */
  static final List<UnaryOperator<String>> PLACES = List.of(
      s -> s + ";",
      s -> "select 1;\n  " + s + ";",
      s -> "if true then " + s + "; end if;",
      s -> "if false then null; else " + s + "; end if;",
      s -> "for i in 1..3 loop " + s + "; end loop;",
      s -> "<<outer>> " + s + ";",
      s -> "begin " + s + "; end;");

  /** The bodies: {@code %s} is the block's statements. */
  static String procedure(String statements, String form) {
    String block = "begin\n  " + statements + "\nend;";
    return switch (form) {
      case "dollar" -> "create or replace procedure p() as $$\n" + block + "\n$$ language plpgsql";
      case "tag" -> "create procedure p() language plpgsql as $body$ " + block + " $body$";
      case "quoted" -> "create procedure p() as '" + block.replace("'", "''") + "' language plpgsql";
      case "nonatomic" -> "create procedure p() nonatomic as $$ " + block + " $$ language plpgsql";
      default -> throw new IllegalArgumentException(form);
    };
  }

  static final List<String> FORMS = List.of("dollar", "tag", "quoted", "nonatomic");

  /** INSERT INTO the table as written in many ways, and run by constant EXECUTE texts. */
  static List<String> inserts(String schema) {
    return List.of(
        "insert into " + schema + ".orders select 1",
        "INSERT INTO " + schema.toUpperCase(java.util.Locale.ROOT) + ".ORDERS VALUES (1)",
        "insert /* c */ into -- line\n " + schema + " . orders (id) values (2)",
        "insert into dev." + schema + ".orders select id from staging",
        "execute 'insert into " + schema + ".orders select 1'",
        "execute 'insert into ' || '" + schema + ".orders values (3)'",
        "execute ('insert into " + schema + ".orders select 4')");
  }

  @Test
  void aBodyInsertIntoAKnownExternalTableIsDecidedAsTheWriteItIs() {
    Guard guard = new Guard(registry());
    int denied = 0;
    int allowed = 0;
    for (String form : FORMS) {
      for (UnaryOperator<String> place : PLACES) {
        for (String insert : inserts("spectrum")) {
          Decision d = guard.inspect(READ_ONLY_TABLE + ";\n" + procedure(place.apply(insert), form),
              Session.of("user1", null));
          assertThat(rules(d)).as("%s / %s", form, insert).containsExactly(RuleId.S3_NOT_PERMITTED);
          assertThat(d.allowed()).isFalse();
          StatementDecision write = d.statements().get(1).nested().get(0);
          assertThat(write.statement().command().kind()).isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE);
          assertThat(write.statement().command().resources().s3()).extracting(S3Location::uri, S3Location::access)
              .containsExactly(org.assertj.core.groups.Tuple.tuple("s3://data/in/orders/", S3Location.Access.WRITE));
          assertThat(write.findings().get(0).message()).contains("may not write s3://data/in/orders/");
          denied++;
        }
        for (String insert : inserts("lakehouse")) {
          Decision d = guard.inspect(WRITABLE_TABLE + ";\n" + procedure(place.apply(insert), form),
              Session.of("user1", null));
          assertThat(rules(d)).as("%s / %s", form, insert).isEmpty();
          assertThat(d.statements().get(2).nested()).singleElement()
              .satisfies(n -> assertThat(n.statement().command().kind()).isEqualTo(CommandKind.INSERT_EXTERNAL_TABLE));
          allowed++;
        }
      }
    }
    assertThat(denied).isEqualTo(FORMS.size() * PLACES.size() * 7);
    assertThat(allowed).isEqualTo(denied);
  }

  @Test
  void aTableKnownFromAnEarlierTextCounts() {
    Guard guard = new Guard(registry());
    Session session = guard.inspect(READ_ONLY_TABLE, Session.of("user1", null)).sessionAfter();
    for (String form : FORMS) {
      Decision d = guard.inspect(procedure("insert into spectrum.orders select 1;", form), session);
      assertThat(rules(d)).as(form).containsExactly(RuleId.S3_NOT_PERMITTED);
      // a backslash in a literal: the text is read whole and checked against the other reading
      Decision ambiguous = guard.inspect("select 'a\\b';\n" + procedure("insert into spectrum.orders select 1;", form),
          session);
      assertThat(rules(ambiguous)).as(form).contains(RuleId.S3_NOT_PERMITTED);
      // the same procedure where no external table is known: nothing to decide
      Decision unknown = guard.inspect(procedure("insert into spectrum.orders select 1;", form), Session.of("user1", null));
      assertThat(unknown.allowed()).isTrue();
      assertThat(rules(unknown)).isEmpty();
    }
  }

  @Test
  void aTableTheBodyCreatesBeforeItsInsertCounts() {
    for (String form : FORMS) {
      String body = READ_ONLY_TABLE + ";\n"
          + "insert into spectrum.orders select 1;";
      Decision d = Fixture.inspect(registry(), procedure(body, form));
      assertThat(rules(d)).as(form).containsExactly(RuleId.S3_NOT_PERMITTED);
      List<StatementDecision> nested = d.statements().get(0).nested();
      assertThat(nested).extracting(n -> n.statement().command().kind())
          .containsExactly(CommandKind.CREATE_EXTERNAL_TABLE, CommandKind.INSERT_EXTERNAL_TABLE);
    }
  }

  @Test
  void otherTablesAndOtherStatementsAreNotReadAsExternalWrites() {
    Guard guard = new Guard(registry());
    List<String> others = new ArrayList<>(List.of(
        "insert into public.orders select 1",
        "insert into orders select 1",
        "insert into spectrum.orders_old select 1",
        "select 'insert into spectrum.orders select 1'",
        "update spectrum.orders set id = 1",
        "raise notice 'insert into spectrum.orders'",
        "-- insert into spectrum.orders select 1\n select 1"));
    for (String form : FORMS) {
      for (String other : others) {
        Decision d = guard.inspect(READ_ONLY_TABLE + ";\n" + procedure(other + ";", form), Session.of("user1", null));
        assertThat(rules(d)).as("%s / %s", form, other).isEmpty();
        assertThat(d.statements().get(1).nested()).as(other).isEmpty();
      }
    }
  }

  @Test
  void bodyStatementsKeepTheirOrder() {
    String body = "insert into lakehouse.orders select 1;\n"
        + "copy t from 's3://data/in/x/' iam_role '" + Fixture.LOADER + "';\n"
        + "execute 'insert into lakehouse.orders select 2';";
    Decision d = Fixture.inspect(registry(), WRITABLE_TABLE + ";\n" + procedure(body, "dollar"));
    assertThat(d.statements().get(2).nested()).extracting(n -> n.statement().command().kind())
        .containsExactly(CommandKind.INSERT_EXTERNAL_TABLE, CommandKind.COPY, CommandKind.INSERT_EXTERNAL_TABLE);
  }
}
