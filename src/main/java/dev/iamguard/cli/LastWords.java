package dev.iamguard.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The out-of-memory line when the heap has no room left even for it, and the command line's exit.
 * Everything the line needs is made before the command runs: the line as bytes and a stream on the
 * standard error descriptor, written with no allocation on the heap. Without it, a JVM without a
 * shared class archive ({@code -Xshare:off}, or a JDK installed without one) ran out in a 16 MB heap
 * while picocli loaded its classes, {@code System.err} ran out encoding the line, and the JVM's own
 * handler ran out after it (exit 1, "OutOfMemoryError thrown from the UncaughtExceptionHandler").
 */
final class LastWords {
  private static final byte[] LINE = (Main.OUT_OF_MEMORY + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
  private static final FileOutputStream STANDARD_ERROR = new FileOutputStream(FileDescriptor.err);

  private LastWords() {}

  /** Makes the line and stream, and links the write, while the heap still has room. */
  static void prepare() {
    try {
      STANDARD_ERROR.write(LINE, 0, 0);
    } catch (IOException e) {
      // standard error is closed: nothing can be said later either
    }
    try {
      // System.exit loads this class on its first use, which takes heap where no shared archive holds it
      Class.forName("java.lang.Shutdown");
    } catch (ClassNotFoundException e) {
      // another JDK
    }
  }

  /** Writes the out-of-memory line unless {@code said}; returns the exit code. */
  static int outOfMemory(boolean said) {
    if (!said) {
      try {
        STANDARD_ERROR.write(LINE);
      } catch (IOException | OutOfMemoryError e) {
        // nowhere left to say it: the exit code still does
      }
    }
    return ExitCodes.ERROR;
  }

  /**
   * Ends the JVM with {@code code}, running its shutdown hooks (a rewrite's spool file is deleted by
   * one); where even that runs out of memory, halts with the same code rather than let the JVM's
   * handler print a stack trace.
   */
  static void exit(int code) {
    try {
      System.exit(code);
    } catch (OutOfMemoryError e) {
      Runtime.getRuntime().halt(code);
    }
  }
}
