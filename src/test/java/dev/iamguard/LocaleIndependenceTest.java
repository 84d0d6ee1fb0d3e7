package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing iamguard writes depends on the JVM's default locale: every call that formats, or changes
 * case, through the default locale names one instead. In Arabic, Persian, Marathi or Thai (with
 * Thai digits) {@code String.format("%03d", 0)} is {@code ٠٠٠}, so an emulated UNLOAD wrote
 * {@code one_٠٠٠} with every date in Arabic-Indic digits; in Turkish {@code "I".toLowerCase()} is a
 * dotless {@code ı}. {@code cli.ForeignLocaleTest} runs the command line in such locales; this test
 * keeps every call site, present and future, from reaching the default locale.
 */
class LocaleIndependenceTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  /** A call through the default locale, and why it is refused. */
  private record Refused(Pattern call, String why) {}

  private static final List<Refused> REFUSED = List.of(
      new Refused(Pattern.compile("String\\.format\\((?!\\s*(java\\.util\\.)?Locale\\.)"),
          "String.format without a Locale formats %d in the default locale's digits"),
      new Refused(Pattern.compile("\\.formatted\\("), "String.formatted has no Locale: use String.format(Locale.ROOT, ...)"),
      new Refused(Pattern.compile("(?<!Character)\\.to(Upper|Lower)Case\\(\\s*\\)"),
          "String case without a Locale is the default locale's (Turkish dotless i)"),
      new Refused(Pattern.compile("\\.printf\\(|new Formatter\\((?![^)]*Locale)"),
          "printf and Formatter without a Locale format in the default locale"),
      new Refused(Pattern.compile("DateTimeFormatter\\.ofPattern\\(\"[^\"]*\"\\s*\\)"),
          "DateTimeFormatter.ofPattern without a Locale takes the default locale's"),
      new Refused(Pattern.compile("(NumberFormat|DecimalFormatSymbols)\\.getInstance\\(\\s*\\)|new DecimalFormat\\("),
          "NumberFormat without a Locale uses the default locale's digits and separators"));

  @Test
  void noMainSourceFormatsOrChangesCaseThroughTheDefaultLocale() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          for (Refused refused : REFUSED) {
            if (refused.call().matcher(lines.get(i)).find()) {
              found.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + refused.why() + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    assertThat(found).as("calls through the default locale").isEmpty();
  }

  /** The patterns find what they are for, and pass the forms that name a locale. */
  @Test
  void thePatternsTellTheDefaultLocaleFromANamedOne() {
    List<String> refused = List.of(
        "String.format(\"%03d\", index)", "String.format( \"%d\", n)", "\"%d\".formatted(n)", "name.toLowerCase()",
        "name.toUpperCase( )", "out.printf(\"%d\", n)", "new Formatter(out)", "DateTimeFormatter.ofPattern(\"yyyy\")",
        "NumberFormat.getInstance()", "new DecimalFormat(\"0.00\")");
    List<String> allowed = List.of(
        "String.format(Locale.ROOT, \"%03d\", index)", "String.format(java.util.Locale.ROOT, \"%d\", n)",
        "name.toLowerCase(Locale.ROOT)", "Character.toUpperCase(c)", "new Formatter(out, Locale.ROOT)",
        "DateTimeFormatter.ofPattern(\"yyyy\", Locale.ROOT)", "String format(AuditEvent event)");
    for (String line : refused) {
      assertThat(REFUSED.stream().anyMatch(r -> r.call().matcher(line).find())).as(line).isTrue();
    }
    for (String line : allowed) {
      for (Refused r : REFUSED) {
        Matcher matcher = r.call().matcher(line);
        assertThat(matcher.find()).as(line + " against " + r.why()).isFalse();
      }
    }
  }
}
