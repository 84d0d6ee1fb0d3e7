/**
 * The SQL front end: reads Redshift SQL as the server does and finds every authorization clause in
 * it, without JDBC and without the registry.
 *
 * <p>{@link dev.iamguard.sql.SqlScript} is the entry point: one lexer pass ({@code Lexer}, tokens
 * with exact source offsets) splits a text into {@link dev.iamguard.sql.SqlStatement}s; a statement
 * with an auth-carrying command is read by a small recursive-descent grammar ({@code
 * CommandParser} dispatching to one {@code XxxParser} per command) into a
 * {@link dev.iamguard.sql.RedshiftCommand}: its kind, {@link dev.iamguard.sql.AuthClause}, {@link
 * dev.iamguard.sql.Resources} and the problems that make it unparseable. A statement without one
 * costs the lexer pass only. {@link dev.iamguard.sql.SecretSpans} finds the secret values every
 * output must mask.
 *
 * <p>Uses no other iamguard package. JSqlParser, an optional dependency, is named only by {@code
 * JSqlParserTables}: it lists the tables an embedded query reads, for reports, and never decides
 * anything.
 */
package dev.iamguard.sql;
