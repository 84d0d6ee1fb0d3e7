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
 * one is written, else every column of the table but its IDENTITY columns (unless EXPLICIT_IDS
 * says the data holds their values, as Redshift reads it). Types come from a {@code SELECT * ... WHERE 1=0},
 * which names the table exactly as the statement wrote it, so H2's own name resolution applies.
 *
 * @param name the table as written in the COPY statement (made of identifiers and dots only)
 * @param columns the columns loaded, in data order
 */
record TargetTable(String name, List<TargetColumn> columns) {

  static TargetTable resolve(Connection connection, String table, List<String> columnList, boolean explicitIds)
      throws SQLException {
    List<TargetColumn> all = new ArrayList<>();
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1=0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        all.add(new TargetColumn(md.getColumnName(i), md.getColumnType(i), md.getColumnTypeName(i),
            md.getPrecision(i), md.getScale(i), md.isNullable(i) != ResultSetMetaData.columnNoNulls,
            md.isAutoIncrement(i)));
      }
    }
    List<TargetColumn> chosen = new ArrayList<>(all.size());
    if (columnList.isEmpty()) {
      for (TargetColumn column : all) {
        if (explicitIds || !column.identity()) {
          chosen.add(column);
        }
      }
    } else {
      for (String wanted : columnList) {
        TargetColumn column = find(all, table, wanted);
        if (chosen.contains(column)) {
          // H2 refused the staging table, printing its internal SQL; Redshift names the column
          throw new SQLException("COPY into table " + table + ": column " + column.label()
              + " is specified more than once in the column list", "42701");
        }
        chosen.add(column);
      }
    }
    // Redshift: an IDENTITY column in the column list needs EXPLICIT_IDS, and a column list that
    // leaves one out cannot have EXPLICIT_IDS
    TargetColumn identity = chosen.stream().filter(TargetColumn::identity).findFirst().orElse(null);
    if (identity != null && !explicitIds) {
      throw new SQLException("COPY into table " + table + " loads its IDENTITY column " + identity.label()
          + ": add EXPLICIT_IDS to load its values, or leave it out of the column list", "42601");
    }
    if (explicitIds && !columnList.isEmpty() && all.stream().anyMatch(c -> c.identity() && !chosen.contains(c))) {
      throw new SQLException("COPY into table " + table + " with EXPLICIT_IDS must list its IDENTITY columns",
          "42601");
    }
    return new TargetTable(table, chosen);
  }

  /** True when some loaded column is an IDENTITY column: the INSERT must override its generation. */
  boolean loadsIdentity() {
    return columns.stream().anyMatch(TargetColumn::identity);
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
