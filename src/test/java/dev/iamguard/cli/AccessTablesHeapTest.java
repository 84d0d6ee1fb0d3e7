package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code access} and {@code registry diff} hold one principal's entries at a time, not
 * the access tables. {@code access} of 2,000 users of a role of 2,000 prefixes held its 4 million
 * entries and then their text (4 GB).
 * Two registries whose 2,000 users each reach 2,000 prefixes took 4.1 GB (and 29.5 s) to print
 * "0 gained, 0 lost"; an entry covers only entries of its own cluster and principal, so the tables
 * are compared principal by principal (271 MB in a 256 MB heap, 15.7 s).
 */
class AccessTablesHeapTest {
  private static final int USERS = 800;
  private static final int PREFIXES = 800;

  @TempDir
  Path dir;

  /**
   * 800 users of a role of 800 prefixes: 640,000 entries in each table, run in a 96 MB heap (the
   * tables held whole need several times that). The new registry drops one prefix, which each of
   * the 800 users loses, and nothing else changes.
   */
  @Test
  void twoLargeTablesAreComparedInASmallHeap() throws Exception {
    Path before = Files.writeString(dir.resolve("before.yaml"), registry(0));
    Path after = Files.writeString(dir.resolve("after.yaml"), registry(1));
    Path out = dir.resolve("diff.out");

    ScaleLimitsTest.Exit exit = ScaleLimitsTest.cli(out, "96m", "registry", "diff", before.toString(), after.toString());

    assertThat(exit.err()).doesNotContain("out of memory", "\tat ");
    assertThat(exit.code()).as(exit.err()).isZero(); // a loss only: no gain, no widened setting
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).last().asString().isEqualTo("0 gained, " + USERS + " lost");
    List<String> lost = lines.stream().filter(l -> l.contains("s3://lake/k0/")).toList();
    assertThat(lost).hasSize(USERS);
    assertThat(lost).allSatisfy(l -> assertThat(l).contains("COPY"));
    assertThat(lines).noneMatch(l -> l.contains("s3://lake/k1/"));
  }

  /**
   * The same table written whole, as text, JSON and an HTML page (tens of MB each), in a 96 MB
   * heap: the entries, their lines, the JSON and the page were each held whole before.
   */
  @Test
  void aLargeTableIsWrittenInASmallHeap() throws Exception {
    Path registry = Files.writeString(dir.resolve("registry.yaml"), registry(0));
    for (String format : List.of("text", "json", "html")) {
      Path out = dir.resolve("access." + format);

      ScaleLimitsTest.Exit exit = ScaleLimitsTest.cli(out, "96m", "access", "--registry", registry.toString(),
          "--format", format);

      assertThat(exit.err()).as(format).doesNotContain("out of memory", "\tat ");
      assertThat(exit.code()).as(exit.err()).isZero();
      long entries = USERS * (long) PREFIXES;
      if (format.equals("text")) {
        try (java.util.stream.Stream<String> lines = Files.lines(out)) {
          assertThat(lines.filter(l -> l.startsWith("c1 | u")).count()).isEqualTo(entries);
        }
        // the principals: the 800 users and any other user, whom the role does not trust
        assertThat(tail(out)).endsWith("\n" + entries + " grants of access; " + USERS + " usable roles and chains for "
            + (USERS + 1) + " users, groups and roles\n");
      } else if (format.equals("json")) {
        assertThat(tail(out)).endsWith("\"summary\":{\"entries\":" + entries + ",\"paths\":" + USERS + "}}\n");
      } else {
        assertHtmlPage(out, entries);
      }
    }
  }

  /**
   * The page: the count above the graph, a box for the cluster, the role and each of the 800
   * prefixes (their graph is known before the table's first row is written), a row per entry, and
   * the page closed after the last row.
   */
  private static void assertHtmlPage(Path out, long entries) throws java.io.IOException {
    long rows;
    long prefixBoxes;
    long roleBoxes;
    try (java.util.stream.Stream<String> lines = Files.lines(out)) {
      long[] counts = new long[3];
      lines.forEach(l -> {
        counts[0] += l.startsWith("<tr><td>c1</td><td>u") ? 1 : 0;
        counts[1] += l.contains("<rect class=\"s3_read\"") ? 1 : 0;
        counts[2] += l.contains("<rect class=\"role\"") ? 1 : 0;
      });
      rows = counts[0];
      prefixBoxes = counts[1];
      roleBoxes = counts[2];
    }
    assertThat(rows).isEqualTo(entries);
    assertThat(prefixBoxes).isEqualTo(PREFIXES);
    assertThat(roleBoxes).isOne();
    try (java.io.BufferedReader in = Files.newBufferedReader(out)) {
      String head = in.lines().limit(40).collect(java.util.stream.Collectors.joining("\n"));
      assertThat(head).contains("<p class=\"sub\">" + entries + " grants of access for " + (USERS + 1)
          + " users, groups and roles;");
    }
    assertThat(tail(out)).endsWith("</td></tr>\n</tbody></table>\n</body></html>\n");
  }

  /** The last 300 bytes of {@code file}, which is too large to read whole here. */
  private static String tail(Path file) throws java.io.IOException {
    try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
      byte[] end = new byte[(int) Math.min(300, in.length())];
      in.seek(in.length() - end.length);
      in.readFully(end);
      return new String(end, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The role trusts users u0..u799 of cluster c1 and reads prefixes k{from}..k799 of bucket lake. */
  private static String registry(int from) {
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < USERS; i++) {
      users.append(i == 0 ? "" : ", ").append("\"arn:aws:redshift:us-east-1:123456789012:dbuser:c1/u").append(i)
          .append('"');
    }
    StringBuilder prefixes = new StringBuilder();
    for (int i = from; i < PREFIXES; i++) {
      prefixes.append(i == from ? "" : ", ").append("\"s3://lake/k").append(i).append("/\"");
    }
    return "version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n    region: us-east-1\n"
        + "    attached_roles: [arn:aws:iam::123456789012:role/R]\nroles:\n"
        + "  - arn: arn:aws:iam::123456789012:role/R\n    trust:\n      regions: [us-east-1]\n"
        + "      db_users: [" + users + "]\n    allow:\n      s3_read: [" + prefixes + "]\n";
  }
}
