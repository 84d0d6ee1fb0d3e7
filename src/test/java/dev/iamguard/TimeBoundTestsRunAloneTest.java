package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Surefire runs the test classes in two JVMs side by side, except those marked {@link RunsAlone}
 * (pom.xml). A class that bounds its own time must carry the mark, or its bound would measure the
 * other JVM's load as well as its own code; and only such a class may carry it, since every class
 * run alone lengthens the build.
 */
class TimeBoundTestsRunAloneTest {
  /** JUnit's ways to bound a test's time: the annotation (short or qualified) and the assertions. */
  private static final Pattern BOUND = Pattern.compile(
      "@(?:org\\.junit\\.jupiter\\.api\\.)?Timeout\\b|\\bassertTimeout(?:Preemptively)?\\s*\\(");
  private static final Pattern MARK = Pattern.compile("^@(?:dev\\.iamguard\\.)?RunsAlone\\b", Pattern.MULTILINE);

  private static List<Path> testSources() throws IOException {
    Path root = Path.of("src/test/java");
    Path self = root.resolve("dev/iamguard/TimeBoundTestsRunAloneTest.java");
    Path mark = root.resolve("dev/iamguard/RunsAlone.java");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.equals(self) && !file.equals(mark)).sorted().collect(Collectors.toList());
    }
  }

  private static boolean isTestClass(String name) {
    return name.endsWith("Test.java") || name.endsWith("Tests.java") || name.endsWith("Properties.java")
        || name.startsWith("Test");
  }

  @Test
  void everyClassThatBoundsItsTimeRunsAloneAndNoOther() throws IOException {
    List<Path> sources = testSources();
    assertThat(sources).hasSizeGreaterThan(100);
    int bounded = 0;
    for (Path source : sources) {
      String text = Files.readString(source, StandardCharsets.UTF_8);
      boolean bounds = BOUND.matcher(text).find();
      boolean marked = MARK.matcher(text).find();
      String name = source.getFileName().toString();
      if (bounds && isTestClass(name)) {
        bounded++;
        assertThat(marked).as("%s bounds its time (@Timeout, assertTimeout...) but is not @RunsAlone", source).isTrue();
      } else {
        assertThat(marked).as("%s is @RunsAlone but bounds no time: let it run beside the others", source).isFalse();
      }
    }
    assertThat(bounded).as("time-bound test classes found").isGreaterThanOrEqualTo(25);
  }

  @Test
  void thePomRunsTheMarkedClassesInAnExecutionOfTheirOwn() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    assertThat(pom).contains("<excludedGroups>${iamguard.excludedGroups},alone</excludedGroups>",
        "<id>alone</id>", "<groups>alone</groups>", "<forkCount>2</forkCount>");
    assertThat(RunsAlone.class.getAnnotation(org.junit.jupiter.api.Tag.class).value()).isEqualTo("alone");
  }
}
