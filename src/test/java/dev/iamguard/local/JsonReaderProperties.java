package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The JSON reader streams (issue 17): it reads a buffer at a time and keeps one object, where it
 * read the whole file into one String. On any text within Redshift's 4 MB object limit it gives the
 * records the whole-file reader gave: the same lines, fields, load errors and quoted texts, however
 * the file is cut into reads (buffers of one char up, reads that return a few chars). Objects over
 * the limit are load errors of their own, and reading goes on after them.
 */
class JsonReaderProperties {
  private static final List<TargetColumn> COLUMNS = List.of(column("ID"), column("name"), column("Note"),
      column("nested"));

  private static TargetColumn column(String name) {
    return new TargetColumn(name, Types.VARCHAR, "VARCHAR", 100, 0, true, false);
  }

  @Property(tries = 3000)
  void readsWhatTheWholeFileReaderRead(@ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 48) int bufferSize,
      @ForAll @IntRange(min = 1, max = 7) int readSize, @ForAll boolean ignoreCase) throws IOException {
    List<List<Object>> streamed = records(new JsonReader(new ShortReads(text, readSize), COLUMNS, ignoreCase, bufferSize));

    assertThat(streamed).isEqualTo(records(new WholeFileJsonReader(new StringReader(text), COLUMNS, ignoreCase)));
    Statistics.label("records").collect(streamed.size() > 3 ? ">3" : streamed.size());
    Statistics.label("load errors").collect(streamed.stream().anyMatch(r -> r.get(2) != null));
  }

  /** Every record as a comparable list: line, fields, load error (code and reason), quoted text. */
  static List<List<Object>> records(RecordReader reader) throws IOException {
    List<List<Object>> records = new ArrayList<>();
    try (reader) {
      for (RecordReader.Record r = reader.next(); r != null; r = reader.next()) {
        records.add(Arrays.asList(r.line(), r.fields() == null ? null : Arrays.asList(r.fields()),
            r.problem() == null ? null : r.problem().code() + " " + r.problem().reason(), r.text()));
      }
    }
    return records;
  }

  @Provide
  Arbitrary<String> texts() {
    // broken objects are rarer: an unterminated one takes in all that follows it
    Arbitrary<String> piece = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, spaces()), net.jqwik.api.Tuple.of(5, objects()),
        net.jqwik.api.Tuple.of(1, broken()), net.jqwik.api.Tuple.of(1, others()));
    return piece.list().ofMaxSize(8).map(pieces -> String.join("", pieces));
  }

  private static Arbitrary<String> spaces() {
    return Arbitraries.of(" ", "\n", "\t", "\r\n", "  \n\n", "\u2003", "");
  }

  private static Arbitrary<String> objects() {
    Arbitrary<String> key = Arbitraries.of("id", "ID", "name", "Name", "note", "Note", "nested", "other", "x{", "a\\\"b");
    Arbitrary<String> value = Arbitraries.lazyOf(JsonReaderProperties::scalars, JsonReaderProperties::scalars,
        () -> objects().map(o -> o.replace("\n", " ")), () -> scalars().list().ofMaxSize(3).map(v -> "[" + String.join(", ", v) + "]"));
    Arbitrary<String> member = net.jqwik.api.Combinators.combine(key, value, Arbitraries.of(":", " : ", ":\n"))
        .as((k, v, colon) -> "\"" + k + "\"" + colon + v);
    return member.list().ofMaxSize(4).map(members -> "{" + String.join(", ", members) + "}");
  }

  private static Arbitrary<String> scalars() {
    return Arbitraries.oneOf(Arbitraries.of("1", "-2.5e3", "null", "true", "false", "\"\"", "\"it's {not} [nested]\"",
            "\"a \\\" quote\"", "\"back\\\\\"", "\"line\\nbreak\"", "\"\\u00e9\"", "\"é😀中\"", "\"null\""),
        Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(120).map(s -> "\"" + s + "\""));
  }

  /** Objects and lines a load error names: unterminated, malformed, nested too deep, closed twice. */
  private static Arbitrary<String> broken() {
    return Arbitraries.of("{", "{\"id\": 1, \"name\": \"abc", "{\"id\": }", "{\"id\" 1}", "{]", "{'a': 1}",
        "{\"id\": 1}}", "{\"a\": \"x\\", "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
        "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", "{\"id\": 1, \"name\": \"" + "y".repeat(100) + "\" \"}",
        "{\"id\": 1,\n \"name\": \"two\nlines\"}", "{\"id\": [1, {\"x\": \"}\"}], \"name\": \"]\"}");
  }

  /** What stands where an object belongs: an array, words, a long line, a lone closing bracket. */
  private static Arbitrary<String> others() {
    return Arbitraries.of("[1, 2]", "abc def", "x".repeat(200), "nul", "}", "\"id\": 1", "z".repeat(79), "w".repeat(81));
  }

  @Test
  void anObjectOfFourMegabytesLoadsAndOneByteMoreIsALoadErrorAfterWhichReadingGoesOn() throws IOException {
    int limit = JsonReader.MAX_OBJECT_BYTES;
    // 12 bytes of ASCII around the value, then two-byte chars: exactly the limit, and one byte over
    String atLimit = "{\"name\":\"a" + "é".repeat((limit - 12) / 2) + "\"}";
    String over = "{\"name\":\"aa" + "é".repeat((limit - 12) / 2) + "\"}";
    String ascii = "{\"name\":\"" + "b".repeat(limit - 11) + "\"}"; // 4 MB of code points: over the engine's default 3 MB
    String text = atLimit + "\n" + over + "\n" + ascii + "\n{\"id\": 7}\n";

    List<List<Object>> records = records(new JsonReader(new StringReader(text), COLUMNS, false));

    assertThat(records).hasSize(4);
    assertThat(records.get(0).get(2)).isNull();
    assertThat((List<?>) records.get(0).get(1)).element(1).isEqualTo("a" + "é".repeat((limit - 12) / 2));
    assertThat(records.get(1)).containsExactly(2L, null, "1216 JSON object larger than 4 MB (4194304 bytes of UTF-8),"
        + " the most Redshift reads", over.substring(0, 80));
    assertThat(records.get(2).get(2)).isNull();
    assertThat((List<?>) records.get(2).get(1)).element(1).isEqualTo("b".repeat(limit - 11));
    assertThat(records.get(3)).containsExactly(4L, Arrays.asList("7", null, null, null), null, null);
  }

  @Test
  void aLineThatIsNoObjectIsSkippedWhateverItsLength() throws IOException {
    String text = "x".repeat(5_000_000) + "\n{\"id\": 1}";

    List<List<Object>> records = records(new JsonReader(new StringReader(text), COLUMNS, false, 64));

    assertThat(records).containsExactly(Arrays.asList(1L, null, "1216 expected a JSON object", "x".repeat(80)),
        Arrays.asList(2L, Arrays.asList("1", null, null, null), null, null));
  }

  /** A reader that hands out at most {@code most} chars a read, as a decoder or a slow stream may. */
  private static final class ShortReads extends Reader {
    private final String text;
    private final int most;
    private int at;

    ShortReads(String text, int most) {
      this.text = text;
      this.most = most;
    }

    @Override
    public int read(char[] into, int offset, int length) {
      if (at == text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(length, most), text.length() - at);
      text.getChars(at, at + n, into, offset);
      at += n;
      return n;
    }

    @Override
    public void close() {
      // nothing to release
    }
  }
}
