package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.PARTNER;
import static dev.iamguard.policy.Fixture.inspect;
import static dev.iamguard.policy.Fixture.rules;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CHAIN_FORMAT names what is wrong with the written chain: split literals, a space of any kind, an empty element. */
class ChainFormatMessagesTest {
  private final Registry registry = Fixture.registry();

  private Finding only(String value) {
    Decision decision = inspect(registry, "copy t from 's3://partner/in/x' iam_role " + value);
    assertThat(rules(decision)).containsExactly(RuleId.CHAIN_FORMAT);
    return decision.findings().get(0);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      L,,P   | has an empty element
      ,L     | has an empty element
      L,     | has an empty element
      "L, P" | contains spaces
      L,\\tP  | contains spaces
      """)
  void theMessageNamesTheProblem(String template, String problem) {
    String chain = template.replace("L", LOADER).replace("P", PARTNER).replace("\\t", "\t");
    assertThat(only("'" + chain + "'").message()).contains("the role chain '" + chain + "' " + problem);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x1f, 0x20, 0xa0, 0x1680, 0x2003, 0x2028, 0x202f, 0x3000})
  void everyKindOfSpaceIsASpace(int space) {
    String chain = LOADER + "," + (char) space + PARTNER;
    assertThat(only("'" + chain + "'").message()).contains("contains spaces");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x21, 0x7f, 0x85, 0xe9, 0x200b})
  void otherCharactersAreNoSpace(int other) {
    Decision decision = inspect(registry, "copy t from 's3://partner/in/x' iam_role '" + LOADER + "," + (char) other
        + PARTNER + "'");
    assertThat(rules(decision)).doesNotContain(RuleId.CHAIN_FORMAT);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void splitLiteralsAreCounted(int literals) {
    String value = "'" + LOADER + ",' '" + PARTNER + "'" + (literals == 3 ? " ''" : "");
    assertThat(only(value).message()).contains("the role chain is split over " + literals + " literals");
  }
}
