package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A byte order mark at the start of a UTF-16 file is not data: "If you know whether your UTF-16 data
 * is little-endian (LE) or big-endian (BE), you can use UTF16LE or UTF16BE, regardless of the presence
 * of a BOM" (COPY, ENCODING). Each file loads, with and without the mark, the same rows as its UTF-8
 * text; before, the mark stayed in the first field with UTF16LE and UTF16BE: the row was refused for a
 * number, and a text column loaded U+FEFF in front of its value. Found by DelimitedAgainstPostgresTest.
 * And UTF16 without the mark, which Redshift requires, is refused.
 */
class Utf16ByteOrderMarkTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final byte[] BIG_ENDIAN_MARK = {(byte) 0xFE, (byte) 0xFF};
  private static final byte[] LITTLE_ENDIAN_MARK = {(byte) 0xFF, (byte) 0xFE};

  static Stream<Arguments> files() {
    List<String[]> formats = List.of(
        new String[] {"text", "", "1|a\n2|b\n"},
        new String[] {"text, text first", "", "x|1\ny|2\n"},
        new String[] {"CSV", " CSV", "1,a\n2,\"b,c\"\n"},
        new String[] {"CSV, quoted text first", " CSV", "\"x\",1\ny,2\n"},
        new String[] {"JSON", " FORMAT AS JSON 'auto'", "{\"n\": 1, \"s\": \"a\"}\n{\"n\": 2, \"s\": \"b\"}\n"},
        new String[] {"text with ESCAPE, escaped first", " ESCAPE", "\\x|1\ny|2\n"});
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String[] format : formats) {
      boolean textFirst = format[0].contains("first");
      for (String encoding : List.of("UTF16LE", "UTF16BE")) {
        for (boolean gzip : new boolean[] {false, true}) {
          cases.add(Arguments.of(format[0], format[1], format[2], textFirst, encoding, gzip));
        }
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} {4} gzip={5}")
  @MethodSource("files")
  void theMarkIsNotData(String format, String options, String text, boolean textFirst, String encoding, boolean gzip)
      throws Exception {
    db.sql(textFirst ? "CREATE TABLE t (s VARCHAR(10), n INTEGER)" : "CREATE TABLE t (n INTEGER, s VARCHAR(10))");
    Charset charset = encoding.equals("UTF16LE") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
    byte[] mark = encoding.equals("UTF16LE") ? LITTLE_ENDIAN_MARK : BIG_ENDIAN_MARK;
    String gz = gzip ? " GZIP" : "";

    put("b/plain", text.getBytes(StandardCharsets.UTF_8), false);
    db.run("COPY t FROM 's3://b/plain'" + ROLE + options);
    List<List<Object>> expected = db.rows("SELECT * FROM t ORDER BY n");
    assertThat(expected).hasSize(2);

    for (boolean withMark : new boolean[] {false, true}) {
      db.sql("DELETE FROM t");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      if (withMark) {
        bytes.write(mark);
      }
      bytes.write(text.getBytes(charset));
      put("b/u16", bytes.toByteArray(), gzip);
      db.run("COPY t FROM 's3://b/u16'" + ROLE + options + " ENCODING " + encoding + gz);
      assertThat(db.rows("SELECT * FROM t ORDER BY n")).as("%s %s with mark %s", format, encoding, withMark)
          .isEqualTo(expected);
    }
  }

  /**
   * "If you specify UTF16, then your data must have a byte order mark (BOM)": a file without one is
   * refused, as Redshift does, rather than read as big-endian (Java's default), which turned
   * little-endian text into other characters; an empty file holds no data to mark.
   */
  @ParameterizedTest(name = "{0} {4} gzip={5}")
  @MethodSource("files")
  void utf16WithoutTheMarkIsRefused(String format, String options, String text, boolean textFirst, String byteOrder,
      boolean gzip) throws Exception {
    db.sql(textFirst ? "CREATE TABLE t (s VARCHAR(10), n INTEGER)" : "CREATE TABLE t (n INTEGER, s VARCHAR(10))");
    Charset charset = byteOrder.equals("UTF16LE") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
    String gz = gzip ? " GZIP" : "";

    put("b/u16", text.getBytes(charset), gzip);
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/u16'" + ROLE + options + " ENCODING UTF16" + gz))
        .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("byte order mark");
    assertThat(db.count("t")).isZero();

    put("b/empty", new byte[0], gzip);
    db.run("COPY t FROM 's3://b/empty'" + ROLE + options + " ENCODING UTF16" + gz);
    assertThat(db.count("t")).isZero();
  }

  private void put(String key, byte[] bytes, boolean gzip) throws Exception {
    Path file = root.resolve(key);
    Files.createDirectories(file.getParent());
    if (gzip) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(zipped)) {
        out.write(bytes);
      }
      bytes = zipped.toByteArray();
    }
    Files.write(file, bytes);
  }
}
