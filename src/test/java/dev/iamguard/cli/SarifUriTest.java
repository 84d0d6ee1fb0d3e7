package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF's artifactLocation.uri is an RFC 3986 relative reference that decodes back to the file name. */
class SarifUriTest {
  @TempDir
  Path dir;

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of(" ", "\"", "'", "#", "%", "%20", "?", ":", "C:", "//", "/", "..", "\\", "[", "]", "@", "\n", "\u001b",
            "é", "日本", "😀", "+", "&", "=", "~", "-"),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(5),
        Arbitraries.chars().range('\u0000', '\u00ff').map(String::valueOf));
    return pieces.list().ofMinSize(1).ofMaxSize(10).map(parts -> String.join("", parts));
  }

  @Property(tries = 1000)
  void everyFileNameBecomesARelativeReferenceThatDecodesBack(@ForAll("names") String name) throws URISyntaxException {
    String encoded = SarifReport.uri(name);

    URI uri = new URI(encoded);
    assertThat(uri.getScheme()).isNull();
    assertThat(uri.getRawAuthority()).isNull();
    assertThat(uri.getRawQuery()).isNull();
    assertThat(uri.getRawFragment()).isNull();
    assertThat(uri.getPath()).isEqualTo(name);
    assertThat(encoded).matches("[A-Za-z0-9._~/%-]*");
  }

  @Test
  void specialCharactersAreEncoded() {
    assertThat(SarifReport.uri("etl/my load #1 \"x\" 100%.sql")).isEqualTo("etl/my%20load%20%231%20%22x%22%20100%25.sql");
    assertThat(SarifReport.uri("C:/etl/x.sql")).isEqualTo("C%3A/etl/x.sql");
    assertThat(SarifReport.uri("//server/x.sql")).isEqualTo("/%2Fserver/x.sql");
    assertThat(SarifReport.uri("-")).isEqualTo("-");
  }

  @Test
  void theSarifReportUsesTheEncodedName() throws Exception {
    Path script = Files.writeString(dir.resolve("load #1.sql"),
        "COPY t FROM 's3://x/y' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody';\n", StandardCharsets.UTF_8);

    CliRun run = CliRun.of("check", "--registry", "samples/registry.yaml", "--user", "user1", "--format", "sarif",
        script.toString());

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) ((List<Map<String, Object>>) run.json().get("runs"))
        .get(0).get("results");
    assertThat(results).isNotEmpty();
    @SuppressWarnings("unchecked")
    String uri = (String) ((Map<String, Object>) ((Map<String, Object>) ((List<Map<String, Object>>) results.get(0)
        .get("locations")).get(0).get("physicalLocation")).get("artifactLocation")).get("uri");
    assertThat(uri).isEqualTo("file://" + SarifReport.uri(script.toString())).endsWith("/load%20%231.sql");
  }
}
