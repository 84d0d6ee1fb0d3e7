package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probe 23c L2: a COPY never reads the bytes of an object other than the key the guard decided on.
 * Over layouts of links that stay inside the bucket (a file link to a sibling inside or outside the
 * prefix or to a denied sub-folder, a folder link, chains of both, a linked top folder) and COPYs of
 * a key, of a prefix and by manifest, nothing behind a link is loaded: a key through a link, a
 * manifest entry naming one, and a prefix listing a file link are refused with 58030 naming the
 * key, not the link's target (a prefix's listing never enters a folder link); a COPY of a plain
 * key beside the links still loads.
 */
class InBucketLinksTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  /** Plain objects, each one row whose id tells which file was read. */
  private static final String[][] OBJECTS = {
      {"b/data/a.txt", "1|a"}, {"b/data/secret/s.txt", "2|secret"}, {"b/other/o.txt", "3|other"},
      {"b/real/a.txt", "4|real"}};

  /** A layout: links (at, target, both bucket-relative), and the key that reads through the first. */
  enum Layout {
    FILE_TO_DENIED_SIBLING("data/lnk", new String[][] {{"data/lnk", "data/secret/s.txt"}}),
    FILE_WITHIN_PREFIX("data/lnk", new String[][] {{"data/lnk", "data/a.txt"}}),
    FILE_OUTSIDE_PREFIX("data/lnk", new String[][] {{"data/lnk", "other/o.txt"}}),
    FOLDER("data/ldir/o.txt", new String[][] {{"data/ldir", "other"}}),
    FILE_CHAIN("data/lnk", new String[][] {{"data/lnk", "data/l2"}, {"data/l2", "data/secret/s.txt"}}),
    FOLDER_CHAIN("data/ldir/o.txt", new String[][] {{"data/ldir", "data/l2"}, {"data/l2", "other"}}),
    LINKED_TOP_FOLDER("top/a.txt", new String[][] {{"top", "real"}});

    final String key;
    final String[][] links;

    Layout(String key, String[][] links) {
      this.key = key;
      this.links = links;
    }
  }

  enum Kind { KEY, PREFIX, MANIFEST }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Layout layout : Layout.values()) {
      for (Kind kind : Kind.values()) {
        for (boolean relative : new boolean[] {true, false}) {
          all.add(Arguments.of(layout, kind, relative));
        }
      }
    }
    return all.stream();
  }

  @BeforeEach
  void table() throws SQLException {
    db.sql("CREATE TABLE t (id INT, name VARCHAR(20))");
  }

  private void make(Layout layout, boolean relative) throws Exception {
    for (String[] object : OBJECTS) {
      LocalDb.put(root, object[0], object[1] + "\n");
    }
    Path bucket = root.resolve("b");
    for (String[] link : layout.links) {
      Path at = bucket.resolve(link[0]);
      Files.createDirectories(at.getParent());
      Path target = bucket.resolve(link[1]);
      Files.createSymbolicLink(at, relative ? at.getParent().relativize(target) : target);
    }
  }

  /** The source the COPY names: the key through the link, the prefix holding it, or a manifest listing the key. */
  private String source(Layout layout, Kind kind) throws Exception {
    return switch (kind) {
      case KEY -> "'s3://b/" + layout.key + "'";
      case PREFIX -> "'s3://b/" + layout.key.substring(0, layout.key.indexOf('/') + 1) + "'";
      case MANIFEST -> {
        LocalDb.put(root, "b/m/manifest", "{\"entries\": [{\"url\": \"s3://b/" + layout.key + "\", \"mandatory\": true}]}");
        yield "'s3://b/m/manifest' MANIFEST";
      }
    };
  }

  @ParameterizedTest(name = "{0} {1} relative={2}")
  @MethodSource("cases")
  void nothingBehindALinkIsLoaded(Layout layout, Kind kind, boolean relative) throws Exception {
    make(layout, relative);
    String checked = kind == Kind.PREFIX ? layout.key.substring(0, layout.key.indexOf('/') + 1) : layout.key;
    String sql = "COPY t FROM " + source(layout, kind) + ROLE;

    SQLException refused = null;
    try {
      db.run(sql);
    } catch (SQLException e) {
      refused = e;
    }

    // what may be loaded: plain files (no link on the way) whose keys the guard checked
    List<Object> allowed = new ArrayList<>();
    for (String[] object : OBJECTS) {
      if (object[0].startsWith("b/" + checked) && !Files.isSymbolicLink(root.resolve(object[0]).getParent())) {
        allowed.add(Integer.parseInt(object[1].substring(0, 1)));
      }
    }
    assertThat(db.rows("SELECT id FROM t")).allSatisfy(row -> assertThat(allowed).contains(row.get(0)));
    if (kind != Kind.PREFIX || layout.key.indexOf('/') == layout.key.lastIndexOf('/')) {
      // the key itself, or a prefix listing a file link: refused, naming the key, never the link's target
      assertThat((Throwable) refused).isNotNull();
      assertThat(refused.getSQLState()).isEqualTo("58030");
      assertThat(refused.getMessage()).contains("symbolic link").contains("s3://b/");
      for (String[] link : layout.links) {
        assertThat(refused.getMessage()).doesNotContain(root.resolve("b").resolve(link[1]).toString());
      }
      assertThat(db.count("t")).isZero();
    }
  }

  @ParameterizedTest(name = "{0} {1} relative={2}")
  @MethodSource("cases")
  void aPlainKeyBesideTheLinksStillLoadsOnlyItself(Layout layout, Kind kind, boolean relative) throws Exception {
    make(layout, relative);
    String key = kind == Kind.MANIFEST ? "data/a.txt" : "data/a";
    if (kind == Kind.MANIFEST) {
      LocalDb.put(root, "b/m/manifest", "{\"entries\": [{\"url\": \"s3://b/" + key + "\", \"mandatory\": true}]}");
    }
    String from = kind == Kind.MANIFEST ? "'s3://b/m/manifest' MANIFEST" : "'s3://b/" + key + "'";

    db.run("COPY t FROM " + from + ROLE);

    assertThat(db.rows("SELECT id FROM t")).containsExactly(List.of(1));
  }
}
