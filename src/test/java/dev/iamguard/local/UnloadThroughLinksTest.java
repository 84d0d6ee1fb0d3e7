package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * UNLOAD writes only where its key names: a symbolic link that stays inside the bucket (reads
 * through one are allowed, {@code ContainmentTest}) would let it write, and with ALLOWOVERWRITE
 * replace, objects of another prefix than the one the guard checked. Wherever the link stands (the
 * prefix's folder, a folder above it, an existing part file, an existing manifest) and whatever it
 * names (another prefix, a folder beside it in the same prefix), with every option set, the UNLOAD
 * is refused (58030) before anything is published, and no file of the bucket changes.
 */
class UnloadThroughLinksTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final List<String> OPTIONS = List.of("", " MANIFEST", " PARALLEL OFF", " GZIP", " MANIFEST VERBOSE");

  /** A link placement: sets it up under the bucket folder and names the UNLOAD prefix that meets it. */
  interface Placement {
    String plant(Path bucket) throws Exception;
  }

  private static final Map<String, Placement> PLACEMENTS = Map.of(
      "the prefix folder links to another prefix", bucket -> {
        Files.createSymbolicLink(bucket.resolve("out/link"), bucket.resolve("private"));
        return "out/link/x_";
      },
      "a folder above the prefix links to another prefix", bucket -> {
        Files.createSymbolicLink(bucket.resolve("out/up"), bucket.resolve("private"));
        return "out/up/deeper/x_";
      },
      "the prefix folder links to a folder beside it", bucket -> {
        Files.createDirectories(bucket.resolve("out/real"));
        Files.createSymbolicLink(bucket.resolve("out/alias"), bucket.resolve("out/real"));
        return "out/alias/x_";
      },
      "an existing part file links to another prefix's object", bucket -> {
        Files.createDirectories(bucket.resolve("out/parts"));
        for (String name : List.of("x_0000_part_00", "x_000", "x_0000_part_00.gz", "x_000.gz", "x_manifest")) {
          Files.createSymbolicLink(bucket.resolve("out/parts/" + name), bucket.resolve("private/data"));
        }
        return "out/parts/x_";
      });

  private Map<String, String> contents() throws Exception {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.startsWith(root.resolve(".iamguard-staging"))).toList()) {
        String name = root.relativize(p).toString();
        all.put(name, Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
            : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p, StandardCharsets.UTF_8) : "folder");
      }
    }
    return all;
  }

  @Test
  void anUnloadNeverWritesThroughALinkInsideTheBucket() throws Exception {
    int checked = 0;
    for (Map.Entry<String, Placement> placement : PLACEMENTS.entrySet()) {
      for (String options : OPTIONS) {
        Path bucket = Files.createDirectories(root.resolve("b" + checked));
        Files.createDirectories(bucket.resolve("out"));
        LocalDb.put(root, "b" + checked + "/private/data", "kept\n");
        String prefix = placement.getValue().plant(bucket);
        Map<String, String> before = contents();

        String sql = "UNLOAD ('select 1 as x') TO 's3://" + bucket.getFileName() + "/" + prefix + "'" + ROLE
            + " ALLOWOVERWRITE" + options;
        SQLException error = catchThrowableOfType(SQLException.class, () -> db.run(sql));

        assertThat((Throwable) error).as("%s, %s", placement.getKey(), sql).isNotNull();
        assertThat(error.getSQLState()).as(error.getMessage()).isEqualTo("58030");
        assertThat(error.getMessage()).contains("symbolic link");
        assertThat(contents()).as("%s, %s", placement.getKey(), sql).isEqualTo(before);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(PLACEMENTS.size() * OPTIONS.size());
  }
}
