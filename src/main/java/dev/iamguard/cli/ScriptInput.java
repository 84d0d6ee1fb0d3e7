package dev.iamguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SQL script to process, with the name reports give it.
 *
 * @param name the path as the user gave it (folders expanded), or {@code -} for standard input
 * @param text the script, decoded as UTF-8
 */
record ScriptInput(String name, String text) {

  /**
   * Reads the scripts named by {@code paths}: files, folders (their {@code *.sql} files,
   * recursively, in sorted order) or {@code -} for standard input; no path means standard input.
   *
   * @throws CliException when a path does not exist or a file cannot be read or decoded
   */
  static List<ScriptInput> readAll(List<String> paths, InputStream stdin) {
    List<ScriptInput> inputs = new ArrayList<>();
    for (ScriptSource source : ScriptSource.list(paths)) {
      inputs.add(source.isStdin() ? new ScriptInput("-", decode("-", readStdin(stdin))) : read(source.file()));
    }
    return inputs;
  }

  private static ScriptInput read(Path file) {
    String name = file.toString().replace(java.io.File.separatorChar, '/');
    try {
      return new ScriptInput(name, decode(name, Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new CliException(name + ": cannot read the file: " + ScriptSource.why(e));
    }
  }

  private static byte[] readStdin(InputStream stdin) {
    try {
      return stdin.readAllBytes();
    } catch (IOException e) {
      throw new CliException("-: cannot read standard input: " + e.getMessage());
    }
  }

  /** Strict UTF-8: a malformed byte is an error, never a silent replacement character. */
  private static String decode(String name, byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text;
    } catch (CharacterCodingException e) {
      throw new CliException(name + ": not valid UTF-8 text");
    }
  }
}
