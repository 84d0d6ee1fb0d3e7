package dev.iamguard.cli;

import dev.iamguard.policy.registry.RegularFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an input file the registry commands name, as UTF-8; any failure is a CLI error naming the file. */
final class InputFiles {
  private InputFiles() {}

  static String read(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new CliException(file + ": is a folder; " + what + " is a file");
    }
    if (!Files.exists(file)) {
      throw new CliException(file + ": no such file (" + what + ")");
    }
    try {
      byte[] bytes = RegularFile.readAll(file); // AWS CLI outputs: AwsJson bounds them
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CliException(file + ": not UTF-8 text (" + what + ")");
    } catch (RegularFile.NotRegular e) {
      throw new CliException(file + ": " + e.getMessage() + " (" + what + ")");
    } catch (IOException e) {
      throw new CliException(file + ": cannot read the file: " + e.getClass().getSimpleName());
    }
  }
}
