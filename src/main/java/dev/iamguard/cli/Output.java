package dev.iamguard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Appending to a report's output without checked exceptions (a failed write becomes exit 2 in Main). */
final class Output {
  private Output() {}

  static void append(Appendable out, CharSequence text) {
    try {
      out.append(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
