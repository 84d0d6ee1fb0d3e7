package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JSON record with a char outside the BMP (an emoji) wherever it stands, around the 1,024 chars of
 * the YAML library's buffer above all: the library read the second half of the pair past the end of
 * its buffer, so an emoji at char 1,024 of a record threw IndexOutOfBoundsException out of an
 * emulated COPY (ShortReadReader). Each record loads, its field the text written.
 */
class JsonAstralCharTest {
  private static final List<TargetColumn> COLUMNS =
      List.of(new TargetColumn("note", Types.VARCHAR, "VARCHAR", 65535, 0, true, false));

  @Test
  void aRecordLoadsWhereverItsCharOutsideTheBmpStands() throws Exception {
    for (String astral : new String[] {"\uD83D\uDE00", "\uD834\uDD1E", "\uD840\uDC00"}) {
      for (int pad = 960; pad < 1100; pad++) {
        String note = "a".repeat(pad) + astral + "b" + astral.repeat(pad % 3);
        String record = "{\"note\": \"" + note + "\"}\n";
        List<List<Object>> records = JsonReaderProperties.records(new JsonReader(new StringReader(record), COLUMNS, false));
        assertThat(records).as("pad " + pad).hasSize(1);
        assertThat(records.get(0).get(2)).as("load error, pad " + pad).isNull();
        assertThat(records.get(0).get(1)).as("pad " + pad).isEqualTo(List.of(note));
      }
    }
  }
}
