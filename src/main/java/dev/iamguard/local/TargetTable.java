package dev.iamguard.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table COPY loads and the columns it fills, in the order of the data: the column list when
 * one is written, else every column of the table. Types come from a {@code SELECT * ... WHERE 1=0},
 * which names the table exactly as the statement wrote it, so H2's own name resolution applies.
 *
 * @param name the table as written in the COPY statement (made of identifiers and dots only)
 * @param columns the columns loaded, in data order
 */
record TargetTable(String name, List<TargetColumn> columns) {

  static TargetTable resolve(Connection connection, String table, List<String> columnList) throws SQLException {
    List<TargetColumn> all = new ArrayList<>();
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1=0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        all.add(new TargetColumn(md.getColumnName(i), md.getColumnType(i), md.getColumnTypeName(i),
            md.getPrecision(i), md.getScale(i), md.isNullable(i) != ResultSetMetaData.columnNoNulls));
      }
    }
    if (columnList.isEmpty()) {
      return new TargetTable(table, all);
    }
    List<TargetColumn> chosen = new ArrayList<>(columnList.size());
    for (String wanted : columnList) {
      chosen.add(find(all, table, wanted));
    }
    return new TargetTable(table, chosen);
  }

  /** An exact name first, then a case-insensitive one (Redshift folds to lower case, H2 to upper). */
  private static TargetColumn find(List<TargetColumn> all, String table, String wanted) throws SQLException {
    TargetColumn loose = null;
    for (TargetColumn column : all) {
      if (column.name().equals(wanted)) {
        return column;
      }
      if (loose == null && column.name().equalsIgnoreCase(wanted)) {
        loose = column;
      }
    }
    if (loose == null) {
      // 42703: undefined_column, as PostgreSQL reports it
      throw new SQLException("COPY column list names column '" + wanted + "', which table " + table
          + " does not have", "42703");
    }
    return loose;
  }

  /** The INSERT that loads one row. */
  String insertSql() {
    StringBuilder marks = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      marks.append(i == 0 ? "?" : ", ?");
    }
    return "INSERT INTO " + name + " (" + columnList() + ") VALUES (" + marks + ")";
  }

  /** The loaded columns, quoted, comma-separated. */
  String columnList() {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      list.append(i == 0 ? "" : ", ").append(columns.get(i).quoted());
    }
    return list.toString();
  }
}
