package dev.iamguard.cli;

/** A usage, input or registry error: the CLI prints its message and exits with code 2. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
