package dev.iamguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The files a public repository is expected to carry, held to what they claim: the licence, the
 * GitHub Action and the pre-commit hooks that run {@code iamguard check} on changed SQL files, and
 * the container image of the command line. (What needs the built jars is in {@code ChangedSqlScriptIT}.)
 */
class RepositoryConventionsTest {
  private static Object yaml(String file) throws IOException {
    return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of(file)));
  }

  @Test
  void theLicenceIsApache2InFull() throws IOException {
    String licence = Files.readString(Path.of("LICENSE"));
    assertThat(licence).contains("Apache License", "Version 2.0, January 2004",
        "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "END OF TERMS AND CONDITIONS",
        "APPENDIX: How to apply the Apache License to your work.");
    assertThat(Files.readString(Path.of("pom.xml"))).contains("<name>Apache-2.0</name>", "<scm>", "<developers>",
        "<url>https://github.com/iamguard/iamguard</url>");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theActionRunsTheScriptWithEveryInputItDeclares() throws IOException {
    Map<String, Object> action = (Map<String, Object>) yaml("action.yml");
    Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) action.get("inputs");
    assertThat(inputs.get("registry")).containsEntry("required", true);
    assertThat(inputs.get("user")).containsEntry("required", true);
    Map<String, Object> runs = (Map<String, Object>) action.get("runs");
    assertThat(runs).containsEntry("using", "composite");
    List<Map<String, Object>> steps = (List<Map<String, Object>>) runs.get("steps");
    assertThat(steps.get(1).get("run")).asString().contains("package").contains("$GITHUB_ACTION_PATH/pom.xml");
    Map<String, Object> check = steps.get(2);
    assertThat(check.get("run")).isEqualTo("bash \"$GITHUB_ACTION_PATH/scripts/check-changed-sql.sh\"");
    assertThat(Path.of("scripts/check-changed-sql.sh")).isRegularFile().isExecutable();
    Map<String, String> env = (Map<String, String>) check.get("env");
    assertThat(env.get("IAMGUARD_JAR")).endsWith("/target/iamguard-cli.jar");
    String script = Files.readString(Path.of("scripts/check-changed-sql.sh"));
    for (String input : inputs.keySet()) {
      String variable = "IAMGUARD_" + input.toUpperCase(java.util.Locale.ROOT);
      assertThat(env.get(variable)).as(input).contains("inputs." + input);
      assertThat(script).as(variable + " read by the script").contains("${" + variable);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void thePreCommitHooksRunCheckOnSqlFiles() throws IOException {
    List<Map<String, Object>> hooks = (List<Map<String, Object>>) yaml(".pre-commit-hooks.yaml");
    assertThat(hooks).extracting(h -> h.get("id")).containsExactly("iamguard-check", "iamguard-check-system");
    for (Map<String, Object> hook : hooks) {
      assertThat(hook.get("entry")).isEqualTo("iamguard check");
      Pattern files = Pattern.compile((String) hook.get("files"));
      assertThat(List.of("etl/load.sql", "LEGACY/LOAD.SQL")).allMatch(f -> files.matcher(f).find());
      assertThat(List.of("load.sql.bak", "notes.md", "sql/readme")).noneMatch(f -> files.matcher(f).find());
    }
    // language: docker builds the Dockerfile at the repository root and runs the entry's first word in it
    assertThat(hooks.get(0)).containsEntry("language", "docker");
    assertThat(Files.readString(Path.of("Dockerfile"))).contains("> /usr/local/bin/iamguard", "ENTRYPOINT [\"iamguard\"]");
  }

  @Test
  void theImageBuildsFromFilesThatExist() throws IOException {
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+) (\\S+)$").matcher(Files.readString(Path.of("Dockerfile")));
    int copies = 0;
    while (copy.find()) {
      for (String source : copy.group(1).trim().split("\\s+")) {
        assertThat(Path.of(source)).as("COPY " + source).exists();
        copies++;
      }
    }
    assertThat(copies).isEqualTo(3);
    assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("target/", ".git/");
  }
}
