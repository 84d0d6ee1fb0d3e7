/**
 * The JDBC face: a delegating driver ({@code jdbc:iamguard:<target-url>}) and {@link
 * dev.iamguard.jdbc.GuardDataSource}, whose connections check every SQL text with the policy
 * engine before the target driver sees it.
 *
 * <p>Two layers of wrappers: {@code Forwarding*} classes delegate every JDBC method unchanged
 * (plumbing, never policy); {@code Guard*} classes override only the methods that take SQL text or
 * hand out JDBC objects, so that no raw target object escapes. The statement wrappers are one
 * chain, {@code ForwardingStatement <- GuardStatement <- ForwardingPreparedStatement <-
 * GuardPreparedStatement <- ForwardingCallableStatement <- GuardCallableStatement}: a Statement
 * method is guarded once, for every kind of statement. Every SQL entry point funnels through
 * {@code StatementGuard} and the connection's {@code ConnectionPolicy} (registry, mode, identity,
 * local emulation). {@link dev.iamguard.jdbc.IamguardConnection} is iamguard's own API on a
 * guarded connection, reached with {@code unwrap}; a denial is a {@link
 * dev.iamguard.jdbc.GuardDeniedException}.
 *
 * <p>Uses {@code policy}, {@code sql}, {@code audit}, and {@code local} (on H2 the statements H2
 * cannot run are emulated there).
 */
package dev.iamguard.jdbc;
