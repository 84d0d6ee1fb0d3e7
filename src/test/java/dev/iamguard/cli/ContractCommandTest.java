package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import dev.iamguard.sql.CommandKind;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every kind of command the guard knows is written in the JSON reports as one of the
 * {@code command} values ../shared/design/CLI.md lists, which consumers decode as a closed set
 * (probe 22b F3), with its own name in {@code kind}.
 */
class ContractCommandTest {
  @Test
  void everyKindIsWrittenAsAValueTheContractLists() throws Exception {
    String contract = Files.readString(SharedFiles.require("design/CLI.md"));
    Matcher list = Pattern.compile("`command` is one of ([^.]*)\\.").matcher(contract.replaceAll("\\s+", " "));
    assertThat(list.find()).as("CLI.md lists the command values").isTrue();
    Set<String> listed = new LinkedHashSet<>();
    Matcher value = Pattern.compile("`([A-Z_]+)`").matcher(list.group(1));
    while (value.find()) {
      listed.add(value.group(1));
    }
    assertThat(listed).contains("COPY", "OTHER");
    for (CommandKind kind : CommandKind.values()) {
      JsonWriter json = new JsonWriter().beginObject();
      ContractCommand.write(json, kind);
      String written = json.endObject().toString();
      Matcher command = Pattern.compile("\"command\":\"([A-Z_]+)\",\"kind\":\"([A-Z_]+)\"").matcher(written);
      assertThat(command.find()).as(written).isTrue();
      assertThat(listed).as(kind.name()).contains(command.group(1));
      assertThat(command.group(2)).isEqualTo(kind.name());
      if (listed.contains(kind.name())) {
        assertThat(command.group(1)).isEqualTo(kind.name());
      }
    }
    assertThat(Arrays.stream(CommandKind.values()).map(Enum::name)).containsAll(listed);
  }
}
