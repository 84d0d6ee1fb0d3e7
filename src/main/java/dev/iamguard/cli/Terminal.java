package dev.iamguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard input is a terminal (someone would have to type the script). */
final class Terminal {
  private Terminal() {}

  static boolean stdinIsTerminal() {
    Path fd = Path.of("/proc/self/fd/0");
    if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        String target = Files.readSymbolicLink(fd).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null; // elsewhere: a console means standard input and output are terminals
  }
}
