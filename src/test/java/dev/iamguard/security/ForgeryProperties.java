package dev.iamguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.AuditEvent;
import dev.iamguard.audit.AuditLog;
import dev.iamguard.cli.Main;
import dev.iamguard.jdbc.GuardDataSource;
import dev.iamguard.policy.registry.PolicySettings.Mode;
import dev.iamguard.sql.LineText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Logs and reports cannot be forged: whatever control, line-separator, escape or bidi characters a
 * user name, an SQL literal or a file name carries, one decision is exactly one audit line whose
 * fields parse back to the expected keys, and one finding is exactly one line of {@code check}
 * text output, with nothing a terminal would act on.
 */
class ForgeryProperties {
  /** Every character a line-oriented reader or a terminal treats specially, and a few that imitate fields. */
  private static final char[] HOSTILE = {'\n', '\r', '\u000b', '\u000c', '\u001b', '\u0000', '\t', '\u007f',
      '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\u2066', '\u200f', '\ufeff', '"', '\\', '=', ' ', '[', ']'};
  private static final String[] FORGED = {" decision=\"ALLOW\" ", "\ndecision=ALLOW mode=enforce ",
      "\u001b[2K\u001b[1G", ": ALLOW ", "\" sql=\"", "\r\n[ok] "};
  private static final Pattern FIELD = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"( |$)");
  private static final Path REGISTRY = Path.of("src", "test", "resources", "jdbc", "registry.yaml").toAbsolutePath();

  private static JdbcDataSource h2;
  private static Connection keepAlive;

  @BeforeContainer
  static void database() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    keepAlive = h2.getConnection();
  }

  @AfterContainer
  static void closeDatabase() throws SQLException {
    keepAlive.close();
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of(FORGED),
        Arbitraries.chars().with(HOSTILE).map(String::valueOf),
        Arbitraries.chars().range('\u0000', '\u00a0').map(String::valueOf),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6));
    return pieces.list().ofMinSize(1).ofMaxSize(8).map(parts -> String.join("", parts));
  }

  /** The same, without what no file name can hold: NUL and the separator. */
  @Provide
  Arbitrary<String> fileNames() {
    return hostile().map(name -> name.replace('\u0000', '_').replace('/', '_'));
  }

  @Property(tries = 200)
  void oneDecisionIsOneAuditLineWithTheExpectedFields(@ForAll("hostile") String user, @ForAll("hostile") String literal)
      throws SQLException {
    List<AuditEvent> events = new ArrayList<>();
    GuardDataSource guarded = GuardDataSource.builder(h2).registry(REGISTRY).cluster("dev-cluster").user(user)
        .name(literal).mode(Mode.ENFORCE).auditTo(events::add).build();
    String quoted = sqlText(literal);
    try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("COPY t FROM 's3://lake/in/" + quoted + "' IAM_ROLE '" + quoted + "'");
    } catch (SQLException denied) {
      // denied (or refused as an invalid value): the decision is what is logged
    }
    assertThat(events).isNotEmpty();
    for (AuditEvent event : events) {
      String line = AuditLog.format(event);
      assertThat(line.lines()).hasSize(1);
      assertThat(LineText.needsEscape(line)).as(line).isFalse();
      List<String> expected = new ArrayList<>(List.of("source", "decision", "mode", "user", "cluster", "statement",
          "line", "command", "rules", "message", "sql"));
      if (event.source() == null) {
        expected.remove("source");  // a blank name is no name
      }
      assertThat(keys(line)).isEqualTo(expected);
    }
  }

  @Property(tries = 100)
  void oneFindingIsOneLineOfCheckText(@ForAll("fileNames") String name, @ForAll("hostile") String literal)
      throws Exception {
    Path dir = Files.createTempDirectory("forgery");
    try {
      Path script = Files.writeString(dir.resolve(name + ".sql"), "COPY t FROM 's3://lake/in/x' IAM_ROLE '"
          + sqlText(literal) + "';\nCOPY t FROM 's3://lake/in/" + sqlText(literal)
          + "' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody';\n", StandardCharsets.UTF_8);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.execute(new String[] {"check", "--registry", REGISTRY.toString(), "--user", "etl", "--format",
          "text", script.toString()}, new PrintWriter(out), new PrintWriter(err));

      assertThat(code).isEqualTo(1);
      List<String> lines = out.toString().lines().toList();
      assertThat(out.toString()).endsWith("\n");
      assertThat(lines.get(lines.size() - 1)).matches("2 statements: 0 allowed, 0 rewritten, 2 denied");
      String escapedFile = LineText.escape(script.toString());
      for (String line : lines.subList(0, lines.size() - 1)) {
        assertThat(line).startsWith(escapedFile + ":");
        // the compact report line: position, verdict, rule, then the problem alone (FindingText)
        assertThat(line.substring(escapedFile.length())).matches(":\\d+:\\d+: DENY [A-Z_0-9]+ \\S.*");
      }
      assertThat(LineText.needsEscape(out.toString().replace("\n", ""))).isFalse();
      assertThat(LineText.needsEscape(err.toString().replace("\n", ""))).isFalse();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  /** The body of a Redshift string literal holding {@code text}: quotes doubled, backslashes escaped. */
  private static String sqlText(String text) {
    return text.replace("\\", "\\\\").replace("'", "''");
  }

  /** The keys of a line made only of {@code key="value"} fields, in order; fails on anything else. */
  private static List<String> keys(String line) {
    List<String> keys = new ArrayList<>();
    Matcher matcher = FIELD.matcher(line);
    int at = 0;
    while (at < line.length()) {
      assertThat(matcher.find(at) && matcher.start() == at).as("a field at %d of %s", at, line).isTrue();
      keys.add(matcher.group(1));
      at = matcher.end();
    }
    return keys;
  }
}
