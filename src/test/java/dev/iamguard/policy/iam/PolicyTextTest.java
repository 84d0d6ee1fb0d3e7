package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * How a text with policy variables reads ({@code ${key}}, {@code ${key, 'default'}}, {@code ${*}})
 * and what it becomes for a request. Symbols are shown as text: a wildcard {@code *} as
 * {@code <*>}, {@code ?} as {@code <?>}, an unknown variable as {@code <any>}.
 */
class PolicyTextTest {

  private static String show(int[] symbols) {
    return IntStream.of(symbols).mapToObj(s -> s == IamPattern.STAR ? "<*>" : s == IamPattern.ONE ? "<?>"
        : s == IamPattern.ANY ? "<any>" : Character.toString(s)).collect(Collectors.joining());
  }

  private static final RequestContext ALICE = RequestContext.builder().put("aws:username", "alice").build();
  private static final RequestContext ABSENT = RequestContext.builder().absent("aws:username").build();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // text                                | for alice      | for an absent user | unknown
      "home/${aws:username}/*                | home/alice/<*> | NOTHING           | home/<any>/<*>",
      "home/${ aws:username }/?              | home/alice/<?> | NOTHING           | home/<any>/<?>",
      "home/${aws:username, 'guest'}/*       | home/alice/<*> | home/guest/<*>    | home/<any>/<*>",
      "home/${aws:username,'it''s'}          | home/alice     | home/it's         | home/<any>",
      "home/${aws:username, 'a}b'}           | home/alice     | home/a}b          | home/<any>",
      // an empty default is a value: the empty string
      "home/${aws:username, ''}/x            | home/alice/x   | home//x           | home/<any>/x",
      "a${*}b${?}c${$}d${ * }                | a*b?c$d*       | a*b?c$d*          | a*b?c$d*",
      "${aws:username}${aws:username}        | alicealice     | NOTHING           | <any><any>",
  })
  void resolvesForEachKindOfRequest(String text, String alice, String absent, String unknown) {
    List<String> problems = new ArrayList<>();
    PolicyText t = PolicyText.parse(text, true, true, problems::add);

    assertThat(problems).isEmpty();
    assertThat(t).hasToString(text);
    assertThat(t.text()).isEqualTo(text);
    assertThat(show(t.resolve(ALICE).symbols())).isEqualTo(alice);
    assertThat(t.resolve(ALICE).exact()).isEqualTo(Tri.TRUE);
    PolicyText.Resolved forAbsent = t.resolve(ABSENT);
    assertThat(forAbsent.exact() == Tri.FALSE ? "NOTHING" : show(forAbsent.symbols())).isEqualTo(absent);
    PolicyText.Resolved forUnknown = t.resolve(RequestContext.UNKNOWN_ALL);
    assertThat(show(forUnknown.symbols())).isEqualTo(unknown);
    assertThat(forUnknown.exact()).isEqualTo(unknown.contains("<any>") ? Tri.UNKNOWN : Tri.TRUE);
    assertThat(t.hasVariables()).isEqualTo(t.variableKeys().size() > 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "arn:${aws:username                | policy variable at \"${aws:username\" is not closed with }",
      "arn:${aws:username, 'a'           | policy variable at \"${aws:username, 'a'\" is not closed with }",
      "arn:${aws:username, 'a}           | policy variable at \"${aws:username, 'a}\" is not closed with }",
      "arn:${}                           | policy variable ${} does not name a condition key",
      "arn:${,'x'}                       | policy variable ${,'x'} does not name a condition key",
      "arn:${aws:user name}              | policy variable ${aws:user name} does not name a condition key",
      "arn:${aws:username, '}            | policy variable at \"${aws:username, '}\" is not closed with }",
      "arn:${aws:username, ''x}          | policy variable ${aws:username, ''x}: the default value must be in single quotes",
      "arn:${aws:username, x}            | policy variable ${aws:username, x}: the default value must be in single quotes",
      "arn:${aws:username, 'x}           | policy variable at \"${aws:username, 'x}\" is not closed with }",
      "arn:${aws:username, x'}           | policy variable at \"${aws:username, x'}\" is not closed with }",
  })
  void namesWhatIsWrongWithAVariable(String text, String problem) {
    List<String> problems = new ArrayList<>();

    PolicyText.parse(text, true, true, problems::add);

    assertThat(problems).containsExactly(problem);
  }

  @Test
  void anUnclosedVariableStaysLiteralText() {
    PolicyText t = PolicyText.parse("a*${aws:username", true, true, p -> { });

    assertThat(show(t.resolve(RequestContext.UNKNOWN_ALL).symbols())).isEqualTo("a<*>${aws:username");
    assertThat(t.hasVariables()).isFalse();
  }

  @Test
  void withoutVariablesOrWildcardsTheTextIsTakenAsWritten() {
    PolicyText noVariables = PolicyText.parse("a/${aws:username}/*", false, true, p -> { });
    PolicyText noWildcards = PolicyText.parse("a/${aws:username}/*?", true, false, p -> { });

    assertThat(show(noVariables.resolve(ALICE).symbols())).isEqualTo("a/${aws:username}/<*>");
    assertThat(noVariables.variableKeys()).isEmpty();
    assertThat(show(noWildcards.resolve(ALICE).symbols())).isEqualTo("a/alice/*?");
    assertThat(noWildcards.variableKeys()).containsExactly("aws:username");
  }
}
