package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the emulation writes is what the guard checked: through the guarded driver (the sample
 * registry lets user1's role write {@code s3://acmedata/redshift/unload/} only), UNLOAD to a
 * prefix whose key holds an odd segment (percent-encodings, look-alikes of {@code /} and
 * {@code .}, dots, spaces, drive and home spellings, Windows device names, long names) is denied
 * by the guard, refused by the emulation, or writes exactly the files whose keys start with that
 * prefix, nothing anywhere else. A backslash, a folder separator on Windows (where
 * {@code x\..\..\y} would leave the prefix), is refused (22023) on every system, in UNLOAD
 * targets, COPY sources and manifests, and manifest entries.
 */
class KeySpellingsTest {
  private static final String ROLE = " IAM_ROLE 'copy-unload'";
  private static final String WRITABLE = "acmedata/redshift/unload/";

  /** Odd segments a key may hold; each stands between {@code unload/} and {@code /x_}. */
  private static final List<String> ODD = List.of("%2e%2e", "%2E%2E%2F%2e%2e", "%5c..%5c..", "\u2215..\u2215..",
      "\uFF0F..", "\u2024\u2024", "\uFF0E\uFF0E", "...", " .. ", "..x", "x..", ".x", "~", "$HOME", "C:", "c:x",
      "con", "NUL", "aux.txt", "x\u00a0..", "\u200b..", "..\u200b", "a".repeat(200), "b".repeat(300), "*", "?", "#",
      "x;y", "%00", "%", "%%32%65");
  /** Spellings with a backslash: Windows separators. */
  private static final List<String> BACKSLASHED = List.of("x\\..\\..", "..\\..\\private", "\\", "x\\y", "\\..",
      "..\\", "a\\..\\..\\..\\..\\outside");

  @TempDir
  Path root;
  Connection guarded;

  @BeforeEach
  void open() throws Exception {
    Properties settings = new Properties();
    settings.setProperty("iamguard.registry", "samples/registry.yaml");
    settings.setProperty("iamguard.local-s3", root.toString());
    settings.setProperty("user", "user1");
    guarded = DriverManager.getConnection("jdbc:iamguard:h2:mem:" + UUID.randomUUID(), settings);
    LocalDb.put(root, "acmedata/private/keep", "1|kept\n");
    LocalDb.put(root, "acmedata/redshift/unload/x_keep", "1|kept\n");
  }

  @AfterEach
  void close() throws SQLException {
    guarded.close();
  }

  /** Every file under the root, as its path relative to the root with '/' separators (staging left out). */
  private Set<String> files() throws Exception {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(root.getFileSystem()
          .getSeparator(), "/")).filter(p -> !p.startsWith(".iamguard-staging/")).forEach(found::add);
    }
    return found;
  }

  private SQLException run(String sql) {
    return catchThrowableOfType(SQLException.class, () -> {
      try (Statement statement = guarded.createStatement()) {
        statement.execute(sql);
      }
    });
  }

  @Test
  void anUnloadWritesOnlyUnderTheKeyTheGuardChecked() throws Exception {
    int written = 0;
    int refused = 0;
    for (String segment : ODD) {
      List<String> optionSets = List.of("", " MANIFEST", " ALLOWOVERWRITE PARALLEL OFF", " GZIP EXTENSION 'csv.gz'");
      for (int o = 0; o < optionSets.size(); o++) {
        String options = optionSets.get(o);
        String key = "redshift/unload/" + segment + "/x" + o + "_";
        Set<String> before = files();
        SQLException error = run("UNLOAD ('select 1 as a') TO 's3://acmedata/" + key + "'" + ROLE + options);
        Set<String> after = files();
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        assertThat(after).as("%s: nothing removed", key).containsAll(before);
        if (error == null) {
          written++;
          assertThat(added).as("%s%s: the files written", key, options).isNotEmpty()
              .allSatisfy(file -> assertThat(file).startsWith("acmedata/" + key));
          for (String file : added) {
            assertThat(Files.isRegularFile(root.resolve("acmedata").resolve(file.substring("acmedata/".length()))))
                .isTrue();
          }
        } else {
          refused++;
          assertThat(error.getSQLState()).as("%s: %s", key, error.getMessage()).isIn("42501", "22023", "58030");
          assertThat(added).as("%s: a refused UNLOAD writes nothing", key).isEmpty();
        }
      }
    }
    assertThat(written).as("most odd keys are plain file names").isGreaterThan(ODD.size() * 2);
    assertThat(refused).as("percent-encoded dots are denied by the guard").isGreaterThan(0);
    assertThat(Files.readString(root.resolve("acmedata/private/keep"), StandardCharsets.UTF_8)).isEqualTo("1|kept\n");
  }

  @Test
  void aBackslashInAKeyIsRefusedWhereverTheKeyStands() throws Exception {
    try (Statement statement = guarded.createStatement()) {
      statement.execute("CREATE TABLE t (id INT, name VARCHAR(20))");
    }
    int checked = 0;
    for (String segment : BACKSLASHED) {
      String prefix = "redshift/unload/" + segment + "/";
      LocalDb.put(root, "acmedata/redshift/manifest-" + checked, "{\"entries\": [{\"url\": \"s3://acmedata/" + prefix
          .replace("\\", "\\\\") + "data\", \"mandatory\": true}]}");
      Set<String> before = files();
      List<String> statements = new ArrayList<>(List.of(
          "UNLOAD ('select 1 as a') TO 's3://acmedata/" + prefix + "x_'" + ROLE,
          "UNLOAD ('select 1 as a') TO 's3://acmedata/" + prefix + "'" + ROLE + " MANIFEST ALLOWOVERWRITE",
          "UNLOAD ('select 1 as a') TO 's3://acmedata/redshift/unload/" + segment + "'" + ROLE,
          "COPY t FROM 's3://acmedata/" + prefix + "data'" + ROLE + " MANIFEST",
          "COPY t FROM 's3://acmedata/redshift/manifest-" + checked + "'" + ROLE + " MANIFEST",
          "COPY t FROM 's3://acmedata/" + prefix + "data/'" + ROLE));
      for (String sql : statements) {
        SQLException error = run(sql.replace("\\", "\\\\"));  // a backslash in a Redshift literal is written doubled
        assertThat((Throwable) error).as(sql).isNotNull();
        assertThat(error.getSQLState()).as("%s: %s", sql, error.getMessage()).isEqualTo("22023");
        assertThat(error.getMessage()).as(sql).contains("backslash");
      }
      assertThat(files()).as(segment).isEqualTo(before);
      checked++;
    }
    assertThat(checked).isEqualTo(BACKSLASHED.size());
  }
}
