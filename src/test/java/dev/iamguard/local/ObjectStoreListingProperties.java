package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Listing a prefix enters only the folders that may hold its keys (issue 17: a walk of the whole
 * folder made each COPY or UNLOAD cost as much as every other file beside its prefix). Over
 * generated buckets (files and folders whose names share beginnings with the prefix and each other,
 * links to files and folders inside and outside the bucket) and prefixes (with and without a
 * trailing slash, naming a folder, a file, part of a name, or nothing), it lists what the whole-
 * folder walk listed, in the same order, and refuses what it refused, with the same message.
 */
class ObjectStoreListingProperties {
  private static final String[] NAMES = {"a", "ab", "abc", "b", "part_00", "part_000", "part_01", "x.csv"};

  /** The listing before issue 17's change: walk the whole folder up to the prefix's last '/', then filter. */
  private static List<String> walkedWhole(Path root, S3Uri prefix) throws SQLException {
    ObjectStore store = new ObjectStore(root);
    Path bucket = store.path(prefix.withKey(""));
    int lastSlash = prefix.key().lastIndexOf('/');
    Path start = lastSlash < 0 ? bucket : store.path(prefix.withKey(prefix.key().substring(0, lastSlash)));
    List<String> found = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return found;
    }
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f))
          .forEach(candidates::add);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException(e);
    }
    for (Path file : candidates) {
      String key = bucket.relativize(file).toString();
      if (key.startsWith(prefix.key())) {
        store.contained(prefix.withKey(key), file);
        if (Files.isRegularFile(file)) {
          found.add(key);
        }
      }
    }
    found.sort(Comparator.naturalOrder());
    return found;
  }

  @Property(tries = 400)
  void listsWhatTheWholeFolderWalkListed(@ForAll("cases") Tuple.Tuple2<List<Tuple.Tuple3<String, Integer, Boolean>>, String> given)
      throws Exception {
    List<Tuple.Tuple3<String, Integer, Boolean>> entries = given.get1();
    String prefix = given.get2();
    Path root = Files.createTempDirectory("listing");
    try {
      Path bucket = Files.createDirectories(root.resolve("bkt"));
      Path outside = Files.createDirectories(root.resolve("elsewhere"));
      Files.writeString(outside.resolve("secret"), "x");
      for (Tuple.Tuple3<String, Integer, Boolean> entry : entries) {
        make(bucket, outside, entry.get1(), entry.get2(), entry.get3());
      }
      S3Uri uri = S3Uri.parse("s3://bkt/" + prefix);

      Object expected = outcome(() -> walkedWhole(root, uri));
      Object listed = outcome(() -> new ObjectStore(root).list(uri).stream()
          .map(object -> object.uri().key()).toList());

      assertThat(listed).isEqualTo(expected);
      Statistics.label("outcome").collect(expected instanceof String ? "refused"
          : ((List<?>) expected).isEmpty() ? "none" : "listed");
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Listing {
    List<String> list() throws Exception;
  }

  /** The keys listed, in order, or the refusal's message. */
  private static Object outcome(Listing listing) {
    try {
      return listing.list().stream().sorted(ObjectStoreListingProperties::keyOrder).toList();
    } catch (SQLException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int keyOrder(String a, String b) {
    return a.compareTo(b);
  }

  /**
   * Makes {@code path} in the bucket: kind 0 a file, 1 a folder, 2 a link to a file of the bucket,
   * 3 a link to a folder of the bucket, 4 a link to a file outside it; {@code deep}: under a folder
   * named as the path's parent.
   */
  private static void make(Path bucket, Path outside, String path, int kind, boolean deep) throws IOException {
    Path at = bucket.resolve(deep ? "a/" + path : path);
    if (Files.exists(at, LinkOption.NOFOLLOW_LINKS) || !parentsAreFolders(bucket, at)) {
      return;
    }
    Files.createDirectories(at.getParent());
    switch (kind) {
      case 0 -> Files.writeString(at, path);
      case 1 -> Files.createDirectories(at);
      case 2 -> {
        Path target = Files.writeString(bucket.resolve("target_" + Math.abs(path.hashCode())), "t");
        Files.createSymbolicLink(at, target);
      }
      case 3 -> {
        Path target = Files.createDirectories(bucket.resolve("folder_target"));
        Files.writeString(target.resolve("a"), "in the folder a link leads to");
        Files.createSymbolicLink(at, target);
      }
      default -> Files.createSymbolicLink(at, outside.resolve("secret"));
    }
  }

  /** True when every folder on the way to {@code at} is a folder or does not exist yet (no file or link in the way). */
  private static boolean parentsAreFolders(Path bucket, Path at) {
    for (Path p = at.getParent(); p != null && p.startsWith(bucket) && !p.equals(bucket); p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  /** A tree and a prefix: half of them a cut of one of the tree's own paths, so that most list something. */
  @Provide
  Arbitrary<Tuple.Tuple2<List<Tuple.Tuple3<String, Integer, Boolean>>, String>> cases() {
    return trees().flatMap(tree -> {
      Arbitrary<String> own = tree.isEmpty() ? prefixes() : Arbitraries.of(tree).flatMap(entry -> {
        String path = entry.get3() ? "a/" + entry.get1() : entry.get1();
        return Arbitraries.integers().between(1, path.length()).flatMap(cut -> Arbitraries.of("", "/")
            .map(end -> path.substring(0, cut) + end));
      });
      return Arbitraries.oneOf(own, prefixes()).map(prefix -> Tuple.of(tree, prefix));
    });
  }

  private Arbitrary<List<Tuple.Tuple3<String, Integer, Boolean>>> trees() {
    Arbitrary<String> path = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
    Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(3, 1), Tuple.of(1, 2), Tuple.of(1, 3),
        Tuple.of(1, 4));
    return Combinators.combine(path, kind, Arbitraries.of(false, false, true)).as(Tuple::of).list().ofMaxSize(14);
  }

  private Arbitrary<String> prefixes() {
    Arbitrary<String> part = Arbitraries.of("a", "ab", "abc", "b", "part_0", "part_00", "part_01", "x", "p", "folder_target",
        "target_");
    return part.list().ofMinSize(1).ofMaxSize(3).flatMap(parts -> Arbitraries.of("", "/")
        .map(end -> String.join("/", parts) + end));
  }
}
