package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every command line of README.md that runs {@code java -jar target/iamguard-cli.jar} works as
 * written: each is run in-process through {@link Main} from the project folder (as a reader runs it
 * from a clone). Where README shows what a command prints ({@code $ command} followed by its
 * output in the same block), the output is the tool's: every line shown appears, in order, on
 * standard output or standard error, {@code ...} standing for text left out (a line of its own:
 * lines left out), and the exit code is 1 when a DENY, a registry warning or a gained access line
 * ({@code + ...}) is shown, else 0. JSON statement objects
 * README shows are the tool's own for that file and statement.
 */
class ReadmeCommandsTest {
  private static final String CLI = "java -jar target/iamguard-cli.jar ";

  /** A command README shows, at its 1-based line, with the output shown after it (empty when none is). */
  record Command(int line, List<String> args, List<String> shown) {
    @Override
    public String toString() {
      return "README.md:" + line + ": iamguard " + String.join(" ", args);
    }
  }

  private static List<String> readme() throws IOException {
    return Files.readAllLines(Path.of("README.md"));
  }

  /** The fenced blocks, each as its lines (continuations joined) with the README line of each. */
  private static List<List<Map.Entry<Integer, String>>> blocks(List<String> lines) {
    List<List<Map.Entry<Integer, String>>> blocks = new ArrayList<>();
    List<Map.Entry<Integer, String>> block = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        if (block == null) {
          block = new ArrayList<>();
        } else {
          blocks.add(block);
          block = null;
        }
        continue;
      }
      if (block != null) {
        int first = i + 1;
        StringBuilder joined = new StringBuilder();
        while (line.endsWith("\\") && i + 1 < lines.size()) {
          joined.append(line, 0, line.length() - 1).append(' ');
          line = lines.get(++i).strip();
        }
        block.add(Map.entry(first, joined.append(line).toString()));
      }
    }
    return blocks;
  }

  static List<Command> commands() throws IOException {
    List<Command> commands = new ArrayList<>();
    for (List<Map.Entry<Integer, String>> block : blocks(readme())) {
      for (int i = 0; i < block.size(); i++) {
        String text = block.get(i).getValue();
        int at = text.indexOf(CLI);
        if (at < 0) {
          continue;
        }
        List<String> shown = new ArrayList<>();
        if (text.startsWith("$ ")) {
          for (int j = i + 1; j < block.size() && !block.get(j).getValue().startsWith("$ "); j++) {
            shown.add(block.get(j).getValue());
          }
        }
        commands.add(new Command(block.get(i).getKey(), words(text.substring(at + CLI.length())), shown));
      }
    }
    return commands;
  }

  /** Splits a shell command line into its words: whitespace separates, quotes group, backslash escapes. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  @TestFactory
  Stream<DynamicTest> everyCommandWorksAsWritten() throws IOException {
    return commands().stream().map(command -> DynamicTest.dynamicTest(command.toString(), () -> run(command)));
  }

  private static void run(Command command) {
    for (String arg : command.args()) {
      if (arg.startsWith("../shared/")) {
        SharedFiles.require(arg.substring("../shared/".length()));
      }
    }
    CliRun run = CliRun.of(command.args().toArray(String[]::new));
    String said = "out:\n" + run.out() + "\nerr:\n" + run.err();
    if (command.shown().isEmpty()) {
      assertThat(run.code()).as(said).isIn(ExitCodes.OK, ExitCodes.DENIED);
      assertThat(run.out()).as(said).isNotBlank();
      return;
    }
    // exit 1: a statement denied, a registry warning (validate) or access gained (diff)
    boolean denies = command.shown().stream()
        .anyMatch(line -> line.contains(" DENY") || line.contains(": warning ") || line.startsWith("+ "));
    assertThat(run.code()).as(said).isEqualTo(denies ? ExitCodes.DENIED : ExitCodes.OK);
    List<String> out = run.out().lines().toList();
    List<String> err = run.err().lines().toList();
    int o = 0;
    int e = 0;
    for (String shown : command.shown()) {
      if (shown.equals("...")) {
        continue;
      }
      Pattern pattern = shownLine(shown);
      int inOut = find(out, o, pattern);
      if (inOut >= 0) {
        o = inOut + 1;
        continue;
      }
      int inErr = find(err, e, pattern);
      assertThat(inErr).as("README.md shows \"" + shown + "\" after line " + command.line() + "; the tool printed\n" + said)
          .isNotNegative();
      e = inErr + 1;
    }
  }

  /** A shown line as a pattern: {@code ...} stands for any text. */
  private static Pattern shownLine(String shown) {
    StringBuilder regex = new StringBuilder();
    String[] parts = shown.split("\\.\\.\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }

  private static int find(List<String> lines, int from, Pattern pattern) {
    for (int i = from; i < lines.size(); i++) {
      if (pattern.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void theCommandsAreFoundAndShowTheirOutput() throws IOException {
    List<Command> commands = commands();
    assertThat(commands).extracting(c -> c.args().get(0)).contains("run", "explain", "check", "--help");
    assertThat(commands).filteredOn(c -> !c.shown().isEmpty()).extracting(c -> c.args().get(0))
        .contains("run", "explain", "check");
    assertThat(words("run --url 'jdbc:iamguard:h2:mem:x;a=b' \"two words\" a\\ b")).containsExactly(
        "run", "--url", "jdbc:iamguard:h2:mem:x;a=b", "two words", "a b");
  }

  /** A statement README shows as JSON (a block starting {"file": ...) is what explain --format json prints for it. */
  @Test
  @SuppressWarnings("unchecked")
  void theJsonStatementsShownAreTheTools() throws IOException {
    int checked = 0;
    for (List<Map.Entry<Integer, String>> block : blocks(readme())) {
      if (block.isEmpty() || !block.get(0).getValue().startsWith("{\"file\":")) {
        continue;
      }
      String json = String.join("\n", block.stream().map(Map.Entry::getValue).toList());
      Map<String, Object> shown = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(json);
      CliRun explain = CliRun.of("explain", "--format", "json", (String) shown.get("file"));
      List<Map<String, Object>> statements = (List<Map<String, Object>>) explain.json().get("statements");
      assertThat(statements.get((Integer) shown.get("index") - 1)).as("README.md:" + block.get(0).getKey())
          .isEqualTo(shown);
      checked++;
    }
    assertThat(checked).isPositive();
  }

  /**
   * README runs the HikariCP sample from the project folder ({@code mvn -q -f samples/hikari-app ...
   * exec:java}); Maven runs it in the folder it was started from, so the sample must name its
   * registry from its own folder, not the working directory.
   */
  @Test
  void theHikariSampleNamesItsRegistryFromItsOwnFolder() throws IOException {
    assertThat(readme()).as("README lines running the sample")
        .anyMatch(line -> line.contains("mvn -q -f samples/hikari-app compile exec:java"));
    java.util.regex.Matcher argument = Pattern.compile("<argument>\\$\\{project\\.basedir}/([^<]+)</argument>")
        .matcher(Files.readString(Path.of("samples/hikari-app/pom.xml")));
    assertThat(argument.find()).as("the exec plugin passes the registry path").isTrue();
    assertThat(Path.of("samples/hikari-app").resolve(argument.group(1)).normalize())
        .isEqualTo(Path.of("samples/registry.yaml")).isRegularFile();
  }
}
