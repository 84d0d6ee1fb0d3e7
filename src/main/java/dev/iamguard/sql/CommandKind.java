package dev.iamguard.sql;

/** What a statement is, as far as AWS authorization is concerned. Names are part of the CLI contract. */
public enum CommandKind {
  COPY,
  UNLOAD,
  CREATE_LIBRARY,
  CREATE_EXTERNAL_SCHEMA,
  ALTER_EXTERNAL_SCHEMA,
  CREATE_EXTERNAL_FUNCTION,
  CREATE_MODEL,
  CREATE_EXTERNAL_MODEL,
  CREATE_DATABASE,
  GRANT_ASSUMEROLE,
  REVOKE_ASSUMEROLE,
  CREATE_PROCEDURE,
  /** {@code CREATE IDENTITY PROVIDER} (IAM Identity Center), whose IAM_ROLE is checked like any role. */
  CREATE_IDENTITY_PROVIDER,
  /** {@code ALTER IDENTITY PROVIDER}. */
  ALTER_IDENTITY_PROVIDER,
  /**
   * {@code CREATE EXTERNAL TABLE ... LOCATION 's3://..'}, with or without {@code AS select}
   * (CETAS): the location is read (written, for CETAS) with the external schema's role.
   */
  CREATE_EXTERNAL_TABLE,
  /** {@code ALTER TABLE ... SET LOCATION} or {@code ADD PARTITION ... LOCATION}: only when a LOCATION is written. */
  ALTER_EXTERNAL_TABLE,
  /**
   * {@code INSERT INTO} an external table whose location the guard knows (created through it in
   * the same script or connection): the location is written with the schema's role. Never produced
   * by the SQL front end alone, which cannot tell an external table from another.
   */
  INSERT_EXTERNAL_TABLE,
  /** {@code SET SESSION AUTHORIZATION} and {@code RESET SESSION AUTHORIZATION}. */
  SET_SESSION_AUTHORIZATION,
  /**
   * A PostgreSQL {@code DO} block (Redshift has none): its code runs at once as the session's user,
   * so its statements (auth-carrying ones written or run by a constant {@code EXECUTE}, dynamic
   * SQL, an INSERT that may write an external table) are decided as a procedure body's are, for
   * that user; code the guard cannot read is a problem. Every block is one, whatever its code holds,
   * so that the statement scan, which sees only its first words, and the parse agree.
   */
  DO_BLOCK,
  /** Anything else: carries no authorization clause. */
  OTHER;
}
