package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A manifest entry's {@code mandatory} is a JSON boolean (the COPY reference: "mandatory ... boolean;
 * if true, COPY terminates if it doesn't find the file"). Any other value, such as the string
 * {@code "true"} a templating tool writes, was read as false: the missing file the script called
 * mandatory was skipped and the COPY succeeded with part of the data. Every non-boolean value now
 * fails the COPY naming the entry, present file or not, and loads nothing; true, false and no
 * mandatory at all keep their meaning.
 */
class ManifestMandatoryTypeTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final List<String> NOT_BOOLEAN = List.of("\"true\"", "\"false\"", "\"TRUE\"", "\"yes\"", "\"\"", "1",
      "0", "1.0", "null", "[]", "[true]", "{}", "{\"value\": true}");

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (a INTEGER)");
    db.sql("INSERT INTO t VALUES (0)");
    LocalDb.put(root, "b/data/one", "1\n");
    LocalDb.put(root, "b/data/two", "2\n");
  }

  private void manifest(String entry) throws Exception {
    LocalDb.put(root, "b/m/manifest", "{\"entries\": [{\"url\": \"s3://b/data/one\"}, " + entry + "]}");
  }

  private LocalResult copy() throws SQLException {
    return db.run("COPY t FROM 's3://b/m/manifest'" + ROLE + " MANIFEST");
  }

  @Test
  void aMandatoryThatIsNoBooleanFailsTheCopyWhetherTheFileIsThereOrNot() throws Exception {
    for (String value : NOT_BOOLEAN) {
      for (String key : List.of("two", "missing")) {
        String entry = "{\"url\": \"s3://b/data/" + key + "\", \"mandatory\": " + value + "}";
        manifest(entry);
        assertThatThrownBy(this::copy).as(entry).isInstanceOf(SQLException.class)
            .hasMessageContaining("\"mandatory\" of s3://b/data/" + key)
            .hasMessageContaining("JSON boolean");
        assertThat(db.rows("SELECT a FROM t")).as(entry).containsExactly(List.of(0));
      }
    }
  }

  @Test
  void trueFalseAndAbsentKeepTheirMeaning() throws Exception {
    manifest("{\"url\": \"s3://b/data/missing\", \"mandatory\": true}");
    assertThatThrownBy(this::copy).hasMessageContaining("lists mandatory file s3://b/data/missing");
    for (String entry : List.of("{\"url\": \"s3://b/data/missing\", \"mandatory\": false}",
        "{\"url\": \"s3://b/data/missing\"}")) {
      db.sql("DELETE FROM t");
      manifest(entry);
      assertThat(copy().rows()).as(entry).isEqualTo(1);
      assertThat(db.rows("SELECT a FROM t")).containsExactly(List.of(1));
    }
    for (String flag : List.of(", \"mandatory\": true", ", \"mandatory\": false", "")) {
      db.sql("DELETE FROM t");
      manifest("{\"url\": \"s3://b/data/two\"" + flag + "}");
      assertThat(copy().rows()).as(flag).isEqualTo(2);
      assertThat(db.rows("SELECT a FROM t ORDER BY a")).containsExactly(List.of(1), List.of(2));
    }
  }
}
