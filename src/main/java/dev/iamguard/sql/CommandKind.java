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
  /** {@code SET SESSION AUTHORIZATION} and {@code RESET SESSION AUTHORIZATION}. */
  SET_SESSION_AUTHORIZATION,
  /** Anything else: carries no authorization clause. */
  OTHER;
}
