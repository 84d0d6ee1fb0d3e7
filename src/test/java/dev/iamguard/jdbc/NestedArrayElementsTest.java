package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The elements {@code Array.getArray} returns are guarded at any depth: H2 returns its own array
 * objects for a nested array and its own result sets for an array of rows, which a guarded array
 * handed out raw (probe 24b F2). Every array shape x every {@code getArray} overload x every way of
 * getting the array: no raw JDBC object anywhere in the value, and the values themselves unchanged.
 */
class NestedArrayElementsTest {
  /** An array expression and the plain values it holds, nested arrays and rows flattened in order. */
  static Stream<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    List<String[]> shapes = List.of(
        new String[] {"ARRAY[1, 2]", "1,2"},
        new String[] {"ARRAY[ARRAY[1, 2], ARRAY[3]]", "1,2,3"},
        new String[] {"ARRAY[ARRAY[ARRAY[1], ARRAY[2, 3]]]", "1,2,3"},
        new String[] {"ARRAY[ROW(1, 'x'), ROW(2, 'y')]", "1,x,2,y"},
        new String[] {"ARRAY[ARRAY[ROW(1, 'x')], ARRAY[ROW(2, 'y')]]", "1,x,2,y"},
        new String[] {"ARRAY[CAST(NULL AS INT ARRAY), ARRAY[4]]", "null,4"});
    for (String[] shape : shapes) {
      for (String overload : List.of("getArray()", "getArray(map)", "getArray(1, n)", "getArray(1, n, map)")) {
        for (String source : List.of("getArray", "getObject")) {
          all.add(Arguments.of(shape[0], shape[1], overload, source));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {2} via {3}")
  @MethodSource("shapes")
  void noRawObjectComesOutOfAnArray(String expression, String values, String overload, String source)
      throws Exception {
    try (Connection connection = DriverManager.getConnection(TestRegistry.h2Url(), TestRegistry.properties("etl"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select " + expression)) {
      rows.next();
      Array array = source.equals("getArray") ? rows.getArray(1) : (Array) rows.getObject(1);
      Object elements = switch (overload) {
        case "getArray()" -> array.getArray();
        case "getArray(map)" -> array.getArray(Map.of());
        case "getArray(1, n)" -> array.getArray(1, Integer.MAX_VALUE);
        default -> array.getArray(1, Integer.MAX_VALUE, Map.of());
      };
      List<Object> plain = new ArrayList<>();
      walk(array, plain);
      walk(elements, plain);

      assertThat(String.join(",", plain.subList(plain.size() / 2, plain.size()).stream().map(String::valueOf).toList()))
          .as("the values").isEqualTo(values);
    }
  }

  /** Checks every JDBC object in {@code value} is guarded, collecting the plain values in order. */
  private static void walk(Object value, List<Object> plain) throws SQLException {
    if (value instanceof Array || value instanceof ResultSet || value instanceof Statement
        || value instanceof Connection) {
      assertThat(value.getClass().getName()).as("a JDBC object in an array's value").startsWith("dev.iamguard.");
    }
    if (value instanceof Object[] elements) {
      for (Object element : elements) {
        walk(element, plain);
      }
    } else if (value instanceof Array array) {
      walk(array.getArray(), plain);
    } else if (value instanceof ResultSet row) {
      assertThat(row.getStatement()).as("a row's statement").satisfiesAnyOf(
          s -> assertThat(s).isNull(), s -> assertThat(s.getClass().getName()).startsWith("dev.iamguard."));
      while (row.next()) {
        for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
          walk(row.getObject(column), plain);
        }
      }
    } else {
      plain.add(value);
    }
  }
}
