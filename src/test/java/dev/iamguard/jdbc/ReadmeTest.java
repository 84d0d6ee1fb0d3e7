package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.RuleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents every rule and every setting, so the docs cannot drift from the code. */
class ReadmeTest {
  @Test
  void everyRuleAndSettingIsDocumented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (RuleId rule : RuleId.values()) {
      assertThat(readme).as("rule catalogue").contains("| `" + rule.name() + "` | " + rule.description() + " |");
    }
    for (Setting setting : Setting.values()) {
      assertThat(readme).as("settings table").contains("| `" + setting.key() + "` | `" + setting.environmentVariable() + "` |");
    }
  }
}
