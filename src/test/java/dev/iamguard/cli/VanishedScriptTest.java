package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A script listed (named, or found in a folder) and gone before it is read, as when a folder is
 * checked while a job cleans it: the error names the file and says what happened. Before, it was
 * "a.sql: cannot read the file: a.sql" (Java's NoSuchFileException message is the bare path).
 */
class VanishedScriptTest {
  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String listed : List.of("named", "in a folder", "through a link")) {
      for (String gone : List.of("deleted", "replaced by a dangling link")) {
        for (boolean ahead : new boolean[] {false, true}) {
          cases.add(Arguments.of(listed, gone, ahead));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, read ahead: {2}")
  @MethodSource("cases")
  void aScriptGoneBeforeItIsReadIsNamedAndSaidToBeGone(String listed, String gone, boolean ahead) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("scripts"));
    Path file = Files.writeString(folder.resolve("load.sql"), "select 1;\n");
    Path named = switch (listed) {
      case "named" -> file;
      case "in a folder" -> folder;
      default -> Files.createSymbolicLink(dir.resolve("link.sql"), file);
    };
    List<ScriptSource> sources = ScriptSource.list(List.of(named.toString()));
    assertThat(sources).hasSize(1);

    Files.delete(file);
    if (gone.equals("replaced by a dangling link")) {
      Files.createSymbolicLink(file, dir.resolve("nowhere.sql"));
    }

    ScriptSource source = sources.get(0);
    assertThatThrownBy(() -> {
      if (ahead) {
        source.forEachPieceAhead(new ByteArrayInputStream(new byte[0]), piece -> piece, piece -> {});
      } else {
        source.forEachPiece(new ByteArrayInputStream(new byte[0]), piece -> {});
      }
    }).isInstanceOf(CliException.class)
        .hasMessage(source.name() + ": cannot read the file: no such file (removed while the command ran?)");
  }
}
