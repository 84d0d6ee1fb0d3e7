package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@link S3Prefix#parse} reads bucket names and key segments char by char; the S3 naming rules it
 * checks are written here as the regular expressions and the split it used before, and every
 * location gets the same answer from both: the same location or the same problem.
 */
class S3PrefixNamingProperties {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  /** What the rules say of {@code text}: the problem, or null when it is a location. */
  private static String byTheRules(String text) {
    String rest = text.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      return "bucket name missing";
    }
    if (!BUCKET.matcher(bucket).matches()) {
      return "bucket name \"" + bucket + "\" must be 3-63 lowercase letters, digits, dots or"
          + " hyphens, starting and ending with a letter or digit";
    }
    if (bucket.contains("..") || IP_ADDRESS.matcher(bucket).matches()
        || bucket.startsWith("xn--") || bucket.endsWith("-s3alias") || bucket.endsWith("--ol-s3")) {
      return "bucket name \"" + bucket + "\" is not allowed by S3 (two adjacent dots, an IP"
          + " address, or a reserved xn-- prefix or -s3alias/--ol-s3 suffix)";
    }
    if (key.contains("//") || key.startsWith("/")) {
      return "key prefix \"" + key + "\" must not contain an empty segment (//)";
    }
    if (Arrays.stream(key.split("/", -1)).anyMatch(s -> s.equals(".") || s.equals(".."))) {
      return "key prefix \"" + key + "\" must not contain a . or .. segment";
    }
    return null;
  }

  @Property(tries = 20_000)
  void everyLocationIsJudgedAsTheRulesJudgeIt(@ForAll("locations") String text) {
    String problem = byTheRules(text);
    S3Prefix.Parsed parsed = S3Prefix.parse(text);

    assertThat(parsed.problem()).as(text).isEqualTo(Optional.ofNullable(problem));
    assertThat(parsed.location().isPresent()).as(text).isEqualTo(problem == null);
    parsed.location().ifPresent(location -> assertThat("s3://" + location.bucket() + "/" + location.key())
        .as(text).isEqualTo(text.indexOf('/', 5) < 0 ? text + "/" : text));
    Statistics.label("problem").collect(problem == null ? "none" : problem.startsWith("key") ? "key" : "bucket");
    Statistics.label("problem").coverage(c -> {
      c.check("none").percentage(p -> p > 10);
      c.check("bucket").percentage(p -> p > 10);
      c.check("key").percentage(p -> p > 5);
    });
  }

  /** Names at and around the length limits, in every character class, each first, inside and last. */
  @Test
  void bucketNamesAtTheEdgesAreJudgedAsTheRulesJudgeThem() {
    int judged = 0;
    for (int length = 0; length <= 66; length++) {
      for (char c : "a0.-A_ /%é".toCharArray()) {
        for (int at : new int[] {0, length / 2, length - 1}) {
          char[] name = "b".repeat(Math.max(length, 0)).toCharArray();
          if (at >= 0 && at < length) {
            name[at] = c;
          }
          String text = "s3://" + new String(name) + "/k/";
          assertThat(S3Prefix.parse(text).problem()).as(text).isEqualTo(Optional.ofNullable(byTheRules(text)));
          judged++;
        }
      }
    }
    assertThat(judged).isEqualTo(67 * 10 * 3);
  }

  @Provide
  Arbitrary<String> locations() {
    Arbitrary<String> bucket = Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab09.-").ofMinLength(0).ofMaxLength(8),
        Arbitraries.strings().withChars("abz09.-A_ é").ofMinLength(0).ofMaxLength(70),
        Arbitraries.of("xn--b", "b-s3alias", "b--ol-s3", "10.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d",
            "192.168.1.1x", "bucket"));
    Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of("", ".", "..", "...", "a.", ".a", "a..b", "k"),
        Arbitraries.strings().withChars("a./").ofMaxLength(4));
    Arbitrary<String> key = segment.list().ofMaxSize(4).map(parts -> String.join("/", parts));
    return Combinators.combine(bucket, key, Arbitraries.of(true, false))
        .as((b, k, slash) -> "s3://" + b + (slash || !k.isEmpty() ? "/" + k : ""));
  }
}
