package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNLOADs of two connections to one prefix at once, each with its own H2 database and its own
 * view of one local S3 folder. The query of each waits for the other's ({@link #meet}, an H2
 * function on a barrier), so both have passed the check that the prefix is empty before either
 * publishes: the interleaving every round exercises, without sleeps. Hand-checked expectations
 * from README ("ALLOWOVERWRITE (without it, existing objects are an error, as in Redshift)", "Files
 * appear only once the whole query has been read, and all of them or none") and from S3, where an
 * object overwritten is the old object or the new one at every instant, never none.
 */
public class ConcurrentUnloadTest {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  /** Every combination of the options that change the files an UNLOAD writes. */
  private static final List<String> OPTIONS = List.of("", " PARALLEL OFF", " MANIFEST", " GZIP",
      " PARALLEL OFF MANIFEST", " PARALLEL OFF GZIP", " MANIFEST GZIP", " PARALLEL OFF MANIFEST GZIP");
  private static final Pattern MANIFEST_URL = Pattern.compile("\"url\":\"s3://b/([^\"]+)\"");

  private static volatile CyclicBarrier barrier;

  @TempDir
  Path root;
  private LocalDb a;
  private LocalDb b;
  private ExecutorService threads;

  /** Called by H2 for each row of the UNLOAD queries: the first row waits for the other query's. */
  public static int meet(int x) throws Exception {
    if (x == 1) {
      barrier.await(60, TimeUnit.SECONDS);
    }
    return x;
  }

  @BeforeEach
  void open() throws Exception {
    a = connection("A");
    b = connection("B");
    threads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    a.close();
    b.close();
  }

  /** A database whose 6,000 rows (two parts of MAXFILESIZE 5 MB) each carry {@code tag}, on the shared folder. */
  private LocalDb connection(String tag) throws Exception {
    LocalDb db = new LocalDb(root);
    db.sql("CREATE ALIAS MEET FOR '" + ConcurrentUnloadTest.class.getName() + ".meet'");
    db.sql("CREATE TABLE t (x INTEGER, s VARCHAR(2000))");
    db.sql("INSERT INTO t SELECT x, '" + tag + "' || REPEAT('a', 1000) FROM SYSTEM_RANGE(1, 6000)");
    return db;
  }

  /** Runs the UNLOAD on both connections at once; the failures, null for a success, A's first. */
  private List<SQLException> bothAtOnce(String unload) throws Exception {
    barrier = new CyclicBarrier(2);
    List<Future<?>> runs = List.of(threads.submit(() -> a.run(unload)), threads.submit(() -> b.run(unload)));
    List<SQLException> failures = new ArrayList<>();
    for (Future<?> run : runs) {
      try {
        run.get(120, TimeUnit.SECONDS);
        failures.add(null);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        failures.add((SQLException) e.getCause());
      }
    }
    return failures;
  }

  /** The files under {@code b/<folder>}, by name. */
  private TreeSet<String> files(String folder) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("b").resolve(folder))) {
      return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  /** The tags ('A', 'B') of the rows in the data file {@code file}. */
  private static TreeSet<Character> tags(Path file) throws IOException {
    String text;
    try (InputStream in = file.getFileName().toString().endsWith(".gz")
        ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    TreeSet<Character> tags = new TreeSet<>();
    for (String line : text.split("\n")) {
      tags.add(line.charAt(line.indexOf('|') + 1));
    }
    return tags;
  }

  /**
   * The prefix {@code folder/} holds exactly one UNLOAD's set: the names of two parts (and the
   * manifest when asked), every row of one connection, a manifest naming exactly the parts.
   */
  private void assertOneWholeSet(String folder, String options) throws IOException {
    boolean serial = options.contains("PARALLEL OFF");
    String suffix = options.contains("GZIP") ? ".gz" : "";
    TreeSet<String> parts = new TreeSet<>(serial ? List.of("000" + suffix, "001" + suffix)
        : List.of("0000_part_00" + suffix, "0000_part_01" + suffix));
    TreeSet<String> expected = new TreeSet<>(parts);
    if (options.contains("MANIFEST")) {
      expected.add("manifest");
    }
    assertThat(files(folder)).as(folder + options).isEqualTo(expected);
    TreeSet<Character> tags = new TreeSet<>();
    for (String part : parts) {
      tags.addAll(tags(root.resolve("b").resolve(folder).resolve(part)));
    }
    assertThat(tags).as("the rows of one connection only, " + folder + options).hasSize(1);
    if (options.contains("MANIFEST")) {
      Matcher url = MANIFEST_URL.matcher(Files.readString(root.resolve("b").resolve(folder).resolve("manifest")));
      TreeSet<String> listed = new TreeSet<>();
      while (url.find()) {
        listed.add(url.group(1));
      }
      TreeSet<String> keys = new TreeSet<>();
      parts.forEach(p -> keys.add(folder + "/" + p));
      assertThat(listed).as(folder + options).isEqualTo(keys);
    }
  }

  private static String unload(String folder, String options) {
    return "UNLOAD ('select meet(x), s from t order by x') TO 's3://b/" + folder + "/'" + ROLE
        + " MAXFILESIZE 5 MB" + options;
  }

  /**
   * Without ALLOWOVERWRITE, of two UNLOADs to one empty prefix the first to publish writes its set
   * and the other is refused (42710) writing nothing: both succeeded, the second replacing the
   * first's objects though it never said ALLOWOVERWRITE.
   */
  @Test
  void withoutAllowOverwriteOneOfTwoUnloadsToAPrefixIsRefused() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (String options : OPTIONS) {
        String folder = "r" + round + "-" + OPTIONS.indexOf(options);
        List<SQLException> failures = bothAtOnce(unload(folder, options));
        assertThat(failures).as(folder + options).containsOnlyOnce((SQLException) null);
        SQLException refused = failures.get(0) != null ? failures.get(0) : failures.get(1);
        assertThat(refused.getSQLState()).as(folder + options).isEqualTo(SqlStates.TARGET_NOT_EMPTY);
        assertThat(refused.getMessage()).contains("s3://b/" + folder + "/", "ALLOWOVERWRITE");
        assertOneWholeSet(folder, options);
      }
    }
  }

  /** With ALLOWOVERWRITE both succeed, over objects there before, and the prefix holds one whole set. */
  @Test
  void allowOverwriteUnloadsToOnePrefixLeaveOneWholeSet() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (String options : OPTIONS) {
        String folder = "r" + round + "-" + OPTIONS.indexOf(options);
        String unload = unload(folder, options + " ALLOWOVERWRITE");
        if (round == 1) {
          bothAtOnce(unload); // objects there before: both replace them
        }
        assertThat(bothAtOnce(unload)).as(folder + options).containsExactly(null, null);
        assertOneWholeSet(folder, options);
      }
    }
  }

  /**
   * A key an UNLOAD with ALLOWOVERWRITE replaces names an object at every instant: a watcher that
   * looks at the keys while UNLOADs replace them, round after round, never finds one missing (it
   * found thousands, each a moment in which a COPY of the prefix failed or loaded without it).
   */
  @Test
  void aKeyReplacedWithAllowOverwriteIsNeverMissing() throws Exception {
    String unload = "UNLOAD ('select x, s from t order by x') TO 's3://b/v/'" + ROLE
        + " MAXFILESIZE 5 MB MANIFEST ALLOWOVERWRITE";
    a.run(unload);
    List<Path> keys = new ArrayList<>();
    for (String name : List.of("0000_part_00", "0000_part_01", "manifest")) {
      keys.add(root.resolve("b/v").resolve(name));
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong looks = new AtomicLong();
    AtomicLong missing = new AtomicLong();
    Future<?> watcher = threads.submit(() -> {
      while (!done.get()) {
        for (Path key : keys) {
          looks.incrementAndGet();
          if (!Files.exists(key)) {
            missing.incrementAndGet();
          }
        }
      }
      return null;
    });
    try {
      for (int round = 0; round < 60; round++) {
        a.run(unload);
      }
    } finally {
      done.set(true);
    }
    watcher.get(60, TimeUnit.SECONDS);
    assertThat(looks.get()).isPositive();
    assertThat(missing.get()).as("looks that found a key missing, of " + looks.get()).isZero();
    assertOneWholeSet("v", " MANIFEST");
  }
}
