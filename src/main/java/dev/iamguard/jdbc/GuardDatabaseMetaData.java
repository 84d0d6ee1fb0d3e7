package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Metadata whose {@code getConnection()} is the guarded connection, and whose result sets come
 * back guarded, so their {@code getStatement()} cannot hand out a raw target statement.
 */
class GuardDatabaseMetaData extends ForwardingDatabaseMetaData {
  private final GuardConnection connection;

  GuardDatabaseMetaData(DatabaseMetaData target, GuardConnection connection) {
    super(target);
    this.connection = connection;
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  /** The target's URL, whose password drivers keep in it: tools (Flyway, Liquibase) print this one. */
  @Override
  public String getURL() throws SQLException {
    return Redactor.redactUrl(super.getURL());
  }

  /**
   * A catalog name as the driver may be given it. The Redshift driver quotes a catalog into its
   * catalog queries doubling quotes only: where backslashes escape in literals (Redshift; the
   * driver's standard_conforming_strings=off), {@code x\' ; COPY ...; --} ends the literal, and
   * the statement after it runs on the server without passing the guard (seen with the real
   * driver, MetadataCatalogTest). A catalog is a name, never a pattern, and a database name
   * holding a backslash is refused rather than trusted to the driver's quoting.
   */
  private String catalog(String catalog) throws SQLException {
    // every query of the driver's own that takes names passes here: none is sent in another encoding
    connection.policy().encoding().requireUtf8();
    if (catalog != null && catalog.indexOf('\\') >= 0) {
      throw new SQLException("iamguard: a catalog name holding a backslash is refused: the driver's catalog queries "
          + "would not quote it safely", GuardSqlStates.DENIED);
    }
    return catalog;
  }

  private ResultSet results(ResultSet resultSet) {
    return resultSet == null ? null : GuardResultSet.detached(resultSet, null, connection);
  }

  @Override
  public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
    return results(super.getProcedures(catalog(catalog), schemaPattern, procedureNamePattern));
  }

  @Override
  public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern, String columnNamePattern) throws SQLException {
    return results(super.getProcedureColumns(catalog(catalog), schemaPattern, procedureNamePattern,
        columnNamePattern));
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
    return results(super.getTables(catalog(catalog), schemaPattern, tableNamePattern, types));
  }

  @Override
  public ResultSet getSchemas() throws SQLException {
    return results(super.getSchemas());
  }

  @Override
  public ResultSet getCatalogs() throws SQLException {
    return results(super.getCatalogs());
  }

  @Override
  public ResultSet getTableTypes() throws SQLException {
    return results(super.getTableTypes());
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) throws SQLException {
    return results(super.getColumns(catalog(catalog), schemaPattern, tableNamePattern, columnNamePattern));
  }

  @Override
  public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern) throws SQLException {
    return results(super.getColumnPrivileges(catalog(catalog), schema, table, columnNamePattern));
  }

  @Override
  public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
    return results(super.getTablePrivileges(catalog(catalog), schemaPattern, tableNamePattern));
  }

  @Override
  public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable) throws SQLException {
    return results(super.getBestRowIdentifier(catalog(catalog), schema, table, scope, nullable));
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
    return results(super.getVersionColumns(catalog(catalog), schema, table));
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return results(super.getPrimaryKeys(catalog(catalog), schema, table));
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return results(super.getImportedKeys(catalog(catalog), schema, table));
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return results(super.getExportedKeys(catalog(catalog), schema, table));
  }

  @Override
  public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable, String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
    return results(super.getCrossReference(catalog(parentCatalog), parentSchema, parentTable, catalog(foreignCatalog),
        foreignSchema, foreignTable));
  }

  @Override
  public ResultSet getTypeInfo() throws SQLException {
    return results(super.getTypeInfo());
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate) throws SQLException {
    return results(super.getIndexInfo(catalog(catalog), schema, table, unique, approximate));
  }

  @Override
  public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types) throws SQLException {
    return results(super.getUDTs(catalog(catalog), schemaPattern, typeNamePattern, types));
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) throws SQLException {
    return results(super.getSuperTypes(catalog(catalog), schemaPattern, typeNamePattern));
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
    return results(super.getSuperTables(catalog(catalog), schemaPattern, tableNamePattern));
  }

  @Override
  public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern, String attributeNamePattern) throws SQLException {
    return results(super.getAttributes(catalog(catalog), schemaPattern, typeNamePattern, attributeNamePattern));
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    return results(super.getSchemas(catalog(catalog), schemaPattern));
  }

  @Override
  public ResultSet getClientInfoProperties() throws SQLException {
    return results(super.getClientInfoProperties());
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
    return results(super.getFunctions(catalog(catalog), schemaPattern, functionNamePattern));
  }

  @Override
  public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern, String columnNamePattern) throws SQLException {
    return results(super.getFunctionColumns(catalog(catalog), schemaPattern, functionNamePattern,
        columnNamePattern));
  }

  @Override
  public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) throws SQLException {
    return results(super.getPseudoColumns(catalog(catalog), schemaPattern, tableNamePattern, columnNamePattern));
  }
}
