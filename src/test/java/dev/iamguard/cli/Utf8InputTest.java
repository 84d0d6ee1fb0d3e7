package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts are read as UTF-8 and bytes that are not UTF-8 are refused with the line and column of
 * the first of them (probe 24a F6: "not valid UTF-8 text" named no place). Classes of input: text
 * of 1- to 4-byte chars and line ends of both kinds, every kind of byte sequence UTF-8 refuses,
 * placed anywhere (across the reader's buffer boundaries too, with buffers of a few bytes), read in
 * slices of any length and from a stream that hands out a few bytes at a time and may fail to say
 * how many more it holds (a named pipe: PathKindsTest), each slice read into an array or handed out as a
 * String (runs of ASCII copied at once, lines counted eight bytes at a time). The expected place
 * is worked out from the bytes before the bad one, decoded by the JDK.
 */
class Utf8InputTest {
  private static final String[] PIECES = {"select", " ", "1", ";", "\n", "\r\n", "é", "ü", "€", "中", "😀", "'x'",
      "-- c\n", "\t", "ß", "𝄞", "a"};
  /** What UTF-8 refuses: a lone continuation, a lead byte never used, a cut sequence, an overlong form, a surrogate, past U+10FFFF. */
  private static final byte[][] BAD = {{(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1},
      {(byte) 0xF5}, {(byte) 0xFF}, {(byte) 0xE9, 'x'}, {(byte) 0xE2, (byte) 0x82, 'x'}, {(byte) 0xF0, (byte) 0x9F, 'x'},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE9}};

  @TempDir
  Path dir;

  @Test
  void validTextReadsAsTheJdkDecodesIt() throws IOException {
    Random random = new Random(251);
    for (int n = 0; n < 500; n++) {
      String text = text(random, random.nextInt(200));
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(readAll(bytes, random)).as(text).isEqualTo(text);
    }
  }

  @Test
  void theFirstBadByteIsNamedWithItsLineAndColumn() {
    Random random = new Random(252);
    for (int n = 0; n < 2000; n++) {
      String before = text(random, random.nextInt(120));
      if (n % 5 == 0) {
        before = "\uFEFF" + before; // a byte order mark is no column (ByteOrderMarkTest)
      }
      byte[] bad = BAD[random.nextInt(BAD.length)];
      byte[] head = before.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(head);
      all.writeBytes(bad);
      all.writeBytes(text(random, random.nextInt(40)).getBytes(StandardCharsets.UTF_8));
      String shown = before.startsWith("\uFEFF") ? before.substring(1) : before;
      int line = 1 + (int) shown.chars().filter(c -> c == '\n').count();
      int column = 1 + shown.length() - (shown.lastIndexOf('\n') + 1);
      String expected = String.format("the byte 0x%02X at line %d, column %d is not UTF-8", bad[0] & 0xFF, line, column);
      byte[] bytes = all.toByteArray();
      assertThatThrownBy(() -> readAll(bytes, random)).as(before).isInstanceOf(Utf8Input.NotUtf8.class)
          .hasMessageContaining(expected);
    }
  }

  @Test
  void utf16IsNamedAsSuch() {
    for (java.nio.charset.Charset utf16 : new java.nio.charset.Charset[] {StandardCharsets.UTF_16BE,
        StandardCharsets.UTF_16LE}) {
      byte[] bytes = "\uFEFFselect 1;\n".getBytes(utf16);
      for (int seed = 0; seed < 50; seed++) { // a pipe may hand out the first byte alone
        Random random = new Random(seed);
        assertThatThrownBy(() -> readAll(bytes, random)).as(utf16.name() + " " + seed)
            .hasMessageContaining("it is UTF-16 text");
      }
    }
  }

  /** The command line names the place in every format, with exit 2 (standard input reads through the same reader). */
  @Test
  void theCommandLineNamesThePlace() throws IOException {
    byte[] latin1 = "select 1;\nselect 2;\ncopy t from 's3://b/café' iam_role default;\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    Path file = dir.resolve("latin1.sql");
    Files.write(file, latin1);
    String place = "not valid UTF-8 text: the byte 0xE9 at line 3, column 24 is not UTF-8";
    for (String format : new String[] {"text", "json", "sarif"}) {
      CliRun run = CliRun.of("check", "--registry", RewriteCommandTest.REGISTRY, "--user", "user1", "--format", format,
          file.toString());
      assertThat(run.code()).as(format).isEqualTo(2);
      assertThat(run.err()).as(format).contains(file + ": " + place).doesNotContain("\tat ");
    }
    CliRun explained = CliRun.of("explain", "--format", "json", file.toString());
    assertThat(explained.code()).isEqualTo(2);
    assertThat(explained.out()).contains(place);
  }

  private static String text(Random random, int pieces) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  /**
   * Reads through a reader with a small buffer, from a stream handing out a few bytes a call, in random
   * slices, each into an array or as a String.
   */
  private static String readAll(byte[] bytes, Random random) throws IOException {
    boolean whole = random.nextBoolean();
    InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        // a few bytes a call, or as many as asked (runs of eight ASCII bytes and more are copied at once)
        return super.read(b, off, whole ? len : Math.min(len, 1 + random.nextInt(7)));
      }

      /** As a pipe's stream may: say nothing, tell, or throw (a named pipe's channel cannot seek). */
      @Override
      public int available() throws IOException {
        return switch (random.nextInt(3)) {
          case 0 -> 0;
          case 1 -> super.available();
          default -> throw new IOException("Illegal seek");
        };
      }
    };
    StringBuilder out = new StringBuilder();
    try (Utf8Input reader = new Utf8Input(trickle, 16 + random.nextInt(3) * 7)) {
      char[] slice = new char[64];
      while (true) { // chars into an array and Strings handed out (the script reader's way), in turn at random
        int max = 1 + random.nextInt(slice.length);
        if (random.nextBoolean()) {
          String read = reader.readString(max);
          if (read == null) {
            break;
          }
          assertThat(read.length()).isBetween(1, max);
          out.append(read);
        } else {
          int read = reader.read(slice, 0, max);
          if (read < 0) {
            break;
          }
          out.append(slice, 0, read);
        }
      }
    }
    return out.toString();
  }
}
