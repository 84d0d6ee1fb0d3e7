/**
 * The command line ({@code iamguard explain | check | rewrite | run}) for ETL pipelines: the same
 * {@code Guard} as the driver, over SQL files, with text, JSON and SARIF reports and the exit codes
 * of CLI.md ({@code ExitCodes}). {@link dev.iamguard.cli.Main} is the entry point; {@code run}
 * executes scripts through the driver.
 *
 * <p>The only package that uses picocli (an optional dependency: the shaded CLI jar has it).
 * Uses {@code jdbc}, {@code policy}, {@code sql} and {@code audit}.
 */
package dev.iamguard.cli;
