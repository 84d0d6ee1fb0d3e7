package dev.iamguard.cli;

import dev.iamguard.sql.LineText;
import java.io.UncheckedIOException;

/**
 * What stopped a report streamed to standard output, in the words the command line prints on
 * standard error: a JSON or SARIF document is closed with it, so that its reader gets one whole
 * document saying it is incomplete rather than a document cut off (probe 22b F2).
 */
final class StreamFailure {
  private StreamFailure() {}

  /** The failure's message, one line, as standard error shows it. */
  static String message(Throwable failure) {
    if (failure instanceof CliException) {
      return LineText.escape(String.valueOf(failure.getMessage()));
    }
    if (failure instanceof UncheckedIOException io) {
      return "I/O error: " + LineText.escape(String.valueOf(io.getCause().getMessage()));
    }
    if (failure instanceof OutOfMemoryError) {
      return outOfMemory(failure); // the line standard error has too: what ran out, and what to do
    }
    if (failure instanceof StackOverflowError) {
      return "a statement nests too deeply to read (stack overflow)";
    }
    return failure.getClass().getSimpleName();
  }

  /** What the commands that stream scripts say when the heap runs out: the standard error line and the report's. */
  static final String HEAP_ADVICE = "a statement, the registry or the output is larger than the Java heap allows;"
      + " give more with java -Xmx..., or split the script";

  /** {@code out of memory (<the JVM's words>): <advice>}. */
  static String outOfMemory(Throwable failure) {
    return "out of memory (" + LineText.escape(String.valueOf(failure.getMessage())) + "): " + HEAP_ADVICE;
  }

  /** {@code "error":"<message>"}, a member to close a JSON object with. */
  static String jsonMember(Throwable failure) {
    String object = new JsonWriter().beginObject().field("error", message(failure)).endObject().toString();
    return object.substring(1, object.length() - 1);
  }

  /** Runs {@code closing} after {@code failure} stopped a report; a failure of its own is dropped, the first one counts. */
  static void close(Runnable closing) {
    try {
      closing.run();
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError ignored) {
      // standard output may be what failed: the first failure is reported
    }
  }
}
