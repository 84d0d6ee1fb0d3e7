package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for the schema name the guard reads from a name written without quotes
 * ({@link ExternalCatalog#schemaName}, {@link ExternalCatalog#schemaOf}: which external schema a
 * statement names, the key of the session's catalog and of the registry's look-up). PostgreSQL and
 * Redshift lower-case the ASCII letters of such a name only; Java's {@code toLowerCase} lower-cases
 * every cased letter ({@code É}, {@code Σ}), the Kelvin sign to {@code k}, and {@code İ} (U+0130)
 * to two chars. The class of input: every char of {@code 0x80..0xFFFF} that Java's case mapping
 * changes (computed), in a name between ASCII letters of both cases, and the ASCII letters alone.
 *
 * <p>Before the guard read these names in ASCII ({@code toLowerCase(Locale.ROOT)} in
 * {@code ExternalCatalog.parts}), 1,142 of the 2,298 names differed in all 3 readings compared
 * (3,426 of 6,894): every name holding a char Java lower-cases to another.
 */
class SchemaNameServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** The chars beyond ASCII (not surrogates) whose Java upper- or lower-case mapping is another char. */
  static List<Character> casedChars() {
    List<Character> chars = new ArrayList<>();
    for (int c = 0x80; c <= 0xFFFF; c++) {
      char ch = (char) c;
      if (!Character.isSurrogate(ch) && (Character.toLowerCase(ch) != ch || Character.toUpperCase(ch) != ch)) {
        chars.add(ch);
      }
    }
    return chars;
  }

  /** The schema name {@code written} (unquoted) is read as by the server: {@code create schema} and then its nspname. */
  private static String serverReads(SimpleQueryWire server, String written) throws Exception {
    SimpleQueryWire.Answer answer = server.query("begin; create schema " + written
        + "; select nspname::text from pg_namespace order by oid desc limit 1");
    server.query("rollback");
    return answer.error() == null ? answer.values().get(0) : null;
  }

  @Test
  void anUnquotedSchemaNameIsReadAsTheServerReadsIt() throws Exception {
    List<Character> cased = casedChars();
    assertThat(cased).as("cased chars beyond ASCII").hasSizeGreaterThan(1000).contains('\u212a', '\u0130', '\u00c9');
    List<String> names = new ArrayList<>();
    names.add("Ab_Kiss");
    for (char c : cased) {
      names.add("Ab" + c + "Z");
    }
    List<String> differ = new ArrayList<>();
    int compared = 0;
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      for (String name : names) {
        String expected = serverReads(server, name);
        assertThat(expected).as(SimpleQueryWire.printable(name)).isNotNull();
        RedshiftCommand command = SqlScript.parse("create external schema " + name
            + " from data catalog database 'db' iam_role 'arn:aws:iam::123456789012:role/R'").statements().get(0).command();
        assertThat(command.objectName()).isEqualTo(name);
        List<String> readings = List.of(ExternalCatalog.schemaName(command.objectName()),
            String.valueOf(ExternalCatalog.schemaOf(name + ".t")), String.valueOf(ExternalCatalog.schemaOf("db." + name + ".T")));
        for (String guard : readings) {
          compared++;
          if (!expected.equals(guard)) {
            differ.add(name + " -> the server's schema " + expected + ", the guard reads " + guard);
          }
        }
      }
    }
    System.out.printf("SchemaNameServerTest: %d names, %d readings compared, %d differ%n", names.size(), compared,
        differ.size());
    differ.stream().limit(20).map(SimpleQueryWire::printable).forEach(System.out::println);
    assertThat(differ).as("schema names read unlike the server").isEmpty();
  }
}
