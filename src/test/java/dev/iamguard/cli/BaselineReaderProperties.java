package dev.iamguard.cli;

import dev.iamguard.sql.ShortReadReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A baseline is read as a stream of events, no longer loaded whole (34 bytes of heap per byte of
 * file). Whatever the document (values of every type where a baseline has strings and counts, keys
 * in any order, entries that are not mappings, unknown keys holding collections, a wrong version),
 * it accepts and refuses what loading it whole did, with the same message.
 */
class BaselineReaderProperties {
  @TempDir
  Path dir;

  /** The reading before the sixteenth session: the document loaded whole, then checked. */
  private static Map<String, Map<String, Integer>> loadedWhole(Path file) {
    Object root;
    try {
      LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
      root = new Load(settings).loadFromReader(ShortReadReader.of(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | YamlEngineException e) {
      throw new CliException(file + ": cannot read the baseline: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(root instanceof Map<?, ?> map) || !Integer.valueOf(Baseline.VERSION).equals(map.get("iamguard_baseline"))
        || !(map.get("findings") instanceof List<?> findings)) {
      throw new CliException(file + ": not an iamguard baseline (version " + Baseline.VERSION
          + "): write one with check --write-baseline");
    }
    Map<String, Map<String, Integer>> accepted = new HashMap<>();
    int n = 0;
    for (Object item : findings) {
      n++;
      if (!(item instanceof Map<?, ?> entry) || !(entry.get("file") instanceof String name)
          || !(entry.get("fingerprint") instanceof String fingerprint)
          || !(entry.get("count") instanceof Integer count) || count < 1) {
        throw new CliException(file + ": findings[" + (n - 1) + "] needs file, fingerprint and a count of at least 1");
      }
      accepted.computeIfAbsent(name, k -> new HashMap<>()).merge(fingerprint, count, Integer::sum);
    }
    return accepted;
  }

  private static String outcome(java.util.function.Supplier<Map<String, Map<String, Integer>>> read) {
    try {
      Map<String, Map<String, Integer>> sorted = new TreeMap<>();
      read.get().forEach((file, counts) -> sorted.put(file, new TreeMap<>(counts)));
      return "accepted " + sorted;
    } catch (CliException e) {
      return "refused " + e.getMessage();
    }
  }

  @Property(tries = 2000)
  void readsAsLoadingWholeRead(@ForAll("documents") String document) throws IOException {
    Path file = Files.createTempFile("baseline", ".json"); // jqwik properties get no @TempDir
    String streamed;
    String whole;
    try {
      Files.writeString(file, document);
      streamed = outcome(() -> BaselineReader.read(file));
      whole = outcome(() -> loadedWhole(file));
    } finally {
      Files.delete(file);
    }

    assertThat(streamed).as(document).isEqualTo(whole);
    Statistics.label("outcome").collect(streamed.startsWith("accepted") ? "accepted"
        : streamed.contains("needs file") ? "bad entry" : streamed.contains("cannot read") ? "unreadable"
        : "not a baseline");
    Statistics.label("outcome").coverage(c -> {
      c.check("accepted").percentage(p -> p > 4);
      c.check("bad entry").percentage(p -> p > 10);
      c.check("not a baseline").percentage(p -> p > 10);
    });
  }

  /** An alias, which no baseline written by check holds, is refused (loading whole resolved it). */
  @Test
  void anAliasIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("alias.yaml"), "iamguard_baseline: &v 1\nfindings: []\nagain: *v\n");

    assertThatThrownBy(() -> BaselineReader.read(file)).isInstanceOf(CliException.class)
        .hasMessage(file + ": cannot read the baseline: it holds an alias (*), which a baseline does not");
  }

  @Test
  void aKeyTwiceOrASecondDocumentIsRefused() throws IOException {
    for (String document : List.of(
        "{\"iamguard_baseline\": 1, \"iamguard_baseline\": 1, \"findings\": []}",
        "{\"iamguard_baseline\": 1, \"findings\": [{\"file\": \"a\", \"file\": \"b\", \"fingerprint\": \"f\", \"count\": 1}]}",
        "iamguard_baseline: 1\nfindings: []\n---\niamguard_baseline: 1\nfindings: []\n")) {
      Path file = Files.writeString(dir.resolve("odd.yaml"), document);
      assertThatThrownBy(() -> loadedWhole(file)).as(document).isInstanceOf(CliException.class)
          .hasMessageContaining("cannot read the baseline");
      assertThatThrownBy(() -> BaselineReader.read(file)).as(document).isInstanceOf(CliException.class)
          .hasMessageContaining("cannot read the baseline");
    }
  }

  @Test
  void blockYamlWithCommentsIsReadToo() throws IOException {
    Path file = Files.writeString(dir.resolve("b.yaml"), """
        # accepted when the repository adopted check
        iamguard_baseline: 1
        findings:
          - file: etl/load.sql   # the nightly load
            rule: ROLE_UNKNOWN
            fingerprint: 0a1b
            count: 2
          - {file: etl/load.sql, rule: S3_NOT_PERMITTED, fingerprint: "ff00", count: 1}
        """);

    assertThat(BaselineReader.read(file)).isEqualTo(Map.of("etl/load.sql", Map.of("0a1b", 2, "ff00", 1)));
  }

  /** Usually one of {@code usual}, else one of {@code odd}. */
  private static Arbitrary<String> mostly(Arbitrary<String> usual, Arbitrary<String> odd) {
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, usual), net.jqwik.api.Tuple.of(1, odd));
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> file = mostly(Arbitraries.of("\"a.sql\"", "\"b.sql\"", "a.sql", "'b.sql'"),
        Arbitraries.of("1", "null", "[\"a\"]"));
    Arbitrary<String> fingerprint = mostly(Arbitraries.of("\"00ff\"", "\"abcd\"", "abcd"),
        Arbitraries.of("12", "true", "{\"x\": 1}"));
    Arbitrary<String> count = mostly(Arbitraries.of("1", "2", "!!int 3"),
        Arbitraries.of("0", "-1", "\"1\"", "3000000000", "1.0", "0x1"));
    Arbitrary<String> entry = Combinators.combine(file, fingerprint, count, Arbitraries.integers().between(0, 40))
        .as((f, p, c, shape) -> switch (shape % 12) {
          case 0 -> "1";
          case 1 -> "[" + f + "]";
          case 2 -> "{\"fingerprint\": " + p + ", \"count\": " + c + "}";
          case 3 -> "{\"count\": " + c + ", \"rule\": \"R\", \"fingerprint\": " + p + ", \"file\": " + f
              + ", \"note\": {\"seen\": [1, {\"a\": 2}]}}";
          default -> "{\"file\": " + f + ", \"rule\": \"R\", \"fingerprint\": " + p + ", \"count\": " + c + "}";
        });
    Arbitrary<String> findings = entry.list().ofMaxSize(6).map(items -> "[" + String.join(", ", items) + "]");
    Arbitrary<String> version = mostly(Arbitraries.just("1"), Arbitraries.of("2", "\"1\"", "[1]", "1.0"));
    Arbitrary<Integer> shapes = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(7, Arbitraries.integers().between(1, 7)));
    return Combinators.combine(version, findings, shapes).as((v, f, shape) -> {
      List<String> fields = new ArrayList<>();
      if (shape != 1) {
        fields.add("\"iamguard_baseline\": " + v);
      }
      fields.add(shape == 2 ? "\"findings\": {\"a\": 1}" : shape == 3 ? "\"findings\": \"x\"" : "\"findings\": " + f);
      if (shape == 4) {
        fields.add("\"extra\": [[1], {\"b\": [2]}]");
      }
      if (shape == 5) {
        java.util.Collections.reverse(fields);
      }
      return shape == 6 ? "[" + String.join(", ", fields) + "]" : shape == 7 ? "" : "{" + String.join(", ", fields) + "}";
    });
  }
}
