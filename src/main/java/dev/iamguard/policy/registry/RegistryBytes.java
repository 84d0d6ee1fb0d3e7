package dev.iamguard.policy.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a registry file must be before it is read as YAML: a file (not a folder) of UTF-8 text.
 * Each refusal says what the file is instead and what to do.
 */
final class RegistryBytes {
  private RegistryBytes() {}

  /** Refuses a folder named as the registry, naming the YAML or JSON files in it. */
  static void refuseFolder(Path file) throws RegistryException {
    if (!Files.isDirectory(file)) {
      return;
    }
    List<String> candidates;
    try (Stream<Path> entries = Files.list(file)) {
      candidates = entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(name -> name.matches("(?i).+\\.(ya?ml|json)")).sorted().limit(3).toList();
    } catch (IOException e) {
      candidates = List.of();
    }
    String source = file.toString();
    throw problem(source, 0, "is a folder, not a registry file; name the registry file in it"
        + (candidates.isEmpty() ? "" : ", e.g. " + String.join(" or ", candidates.stream()
            .map(name -> file.resolve(name).toString()).toList())));
  }

  /** The registry's text; refuses bytes that are not UTF-8, naming the first bad byte's line and column. */
  static String utf8(String source, byte[] bytes) throws RegistryException {
    if (bytes.length >= 2 && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)) {
      throw problem(source, 0, "the registry is UTF-16 text; save it as UTF-8");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int bad = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String before = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
      int column = before.codePointCount(0, before.length()) + 1;
      throw problem(source, line, String.format(Locale.ROOT, "the registry is not UTF-8 text: the byte 0x%02X at line %d, column %d"
          + " is not UTF-8 (a file saved as Latin-1 or Windows-1252?); save the file as UTF-8", bytes[bad] & 0xFF, line, column));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static RegistryException problem(String source, int line, String message) {
    return new RegistryException(source, List.of(new RegistryProblem(source, line, "", message)));
  }
}
