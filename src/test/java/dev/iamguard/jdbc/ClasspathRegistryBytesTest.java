package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.registry.PolicyFileScope;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code classpath:} registry's bytes are checked as a registry file's are: text that is not UTF-8 is
 * refused, naming the first bad byte's line and column, where it was decoded leniently and loaded with
 * U+FFFD for each bad byte (red-team review: a user {@code josé} saved as Latin-1 loaded as {@code jos?}).
 *
 * <p>Generated: encodings that are not UTF-8 (Latin-1, Windows-1252) x characters (é, ü, €, ß where the
 * encoding has them) x places (a user name, a comment, a quoted value, the last line).
 */
class ClasspathRegistryBytesTest {
  @TempDir
  Path dir;

  private static final String REGISTRY = "version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n"
      + "    region: us-west-2\n    attached_roles: [arn:aws:iam::123456789012:role/R]\nroles:\n"
      + "  - arn: arn:aws:iam::123456789012:role/R\n";

  static Stream<Arguments> notUtf8() {
    List<Arguments> all = new ArrayList<>();
    for (String charset : List.of("ISO-8859-1", "windows-1252")) {
      for (String c : charset.equals("windows-1252") ? List.of("é", "€") : List.of("é", "ü", "ß")) {
        all.add(Arguments.of(charset, REGISTRY + "users:\n  jos" + c + ": { groups: [etl] }\n", 10, 6));
        all.add(Arguments.of(charset, REGISTRY + "# caf" + c + "\n", 9, 6));
        all.add(Arguments.of(charset, REGISTRY + "users:\n  bob: { groups: [\"" + c + "tl\"] }\n", 10, 20));
        all.add(Arguments.of(charset, REGISTRY + "users: {b" + c + "b: {}}", 9, 10));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("notUtf8")
  void aClasspathRegistryThatIsNotUtf8IsRefused(String charset, String text, int line, int column) throws Exception {
    String name = "cp-" + UUID.randomUUID() + ".yaml";
    Files.write(dir.resolve(name), text.getBytes(Charset.forName(charset)));
    Files.writeString(dir.resolve("utf8-" + name), text, StandardCharsets.UTF_8);
    ClassLoader saved = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, saved)) {
      Thread.currentThread().setContextClassLoader(loader);

      SQLException e = assertThrows(SQLException.class,
          () -> RegistryWatch.open("classpath:" + name, 0, PolicyFileScope.REGISTRY_FOLDER));

      assertThat(e.getMessage()).contains("classpath:" + name + ":" + line + ":")
          .contains("is not UTF-8").contains("line " + line + ", column " + column);
      assertThat(RegistryWatch.open("classpath:utf8-" + name, 0, PolicyFileScope.REGISTRY_FOLDER))
          .as("the same text as UTF-8 loads").isNotNull();
    } finally {
      Thread.currentThread().setContextClassLoader(saved);
    }
  }
}
