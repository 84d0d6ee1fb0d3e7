package dev.iamguard.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the small TICKIT data files under {@code samples/tickit/local-s3}: a few rows per table,
 * in the formats the COPY commands of {@code ../shared/corpus/tickit/tickit.sql} read (pipe- and
 * tab-delimited, the booleans, dates and time formats of the public sample files), at the keys
 * those commands name. The rows refer to each other (sales to listings, events, dates and users)
 * so that the Getting Started queries return something. {@code TickitSamplesTest} keeps the
 * committed files equal to these; to change them, edit here, then run
 * {@code mvn -q test-compile && java -cp target/test-classes dev.iamguard.samples.TickitSamples}.
 */
public final class TickitSamples {
  /** The bucket and folder the Getting Started COPY commands read from. */
  public static final String PREFIX = "redshift-downloads/tickit/";

  private TickitSamples() {}

  /** Each file's key under {@link #PREFIX} and its content. */
  public static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("allusers_pipe.txt", lines(18, '|', List.of(
        "1|JSG99FHE|Rafael|Taylor|Kent|WA|Etiam.laoreet.libero@sodalesMaurisblandit.edu|(664) 602-4412|TRUE|FALSE"
            + "||||||TRUE|FALSE|TRUE",
        "2|PGL08LJI|Vladimir|Humphrey|Murfreesboro|SK|Suspendisse.tristique@nonnisiAenean.edu|(783) 492-1886||||TRUE"
            + "|TRUE|||||TRUE",
        "3|IFT66TXU|Lars|Ratliff|High Point|ME|amet.faucibus.ut@condimentumegetvolutpat.ca|(624) 767-2465|TRUE|FALSE"
            + "|||||TRUE|FALSE|TRUE|",
        "4|XDZ38RDD|Barry|Roy|Omaha|AB|sed@lacusUtnec.ca|(355) 452-8168|FALSE||TRUE|||TRUE|||TRUE|FALSE")));
    files.put("venue_pipe.txt", lines(5, '|', List.of(
        "1|Toyota Park|Bridgeview|IL|0",
        "2|Columbus Crew Stadium|Columbus|OH|0",
        "3|RFK Stadium|Washington|DC|0",
        "4|CommunityAmerica Ballpark|Kansas City|KS|0",
        "5|Gillette Stadium|Foxborough|MA|68756")));
    files.put("category_pipe.txt", lines(4, '|', List.of(
        "1|Sports|MLB|Major League Baseball",
        "2|Sports|NHL|National Hockey League",
        "6|Shows|Musicals|Musical theatre",
        "9|Concerts|Pop|All rock and pop music concerts")));
    files.put("date2008_pipe.txt", lines(8, '|', List.of(
        "1827|2008-01-01|WE|1|JAN|1|2008|true",
        "1850|2008-01-24|TH|4|JAN|1|2008|false",
        "1851|2008-01-25|FR|4|JAN|1|2008|false",
        "1875|2008-02-18|MO|8|FEB|1|2008|true")));
    files.put("allevents_pipe.txt", lines(6, '|', List.of(
        "1|5|9|1851|Gotterdammerung|2008-01-25 14:30:00",
        "2|1|6|1850|The Phantom of the Opera|2008-01-24 19:00:00",
        "3|3|1|1875|Nationals vs. Braves|2008-02-18 13:05:00")));
    files.put("listings_pipe.txt", lines(8, '|', List.of(
        "1|3|1|1850|10|728.00|7280.00|2008-01-24 06:43:29",
        "2|4|2|1850|4|76.00|304.00|2008-01-24 07:14:03",
        "3|2|3|1851|2|175.50|351.00|2008-01-25 02:51:59")));
    files.put("sales_tab.txt", lines(10, '\t', List.of(
        "1\t1\t3\t1\t1\t1875\t4\t728.00\t109.20\t2/18/2008 02:36:48",
        "2\t2\t4\t3\t2\t1850\t2\t76.00\t11.40\t01/24/2008 09:17:33",
        "3\t3\t2\t4\t3\t1851\t1\t175.50\t26.33\t1/25/2008 11:02:07")));
    return files;
  }

  /** The rows of each table once every COPY of tickit.sql has run. */
  public static Map<String, Integer> rowCounts() {
    return Map.of("users", 4, "venue", 5, "category", 4, "date", 4, "event", 3, "listing", 3, "sales", 3);
  }

  private static String lines(int columns, char delimiter, List<String> rows) {
    for (String row : rows) {
      int fields = row.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1).length;
      if (fields != columns) {
        throw new IllegalArgumentException(fields + " fields for " + columns + " columns: " + row);
      }
    }
    return String.join("\n", rows) + "\n";
  }

  /** Writes the files under {@code root/redshift-downloads/tickit/}. */
  public static void write(Path root) throws IOException {
    for (Map.Entry<String, String> file : files().entrySet()) {
      Path path = root.resolve(PREFIX + file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** Regenerates {@code samples/tickit/local-s3} (run from the project root). */
  public static void main(String[] args) throws IOException {
    write(Path.of(args.length > 0 ? args[0] : "samples/tickit/local-s3"));
  }
}
