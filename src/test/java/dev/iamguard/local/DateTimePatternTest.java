package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redshift DATEFORMAT / TIMEFORMAT strings, as the reference's examples use them. */
class DateTimePatternTest {
  @ParameterizedTest(name = "''{0}'' reads ''{1}''")
  @CsvSource(delimiter = ';', value = {
      "MM/DD/YYYY; 03/31/2003; 2003-03-31T00:00",
      "MON DD, YYYY; March 31, 2003; 2003-03-31T00:00",
      "MON-DD-YYYY; Jan-01-1999; 1999-01-01T00:00",
      "MM.DD.YYYY HH:MI:SS; 03.31.2003 18:45:05; 2003-03-31T18:45:05",
      "MM.DD.YYYY HH:MI:SS; 03.31.2003 18:45:05.123456; 2003-03-31T18:45:05.123456",
      "YYYYMMDD HH24MISS; 19960108 040809; 1996-01-08T04:08:09",
      "DD-MON-YY; 05-feb-99; 1999-02-05T00:00",
      "DD-MON-YY; 05-FEB-05; 2005-02-05T00:00",
      "YYYY-MM-DD HH12:MI:SS AM; 2003-03-31 12:15:00 AM; 2003-03-31T00:15",
      "YYYY-MM-DD HH12:MI:SS PM; 2003-03-31 01:15:00 PM; 2003-03-31T13:15",
      "YYYY-MM-DD HH:MI:SS.MS; 2003-03-31 01:15:00.250; 2003-03-31T01:15:00.250",
      "YYYY-MM-DD HH:MI:SS.US; 2003-03-31 01:15:00.000250; 2003-03-31T01:15:00.000250",
      "YYYY-MM-DD HH:MI:SS; 2003-03-31; 2003-03-31T00:00",
  })
  void reads(String pattern, String text, String expected) {
    assertThat(DateTimePattern.compile(pattern).parse(text)).isEqualTo(LocalDateTime.parse(expected));
  }

  @ParameterizedTest(name = "''{0}'' refuses ''{1}''")
  @CsvSource(delimiter = ';', value = {
      "MM/DD/YYYY; 2003-03-31",
      "MM/DD/YYYY; 13/01/2003",
      "YYYY-MM-DD; 2003-03-31 10:00:00",
      "MON DD YYYY; Smarch 31 2003",
      "YYYY-MM-DD; 2003-02-30",
  })
  void refuses(String pattern, String text) {
    assertThatThrownBy(() -> DateTimePattern.compile(pattern).parse(text)).isInstanceOf(DateTimeException.class);
  }
}
