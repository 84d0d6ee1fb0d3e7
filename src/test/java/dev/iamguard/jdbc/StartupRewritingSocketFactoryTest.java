package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.jdbc.StartupRewritingSocketFactory.StartupRewriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-level rules of the test socket factory; RealRedshiftDriverTest shows it against a server. */
class StartupRewritingSocketFactoryTest {
  private static final String[] REDSHIFT_STARTUP = {
      "user", "postgres", "database", "postgres", "client_encoding", "UTF8", "DateStyle", "ISO",
      "TimeZone", "UTC", "driver_version", "Redshift JDBC Driver 2.2.5", "os_version", "Linux",
      "client_protocol_version", "2", "extra_float_digits", "3", "application_name", "app",
      "driver_discovery_version", "1"};

  @Test
  void keepsOnlyTheParametersPostgresqlKnows() throws IOException {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    try (StartupRewriter rewriter = new StartupRewriter(sent)) {
      rewriter.write(startupMessage(REDSHIFT_STARTUP));
    }
    assertThat(parameters(sent.toByteArray(), 0)).containsExactly("user", "postgres", "database", "postgres",
        "client_encoding", "UTF8", "DateStyle", "ISO", "TimeZone", "UTC", "extra_float_digits", "3",
        "application_name", "app");
  }

  @Test
  void rewritesAStartupMessageWrittenByteByByteAndPassesLaterBytesUntouched() throws IOException {
    byte[] startup = startupMessage(REDSHIFT_STARTUP);
    byte[] later = startupMessage("driver_version", "not a startup packet any more");
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    StartupRewriter rewriter = new StartupRewriter(sent);
    for (byte b : startup) {
      rewriter.write(b);
    }
    int rewritten = sent.size();
    assertThat(rewritten).isLessThan(startup.length);
    rewriter.write(later);
    byte[] all = sent.toByteArray();
    assertThat(Arrays.copyOfRange(all, rewritten, all.length)).isEqualTo(later);
  }

  @Test
  void passesAnSslRequestThroughAndRewritesTheStartupMessageAfterIt() throws IOException {
    byte[] sslRequest = request(StartupRewriter.SSL_REQUEST);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    StartupRewriter rewriter = new StartupRewriter(sent);
    rewriter.write(sslRequest);
    assertThat(sent.toByteArray()).as("the SSLRequest goes out at once: the driver waits for S or N")
        .isEqualTo(sslRequest);
    rewriter.write(startupMessage(REDSHIFT_STARTUP)); // the server said N
    assertThat(parameters(sent.toByteArray(), 8)).doesNotContain("driver_version", "os_version")
        .contains("user", "database");
  }

  @Test
  void refusesToSendTlsItCannotRewrite() throws IOException {
    StartupRewriter rewriter = new StartupRewriter(new ByteArrayOutputStream());
    rewriter.write(request(StartupRewriter.SSL_REQUEST));
    IOException refused = assertThrows(IOException.class,
        () -> rewriter.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc}));
    assertThat(refused).hasMessageContaining("ssl=false");
  }

  @Test
  void passesACancelRequestThroughUntouched() throws IOException {
    byte[] cancel = new byte[16];
    StartupRewriter.putInt32(cancel, 0, 16);
    StartupRewriter.putInt32(cancel, 4, 80877102);
    StartupRewriter.putInt32(cancel, 8, 4242);
    StartupRewriter.putInt32(cancel, 12, 77);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    new StartupRewriter(sent).write(cancel);
    assertThat(sent.toByteArray()).isEqualTo(cancel);
  }

  private static byte[] request(int code) {
    byte[] request = new byte[8];
    StartupRewriter.putInt32(request, 0, 8);
    StartupRewriter.putInt32(request, 4, code);
    return request;
  }

  private static byte[] startupMessage(String... pairs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String text : pairs) {
      body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      body.write(0);
    }
    body.write(0);
    byte[] message = new byte[8 + body.size()];
    StartupRewriter.putInt32(message, 0, message.length);
    StartupRewriter.putInt32(message, 4, StartupRewriter.PROTOCOL_3);
    System.arraycopy(body.toByteArray(), 0, message, 8, body.size());
    return message;
  }

  /** The name/value strings of the StartupMessage at {@code start}, checking its length and protocol. */
  private static List<String> parameters(byte[] bytes, int start) {
    int length = StartupRewriter.int32(bytes, start);
    assertThat(start + length).as("message length").isEqualTo(bytes.length);
    assertThat(StartupRewriter.int32(bytes, start + 4)).isEqualTo(StartupRewriter.PROTOCOL_3);
    List<String> strings = new ArrayList<>();
    int at = start + 8;
    while (bytes[at] != 0) {
      int end = at;
      while (bytes[end] != 0) {
        end++;
      }
      strings.add(new String(bytes, at, end - at, StandardCharsets.UTF_8));
      at = end + 1;
    }
    assertThat(at).as("terminator").isEqualTo(bytes.length - 1);
    return strings;
  }
}
