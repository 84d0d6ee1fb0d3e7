/**
 * The command line ({@code iamguard explain | check | rewrite | run}) for ETL pipelines: the same
 * {@code Guard} as the driver, over SQL files, with text, JSON and SARIF reports and the exit codes
 * of CLI.md ({@code ExitCodes}). {@link dev.iamguard.cli.Main} is the entry point; {@code run}
 * executes scripts through the driver.
 *
 * <p>{@code explain}, {@code check} and {@code rewrite} stream: a {@link dev.iamguard.cli.ScriptSource}
 * is read piece by piece ({@code sql.ScriptReader}), each piece decided with the session the one
 * before left ({@code FileCheck}) and reported at once through a {@code CheckFormat} (text, JSON,
 * SARIF), so memory is bounded by the largest statement; {@code InOrder} checks a folder's files on
 * all cores and hands their reports over in order.
 *
 * <p>The only package that uses picocli (an optional dependency: the shaded CLI jar has it).
 * Uses {@code jdbc}, {@code policy}, {@code sql} and {@code audit}.
 */
package dev.iamguard.cli;
