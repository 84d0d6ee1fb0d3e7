package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.yaml.YamlTree;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A registry or policy file larger than {@link RegularFile#MAX_BYTES} is refused before it is read, naming
 * the file and its size: read whole, a 3 GB file made the driver throw {@code OutOfMemoryError} and the CLI
 * took 39 s and 6.4 GB for a 1.2 GB one (red-team review). The files are sparse, so the test costs no disk.
 *
 * <p>Generated: sizes (one byte past the limit, 1.2 GB, 3 GB, past 2^31 bytes, which no Java array holds)
 * x the file (the registry, a trust, a permissions, a boundary and a managed policy file).
 */
class RegistryFileSizeTest {
  @TempDir
  Path dir;

  /** {@link RegularFile#MAX_BYTES}: as many bytes as a document may hold code points, 64 MiB. */
  private static final int LIMIT = 64 * 1024 * 1024;
  private static final List<Long> SIZES =
      List.of(LIMIT + 1L, 1_258_291_200L, 3L << 30, (1L << 31) + 5);

  static Stream<Arguments> tooLarge() {
    List<Arguments> all = new ArrayList<>();
    for (long size : SIZES) {
      for (String file : List.of("registry", "trust", "permissions", "boundary", "managed")) {
        all.add(Arguments.of(file, size));
      }
    }
    return all.stream();
  }

  private static void sparse(Path file, long size) throws Exception {
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(size);
    }
  }

  private static String registry(String file) {
    String files = switch (file) {
      case "trust" -> "trust: big.json";
      case "permissions" -> "permissions: [big.json]";
      case "boundary" -> "permissions: [ok.json]\n      boundary: big.json";
      default -> "managed: [arn:aws:iam::aws:policy/Big]";
    };
    return "version: 1\n" + (file.equals("managed") ? "managed_policies:\n  arn:aws:iam::aws:policy/Big: big.json\n" : "")
        + "roles:\n  - arn: arn:aws:iam::123456789012:role/R\n    policy_files:\n      " + files + "\n";
  }

  @ParameterizedTest(name = "{0}: {1} bytes")
  @MethodSource("tooLarge")
  void aFileLargerThanTheLimitIsRefusedUnread(String file, long size) throws Exception {
    Path registry = dir.resolve("r.yaml");
    String sized = String.format(Locale.ROOT, "%,d bytes", size);
    if (file.equals("registry")) {
      sparse(registry, size);
    } else {
      Files.writeString(registry, registry(file));
      Files.writeString(dir.resolve("ok.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
          + " \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}");
      sparse(dir.resolve("big.json"), size);
    }

    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.load(registry));

    // (a managed policy whose file is refused is also reported as missing from managed_policies)
    assertThat(e.problems()).first().asString().startsWith(registry.toString())
        .contains(file.equals("registry") ? "the registry is " + sized : "policy file big.json is " + sized)
        .contains("more than the " + String.format(Locale.ROOT, "%,d", LIMIT) + " (64 MiB)");
  }

  static Stream<Arguments> longTexts() {
    // the engine checked its limit only before each token: a last token that passes it was read whole
    int over = YamlTree.MAX_CODE_POINTS + 1;
    String base = "version: 1\n";
    return Stream.of(Arguments.of("a trailing comment", base + "#" + "x".repeat(over - base.length() - 1)),
        Arguments.of("a long last scalar", base + "k: " + "x".repeat(over - base.length() - 3)),
        Arguments.of("a long quoted scalar", base + "k: \"" + "x".repeat(over - base.length() - 5) + "\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longTexts")
  void aTextPastTheCodePointLimitIsRefused(String what, String text) {
    assertThat(text.length()).isEqualTo(YamlTree.MAX_CODE_POINTS + 1);

    YamlTree.SyntaxError e = assertThrows(YamlTree.SyntaxError.class, () -> YamlTree.compose(text, "r.yaml"));

    assertThat(e.limit()).isTrue();
    assertThat(e.getMessage()).contains("larger than 64 M characters");
  }
}
