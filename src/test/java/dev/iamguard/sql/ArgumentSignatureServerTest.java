package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whether an ALTER PROCEDURE's argument list names the procedure a CREATE PROCEDURE's list made
 * ({@link ProcedureChanges#sameArguments}), against PostgreSQL 15, which answers by running the
 * ALTER: it succeeds on the same procedure and fails with "does not exist" on another. Lists are
 * generated from the spellings of every type the guard reads (int, integer, int4, INT; double
 * precision, float8, float; varchar(10), character varying; arrays ...), of types it does not
 * (text, a domain), with argument names, IN before or after the name, and defaults (in the CREATE).
 * Every "same" must be the server's same, every "another" its another; "cannot tell" may be either,
 * and is counted. The guard read {@code p(integer)} of a {@code p(n int)} as another procedure, so the
 * owner an ALTER gave it was not followed.
 */
class ArgumentSignatureServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  private static final long SEED = Long.getLong("iamguard.signaturesSeed", 20261207L);
  private static final int PAIRS = Integer.getInteger("iamguard.signatures", 400);

  /** Spellings of one type each (the first is how the type is named in messages). */
  private static final List<List<String>> TYPES = List.of(
      List.of("int", "integer", "int4", "INT", "Integer"),
      List.of("smallint", "int2"),
      List.of("bigint", "int8", "BIGINT"),
      List.of("real", "float4"),
      List.of("double precision", "float8", "float", "DOUBLE  PRECISION"),
      List.of("numeric", "decimal", "numeric(10, 2)", "decimal(5)"),
      List.of("bool", "boolean"),
      List.of("varchar", "character varying", "varchar(10)", "char varying(5)"),
      List.of("char", "character", "char(3)"),
      List.of("date"),
      List.of("timestamp", "timestamp without time zone"),
      List.of("timestamptz", "timestamp with time zone"),
      List.of("int[]", "integer[]", "int4[3]"),
      List.of("text"),
      List.of("amount"));

  /**
   * Argument {@code index}: a type's spelling, perhaps with a name, IN, and (the last of a CREATE's,
   * as the server wants every one after a default to have one) a default.
   */
  private static String argument(Random random, int type, int index, boolean createsLast) {
    List<String> spellings = TYPES.get(type);
    String spelling = spellings.get(random.nextInt(spellings.size()));
    String name = "a" + index;
    String written = switch (random.nextInt(5)) {
      case 0 -> name + " " + spelling;
      case 1 -> "in " + spelling;
      case 2 -> name + " in " + spelling;
      case 3 -> "IN " + name + " " + spelling;
      default -> spelling;
    };
    return createsLast && random.nextInt(3) == 0 ? written + (random.nextBoolean() ? " default null" : " = null") : written;
  }

  @Test
  void everySameAndEveryAnotherIsTheServers() throws SQLException {
    Random random = new Random(SEED);
    List<String> wrong = new ArrayList<>();
    int same = 0;
    int another = 0;
    int unsure = 0;
    int respelled = 0;
    try (Connection admin = DriverManager.getConnection(POSTGRES.redshiftUrl(), POSTGRES.redshiftDriverProperties());
        Statement statement = admin.createStatement()) {
      statement.execute("create domain amount as numeric");
      for (int id = 0; id < PAIRS; id++) {
        int count = random.nextInt(3);
        List<Integer> types = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          types.add(random.nextInt(TYPES.size()));
          created.add(argument(random, types.get(i), i, i == count - 1));
        }
        List<String> altered = new ArrayList<>();
        boolean change = random.nextInt(3) == 0;
        int arguments = change && random.nextBoolean() ? random.nextInt(3) : count;
        for (int i = 0; i < arguments; i++) {
          int type = change || i >= count ? random.nextInt(TYPES.size()) : types.get(i);
          altered.add(argument(random, type, i, false));
        }
        String create = "create procedure sig" + id + "(" + String.join(", ", created)
            + ") language plpgsql as $$ begin end $$";
        String alter = "alter procedure sig" + id + "(" + String.join(", ", altered) + ") rename to sig" + id + "_x";
        statement.execute(create);
        boolean server;
        try {
          statement.execute(alter);
          server = true;
        } catch (SQLException e) {
          assertThat(e.getMessage()).as(alter).contains("does not exist");
          server = false;
        }
        String definition = ProcedureChanges.definition(SqlScript.parse(create).statements().get(0)).arguments();
        String alteration = ProcedureChanges.alteration(SqlScript.parse(alter).statements().get(0)).arguments();
        Boolean guard = ProcedureChanges.sameArguments(definition, alteration);
        String pair = create + " / " + alter + ": the server says " + (server ? "same" : "another") + ", the guard "
            + guard + " (" + definition + " / " + alteration + ")";
        if (guard == null) {
          unsure++;
        } else if (guard != server) {
          wrong.add(pair);
        } else if (guard) {
          same++;
          respelled += created.equals(altered) ? 0 : 1;
        } else {
          another++;
        }
      }
    }
    System.out.println("ArgumentSignatureServerTest seed " + SEED + ", " + PAIRS + " pairs: same " + same + " (respelled "
        + respelled + "), another " + another + ", cannot tell " + unsure + ", wrong " + wrong.size());
    assertThat(wrong).as(wrong.size() + " of " + PAIRS + " argument lists read otherwise than the server").isEmpty();
    assertThat(same).as("the same procedure (%d another, %d cannot tell)", another, unsure).isPositive();
    assertThat(respelled).as("the same procedure, its arguments written otherwise").isPositive();
    assertThat(another).as("another procedure").isPositive();
    assertThat(unsure).as("lists of a type the guard does not read").isPositive();
  }
}
