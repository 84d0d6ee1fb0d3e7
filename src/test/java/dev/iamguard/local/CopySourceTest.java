package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which objects a COPY reads: S3 key prefixes and manifests. */
class CopySourceTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE venue (venueid INTEGER, venuename VARCHAR(100))");
  }

  @Test
  void prefixMatchesKeysNotFoldersAndReadsThemInKeyOrder() throws Exception {
    LocalDb.put(root, "b/data/venue.txt", "1|from venue.txt\n");
    LocalDb.put(root, "b/data/venue_extra.txt", "2|from venue_extra.txt\n");
    LocalDb.put(root, "b/data/venues/x", "3|from venues/x\n");
    LocalDb.put(root, "b/data/other.txt", "4|from other.txt\n");
    LocalDb.put(root, "b/datavenue.txt", "5|outside the folder\n");

    LocalResult result = db.run("COPY venue FROM 's3://b/data/venue'" + ROLE);

    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.note()).contains("3 record(s) loaded", "from 3 file(s)");
    assertThat(db.rows("SELECT venueid, venuename FROM venue ORDER BY venueid")).containsExactly(
        List.of(1, "from venue.txt"), List.of(2, "from venue_extra.txt"), List.of(3, "from venues/x"));
  }

  @Test
  void folderPrefixReadsEverythingBelowIt() throws Exception {
    LocalDb.put(root, "b/dir/a", "1|a\n");
    LocalDb.put(root, "b/dir/sub/b", "2|b\n");
    LocalDb.put(root, "b/dirx/c", "3|c\n");

    assertThat(db.run("COPY venue FROM 's3://b/dir/'" + ROLE).rows()).isEqualTo(2);
  }

  @Test
  void aPrefixWithoutObjectsFailsLikeRedshift() {
    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/nothing/here'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("The specified S3 prefix 'nothing/here' does not exist")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58030"));
  }

  @Test
  void manifestWrittenByUnloadLoadsBack() throws Exception {
    db.sql("INSERT INTO venue VALUES (1, 'one'), (2, 'two'), (3, NULL)");
    db.run("UNLOAD ('select * from venue') TO 's3://b/unload/venue_'" + ROLE + " MANIFEST NULL AS '\\N'");
    db.sql("CREATE TABLE loadvenue (venueid INTEGER, venuename VARCHAR(100))");

    LocalResult result = db.run("COPY loadvenue FROM 's3://b/unload/venue_manifest'" + ROLE + " MANIFEST");

    assertThat(result.rows()).isEqualTo(3);
    assertThat(db.rows("SELECT * FROM loadvenue ORDER BY venueid"))
        .isEqualTo(db.rows("SELECT * FROM venue ORDER BY venueid"));
  }

  @Test
  void manifestReadsOnlyTheListedFilesAndSkipsMissingOptionalOnes() throws Exception {
    LocalDb.put(root, "alpha/2013-10-04-custdata", "1|alpha\n");
    LocalDb.put(root, "beta/2013-10-05-custdata", "2|beta\n");
    LocalDb.put(root, "alpha/2013-10-04-custdata-not-listed", "9|never\n");
    LocalDb.put(root, "b/cust.manifest", "{\"entries\": ["
        + "{\"url\":\"s3://alpha/2013-10-04-custdata\", \"mandatory\":true},"
        + "{\"url\":\"s3://beta/2013-10-05-custdata\", \"mandatory\":true},"
        + "{\"url\":\"s3://beta/absent\"}]}");

    assertThat(db.run("COPY venue FROM 's3://b/cust.manifest'" + ROLE + " MANIFEST").rows()).isEqualTo(2);
    assertThat(db.rows("SELECT venueid FROM venue ORDER BY 1")).containsExactly(List.of(1), List.of(2));
  }

  /** A manifest longer than the YAML engine's default limit (3 MB of text) is read: 35,000 entries. */
  @Test
  void aManifestOfThirtyFiveThousandEntriesIsRead() throws Exception {
    LocalDb.put(root, "alpha/present", "1|alpha\n");
    StringBuilder manifest = new StringBuilder("{\"entries\": [\n  {\"url\": \"s3://alpha/present\", \"mandatory\": true}");
    for (int i = 0; i < 35_000; i++) {
      manifest.append(",\n  {\"url\": \"s3://alpha/2026/12/01/events/part-").append(i)
          .append("-0f1e2d3c4b5a69788796a5b4c3d2e1f0.csv.gz\", \"mandatory\": false}");
    }
    LocalDb.put(root, "b/long.manifest", manifest.append("\n]}\n").toString());
    assertThat(manifest.length()).isGreaterThan(3 << 20);

    assertThat(db.run("COPY venue FROM 's3://b/long.manifest'" + ROLE + " MANIFEST").rows()).isEqualTo(1);
  }

  @Test
  void aMissingMandatoryManifestEntryFailsAndLoadsNothing() throws Exception {
    LocalDb.put(root, "b/present", "1|here\n");
    LocalDb.put(root, "b/m.json", "{\"entries\": [{\"url\":\"s3://b/present\", \"mandatory\":true},"
        + " {\"url\":\"s3://b/absent\", \"mandatory\":true}]}");

    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/m.json'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("mandatory file s3://b/absent");
    assertThat(db.count("venue")).isZero();
  }

  @Test
  void aMissingManifestFails() {
    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/no.manifest'" + ROLE + " MANIFEST"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("COPY manifest s3://b/no.manifest does not exist");
  }

  @Test
  void keysThatWouldLeaveTheRootAreRefused() {
    assertThatThrownBy(() -> db.run("COPY venue FROM 's3://b/../../etc/passwd'" + ROLE))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("cannot represent");
  }
}
