package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prefilter against real SQL: every script of {@code samples/} and of the shared corpus, whole
 * and statement by statement (each with and without its {@code ;}, and with a select before it),
 * gets from the prefilter either "look closer" or a pass the full path agrees with.
 */
class PrefilterCorpusTest {

  @BeforeAll
  static void registry() throws Exception {
    PrefilterProperties.registry();
  }

  @Test
  void samplesAgreeWithTheFullPath() throws IOException {
    int[] counts = check(Path.of("samples"));
    System.out.println("prefilter on samples/: " + counts[0] + " texts, " + counts[1] + " passed without lexing");
    assertThat(counts[0]).isGreaterThan(20);
    assertThat(counts[1]).as("texts passed").isGreaterThan(0);
  }

  @Test
  void sharedCorpusAgreesWithTheFullPath() throws IOException {
    int[] counts = check(SharedFiles.require("corpus"));
    System.out.println("prefilter on ../shared/corpus: " + counts[0] + " texts, " + counts[1] + " passed without lexing");
    assertThat(counts[0]).isGreaterThan(500);
    assertThat(counts[1]).as("texts passed").isGreaterThan(50);
  }

  /** {texts tried, texts the prefilter passed}; fails on a pass the full path disagrees with. */
  private static int[] check(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.walk(folder)) {
      files = all.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).as(".sql files in " + folder).isNotEmpty();
    int tried = 0;
    int passed = 0;
    for (Path file : files) {
      String script = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (String text : texts(script)) {
        tried++;
        if (Prefilter.clean(text)) {
          passed++;
          PrefilterProperties.assertSameAsFullPath(text);
        }
      }
    }
    return new int[] {tried, passed};
  }

  private static List<String> texts(String script) {
    List<String> texts = new ArrayList<>();
    texts.add(script);
    for (SqlStatement statement : SqlScript.parse(script).statements()) {
      String text = statement.text();
      texts.add(text);
      texts.add(text + ";");
      texts.add("select 1;\n" + text);
      int end = statement.end();
      texts.add(script.substring(statement.start(), Math.min(script.length(), end + 1)));
    }
    return texts;
  }
}
