package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any text made of the characters that need escaping or quoting survives UNLOAD then COPY, in
 * delimited text with ESCAPE, with ADDQUOTES and REMOVEQUOTES, and in CSV. The null marker uses a
 * character the strings never hold, since a value equal to the marker reads back as NULL.
 */
class EscapingRoundTripTest {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static Path root;
  private static LocalDb db;

  @BeforeContainer
  static void open() throws Exception {
    root = Files.createTempDirectory("iamguard-local-s3-");
    db = new LocalDb(root);
    db.sql("CREATE TABLE src (id INTEGER, s VARCHAR(200))");
    db.sql("CREATE TABLE dst (id INTEGER, s VARCHAR(200))");
  }

  @AfterContainer
  static void close() throws Exception {
    db.close();
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 150)
  void textSurvivesEveryForm(
      @ForAll @Size(max = 12) @UniqueElements List<@StringLength(max = 20) @AlphaChars @NumericChars
          @Chars({'|', ',', '"', '\'', '\\', '\n', '\r', '\t', ' ', 'N', 'ü', '東', '%'}) String> values)
      throws Exception {
    db.sql("DELETE FROM src");
    try (PreparedStatement insert = db.connection.prepareStatement("INSERT INTO src VALUES (?, ?)")) {
      for (int i = 0; i < values.size(); i++) {
        insert.setInt(1, i);
        insert.setString(2, values.get(i));
        insert.executeUpdate();
      }
      insert.setInt(1, values.size());
      insert.setString(2, null);
      insert.executeUpdate();
    }
    List<List<Object>> expected = db.rows("SELECT * FROM src ORDER BY id");
    String[][] forms = {
        {"ESCAPE NULL AS '∅'", "ESCAPE NULL AS '∅'"},
        {"ADDQUOTES ESCAPE NULL AS '∅' DELIMITER ','", "REMOVEQUOTES ESCAPE NULL AS '∅' DELIMITER ','"},
        {"CSV NULL AS '∅'", "CSV NULL AS '∅'"},
        {"CSV DELIMITER '\\t' GZIP NULL AS '∅'", "CSV DELIMITER '\\t' GZIP NULL AS '∅'"},
    };
    List<String> failures = new ArrayList<>();
    for (String[] form : forms) {
      db.sql("DELETE FROM dst");
      db.run("UNLOAD ('select * from src') TO 's3://b/prop/src_'" + ROLE + " ALLOWOVERWRITE PARALLEL OFF " + form[0]);
      db.run("COPY dst FROM 's3://b/prop/src_'" + ROLE + " " + form[1]);
      if (!db.rows("SELECT * FROM dst ORDER BY id").equals(expected)) {
        failures.add(form[0]);
      }
      try (var files = Files.list(root.resolve("b/prop"))) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
