package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A registry file must be a file of UTF-8 text: a folder is refused naming the registry files in it,
 * UTF-16 is refused as such, and a byte that is not UTF-8 is named with its line and column
 * (counted in characters, as an editor shows them). What was loaded is remembered by digest.
 */
class RegistryFileTest {
  private static final String MINIMAL = "version: 1\n";

  private static RegistryProblem onlyProblem(Path file) {
    try {
      RegistryLoader.load(file);
    } catch (RegistryException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0);
    }
    throw new AssertionError(file + " loaded");
  }

  private static Path write(Path dir, byte[] bytes) throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.write(file, bytes);
    return file;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFolderIsRefusedNamingUpToThreeRegistryFilesInIt(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectory(dir.resolve("conf"));
    for (String name : new String[] {"z.yaml", "b.JSON", "a.yml", "c.yaml", "notes.txt", "yaml"}) {
      Files.writeString(folder.resolve(name), MINIMAL);
    }
    Files.createDirectory(folder.resolve("0.yaml")); // a folder sorts first and is no candidate
    RegistryProblem problem = onlyProblem(folder);
    assertThat(problem.line()).isZero();
    assertThat(problem.source()).isEqualTo(folder.toString());
    assertThat(problem.message()).isEqualTo("is a folder, not a registry file; name the registry file in it, e.g. "
        + folder.resolve("a.yml") + " or " + folder.resolve("b.JSON") + " or " + folder.resolve("c.yaml"));
  }

  @Test
  void aFolderWithoutRegistryFilesIsRefusedPlainly(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(folder.resolve("README.md"), "x");
    assertThat(onlyProblem(folder).message()).isEqualTo("is a folder, not a registry file; name the registry file in it");
  }

  @Test
  void aMissingFileCannotBeRead(@TempDir Path dir) {
    assertThat(onlyProblem(dir.resolve("absent.yaml")).message()).startsWith("cannot read the registry file (NoSuchFileException");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FFFE", "FEFF", "FFFE7600", "FEFF0076"})
  void utf16IsRefusedAsSuch(String hex, @TempDir Path dir) throws Exception {
    RegistryProblem problem = onlyProblem(write(dir, java.util.HexFormat.of().parseHex(hex)));
    assertThat(problem.message()).isEqualTo("the registry is UTF-16 text; save it as UTF-8");
    assertThat(problem.line()).isZero();
  }

  /** Bytes that start like a byte order mark and are not one are reported where they are. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "FF41, 0xFF, 1, 1",
      "FE41, 0xFE, 1, 1",
      "41FE, 0xFE, 1, 2",
      "41FF, 0xFF, 1, 2",
      "FF, 0xFF, 1, 1",
      "FE, 0xFE, 1, 1"})
  void halfAByteOrderMarkIsABadByte(String hex, String bad, int line, int column, @TempDir Path dir) throws Exception {
    RegistryProblem problem = onlyProblem(write(dir, java.util.HexFormat.of().parseHex(hex)));
    assertThat(problem.message()).isEqualTo("the registry is not UTF-8 text: the byte " + bad + " at line " + line
        + ", column " + column + " is not UTF-8 (a file saved as Latin-1 or Windows-1252?); save the file as UTF-8");
  }

  @Test
  void aLatin1ByteIsNamedByLineAndCharacterColumn(@TempDir Path dir) throws Exception {
    // line 3 holds "# é😀" (2 + 2 + 4 bytes, 4 characters as an editor counts them) and then Latin-1 é (0xE9)
    byte[] bytes = concat(utf8("version: 1\n# ok\n# é\uD83D\uDE00"), new byte[] {(byte) 0xE9}, utf8(" x\n"));
    RegistryProblem problem = onlyProblem(write(dir, bytes));
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.message()).contains("the byte 0xE9 at line 3, column 5 is not UTF-8");
  }

  @Test
  void aBadByteAtTheStartOfALineIsInColumnOne(@TempDir Path dir) throws Exception {
    byte[] bytes = concat(utf8("version: 1\n"), new byte[] {(byte) 0x96}, utf8("\n"));
    RegistryProblem problem = onlyProblem(write(dir, bytes));
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.message()).contains("the byte 0x96 at line 2, column 1 is not UTF-8");
  }

  @Test
  void utf8TextOfAnyScriptLoads(@TempDir Path dir) throws Exception {
    Path file = write(dir, utf8("# régistre 登録 😀\nversion: 1\n"));
    RegistryLoader.Loaded loaded = RegistryLoader.load(file, PolicyFileScope.REGISTRY_FOLDER);
    assertThat(loaded.sources()).singleElement().satisfies(source -> {
      assertThat(source.file()).isEqualTo(file);
      assertThat(source.holds(Files.readAllBytes(file))).isTrue();
      assertThat(source.holds(utf8("version: 1\n"))).isFalse();
      assertThat(source.toString()).isEqualTo(file.toString());
    });
  }

  @Test
  void aSourceIsItsFileAndTheDigestOfItsBytes() {
    Path file = Path.of("conf", "registry.yaml");
    RegistrySource source = RegistrySource.of(file, utf8(MINIMAL));
    // SHA-256 of "version: 1\n", as sha256sum prints it
    assertThat(java.util.HexFormat.of().formatHex(source.sha256()))
        .isEqualTo("09bfcc6a14b83e2192b8673677725c84883ee9cd0c70e45c9ec09daa8f2b2847");
    assertThat(source.holds(utf8(MINIMAL))).isTrue();
    assertThat(source.holds(utf8("version: 1\n\n"))).isFalse();
    assertThat(source).isEqualTo(RegistrySource.of(Path.of("conf", "registry.yaml"), utf8(MINIMAL)))
        .hasSameHashCodeAs(RegistrySource.of(Path.of("conf", "registry.yaml"), utf8(MINIMAL)));
    assertThat(source).isNotEqualTo(RegistrySource.of(Path.of("other.yaml"), utf8(MINIMAL)))
        .isNotEqualTo(RegistrySource.of(file, utf8("version: 1\n\n")))
        .isNotEqualTo(file);
    assertThat(source.hashCode()).isNotEqualTo(RegistrySource.of(file, utf8("version: 1\n\n")).hashCode())
        .isNotEqualTo(RegistrySource.of(Path.of("other.yaml"), utf8(MINIMAL)).hashCode());
    // the digest handed out is a copy
    source.sha256()[0] ^= 1;
    assertThat(source.holds(utf8(MINIMAL))).isTrue();
  }
}
