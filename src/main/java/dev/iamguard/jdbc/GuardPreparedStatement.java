package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.sql.SecretSpans;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.sql.Array;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;

/**
 * A prepared statement, inspected once when it was prepared (the target prepared the text to
 * send); executing it again costs nothing more, unless who runs it may have changed since. A text
 * emulated on the local database (COPY, UNLOAD, AWS-only DDL) was decided to be so at prepare
 * time and runs locally on each execution ({@link EmulatedTarget}). The Statement methods that
 * take SQL text are guarded by {@link GuardStatement}, its superclass in the one statement chain;
 * this class adds what runs the prepared text, and, where the driver writes bound values into the
 * text ({@link QueryMode}), the check of each value bound ({@link InlinedValues}).
 */
class GuardPreparedStatement extends ForwardingPreparedStatement {
  // the ways of running the prepared text: constants, so that an execution allocates no lambda
  private static final StatementGuard.Send<ResultSet> EXECUTE_QUERY =
      (target, none) -> ((PreparedStatement) target).executeQuery();
  private static final StatementGuard.Send<Integer> EXECUTE_UPDATE =
      (target, none) -> ((PreparedStatement) target).executeUpdate();
  private static final StatementGuard.Send<Boolean> EXECUTE =
      (target, none) -> ((PreparedStatement) target).execute();
  private static final StatementGuard.Send<Long> EXECUTE_LARGE_UPDATE =
      (target, none) -> ((PreparedStatement) target).executeLargeUpdate();

  /**
   * @param sql the text as the application wrote it (null when the target handed the statement out)
   * @param prepared the guard's decision on it, made when it was prepared (null likewise)
   */
  GuardPreparedStatement(PreparedStatement target, GuardConnection connection, String sql,
      ConnectionPolicy.Prepared prepared) {
    super(target, connection, sql, prepared);
    this.inlines = connection.policy().inlinesValues();
  }

  /** True when the driver writes bound values into the text it sends: each is checked as it is bound. */
  private final boolean inlines;

  @Override
  public ResultSet executeQuery() throws SQLException {
    return results(guard().executePrepared(EXECUTE_QUERY, StatementGuard.EXECUTE_QUERY, StatementGuard.NO_RESULT_SET));
  }

  @Override
  public int executeUpdate() throws SQLException {
    return guard().executePrepared(EXECUTE_UPDATE, StatementGuard.EXECUTE_UPDATE, StatementGuard.INT_ROWS);
  }

  @Override
  public boolean execute() throws SQLException {
    return guard().executePrepared(EXECUTE, StatementGuard.EXECUTE, StatementGuard.NO_RESULTS);
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return guard().executePrepared(EXECUTE_LARGE_UPDATE, StatementGuard.EXECUTE_LARGE_UPDATE, StatementGuard.ROWS);
  }

  /**
   * Drivers print a prepared statement with its bound values (H2 as {@code PASSWORD ? {1: 'value'}},
   * far from the keyword the redactor looks for): a text that may take a secret is printed by
   * iamguard alone, masked and without values.
   */
  @Override
  public String toString() {
    String sql = guard().preparedSql();
    return SecretSpans.mayHoldSecretValue(sql) ? "iamguard:" + Redactor.redactMessage(sql) : super.toString();
  }

  /** A set of parameters joins the batch: each runs the prepared text. */
  @Override
  public void addBatch() throws SQLException {
    guard().addParameterBatch();
  }

  // Where the driver writes values into the text: text values are checked, unreadable ones refused.

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    if (inlines) {
      InlinedValues.text(x);
      written(x);
    }
    super.setString(parameterIndex, x);
  }

  @Override
  public void setNString(int parameterIndex, String value) throws SQLException {
    if (inlines) {
      InlinedValues.text(value);
      written(value);
    }
    super.setNString(parameterIndex, value);
  }

  @Override
  public void setBigDecimal(int parameterIndex, java.math.BigDecimal x) throws SQLException {
    super.setBigDecimal(parameterIndex, inlines ? InlinedValues.decimal(x) : x);
  }

  /** In simple mode the driver runs the text to describe it: refused, as it would run unchecked. */
  @Override
  public java.sql.ResultSetMetaData getMetaData() throws SQLException {
    if (inlines) {
      throw InlinedValues.describes();
    }
    return super.getMetaData();
  }

  @Override
  public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
    if (inlines) {
      throw InlinedValues.describes();
    }
    return super.getParameterMetaData();
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    if (inlines) {
      InlinedValues.typeName(typeName);
    }
    guardConnection().policy().encoding().require(typeName); // the driver looks the type up with a query of its own
    super.setNull(parameterIndex, sqlType, typeName);
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    if (inlines) {
      InlinedValues.text(x == null ? null : x.toString());
      written(x);
    }
    super.setURL(parameterIndex, x);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    if (inlines) {
      x = InlinedValues.object(x);
      written(x);
    }
    super.setObject(parameterIndex, x);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    if (inlines) {
      x = InlinedValues.object(x);
      written(x);
    }
    super.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    if (inlines) {
      x = InlinedValues.object(x);
      written(x);
    }
    super.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    if (inlines) {
      x = InlinedValues.object(x);
      written(x);
    }
    super.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    if (inlines) {
      x = InlinedValues.object(x);
      written(x);
    }
    super.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }

  /** Notes a value the driver writes into the text that holds characters beyond ASCII (see {@link ClientEncoding}). */
  private void written(Object value) {
    if (value != null && ClientEncoding.beyondAscii(value instanceof char[] chars ? new String(chars) : value.toString())) {
      guard().boundBeyondAscii();
    }
  }

  /** Refuses a non-null value the guard cannot read before the driver writes it into the text. */
  private void unreadable(Object value) throws SQLException {
    if (inlines && value != null) {
      throw InlinedValues.unreadable();
    }
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    unreadable(x);
    super.setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    unreadable(x);
    super.setAsciiStream(parameterIndex, x, length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    unreadable(x);
    super.setAsciiStream(parameterIndex, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    unreadable(x);
    super.setUnicodeStream(parameterIndex, x, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
    unreadable(reader);
    super.setCharacterStream(parameterIndex, reader, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    unreadable(reader);
    super.setCharacterStream(parameterIndex, reader, length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    unreadable(reader);
    super.setCharacterStream(parameterIndex, reader);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
    unreadable(value);
    super.setNCharacterStream(parameterIndex, value, length);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
    unreadable(value);
    super.setNCharacterStream(parameterIndex, value);
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    unreadable(x);
    super.setClob(parameterIndex, x);
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    unreadable(reader);
    super.setClob(parameterIndex, reader, length);
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    unreadable(reader);
    super.setClob(parameterIndex, reader);
  }

  @Override
  public void setNClob(int parameterIndex, NClob value) throws SQLException {
    unreadable(value);
    super.setNClob(parameterIndex, value);
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    unreadable(reader);
    super.setNClob(parameterIndex, reader, length);
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    unreadable(reader);
    super.setNClob(parameterIndex, reader);
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    unreadable(x);
    super.setArray(parameterIndex, x);
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    unreadable(xmlObject);
    super.setSQLXML(parameterIndex, xmlObject);
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    unreadable(x);
    super.setRef(parameterIndex, x);
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    unreadable(x);
    super.setRowId(parameterIndex, x);
  }
}
