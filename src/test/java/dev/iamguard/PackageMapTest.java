package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of README's "How the code is organised", held by the sources: which package may
 * use which (arrows only point down), and where the optional dependencies may be named.
 */
class PackageMapTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "iamguard");
  /** Each package and the iamguard packages it may use (a subpackage counts as its top package). */
  private static final Map<String, Set<String>> MAY_USE = Map.of(
      "cli", Set.of("jdbc", "policy", "sql", "audit"),
      "frameworks", Set.of("jdbc"),
      "hadoop", Set.of("local", "sql"),
      "jdbc", Set.of("local", "policy", "sql", "audit"),
      "local", Set.of("sql"),
      "policy", Set.of("sql"),
      "audit", Set.of("sql"),
      "sql", Set.of());
  private static final Pattern IAMGUARD = Pattern.compile("\\bdev\\.iamguard\\.([a-z]+)");
  // unrolled (a class run per escape) so that a long literal does not recurse once per char
  private static final Pattern STRING_LITERAL = Pattern.compile("\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"");

  /** Every main source file, by its path below dev/iamguard (package/.../File.java). */
  private static Map<String, String> sources() throws IOException {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
        try {
          sources.put(MAIN.relativize(file).toString().replace('\\', '/'), Files.readString(file));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return sources;
  }

  @Test
  void arrowsOnlyPointDown() throws IOException {
    Map<String, String> sources = sources();
    List<String> wrong = new ArrayList<>();
    Set<String> packages = new TreeSet<>();
    sources.forEach((file, text) -> {
      String from = file.substring(0, file.indexOf('/'));
      packages.add(from);
      Matcher use = IAMGUARD.matcher(text);
      while (use.find()) {
        String to = use.group(1);
        if (!to.equals(from) && !MAY_USE.getOrDefault(from, Set.of()).contains(to)) {
          wrong.add(file + " uses " + to);
        }
      }
    });
    assertThat(packages).as("packages in the map").isEqualTo(MAY_USE.keySet());
    assertThat(wrong).as("uses the package map does not allow").isEmpty();
  }

  /** The emulated formats' classes, loaded only when a COPY or UNLOAD names the format. */
  private static final java.util.Set<String> AVRO_AND_PARQUET = java.util.Set.of("local/AvroReader.java",
      "local/BoundedAvroDatumReader.java", "local/BoundedAvroDecoder.java", "local/ParquetPart.java");

  /** The classes only {@code AvroReader} uses, so that they load with it and no sooner. */
  @Test
  void theAvroReadersHelpersAreUsedOnlyByIt() throws IOException {
    List<String> wrong = new ArrayList<>();
    sources().forEach((file, source) -> {
      if (!AVRO_AND_PARQUET.contains(file) && (source.contains("BoundedAvroDatumReader")
          || source.contains("BoundedAvroDecoder"))) {
        wrong.add(file);
      }
    });
    assertThat(wrong).isEmpty();
  }

  @Test
  void optionalDependenciesAreNamedOnlyWhereTheyAreUsed() throws IOException {
    List<String> wrong = new ArrayList<>();
    sources().forEach((file, source) -> {
      String text = STRING_LITERAL.matcher(source).replaceAll("\"\""); // a class named in a string (a presence check) is not linked
      if (text.contains("picocli.") && !file.startsWith("cli/")) {
        wrong.add(file + " names picocli (the CLI's)");
      }
      if (text.contains("net.sf.jsqlparser") && !file.equals("sql/JSqlParserTables.java")) {
        wrong.add(file + " names JSqlParser (only sql.JSqlParserTables may, loaded when it is present)");
      }
      if ((text.contains("org.apache.avro") || text.contains("org.apache.parquet") || text.contains("org.xerial"))
          && !AVRO_AND_PARQUET.contains(file)) {
        wrong.add(file + " names Avro or Parquet (only the emulated formats may, loaded when they are used)");
      }
      if (text.contains("org.apache.hadoop") && !file.startsWith("hadoop/")) {
        wrong.add(file + " names Hadoop (only the local S3 FileSystem may)");
      }
      if ((text.contains("org.springframework") || text.contains("org.flywaydb") || text.contains("liquibase."))
          && !file.startsWith("frameworks/")) {
        wrong.add(file + " names Spring, Flyway or Liquibase (only the frameworks package may, which they load)");
      }
      if (text.contains("io.micrometer") && !file.equals("audit/MicrometerAuditSink.java")) {
        wrong.add(file + " names Micrometer (only audit.MicrometerAuditSink may, loaded when it is present)");
      }
    });
    assertThat(wrong).isEmpty();
  }

  @Test
  void jdbcNamesItsSqlStates() throws IOException {
    Pattern sqlState = Pattern.compile("\"(?=[0-9A-Z]{5}\")[A-Z]{0,4}[0-9][0-9A-Z]*\"");
    List<String> raw = new ArrayList<>();
    sources().forEach((file, text) -> {
      if (file.startsWith("jdbc/") && !file.equals("jdbc/GuardSqlStates.java")) {
        Matcher literal = sqlState.matcher(text);
        while (literal.find()) {
          raw.add(file + ": " + literal.group());
        }
      }
    });
    assertThat(raw).as("raw SQLSTATE literals (name them in GuardSqlStates)").isEmpty();
  }
}
