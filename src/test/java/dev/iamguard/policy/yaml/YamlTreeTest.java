package dev.iamguard.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The YAML every registry and policy document is read with: nesting deeper than {@link YamlTree#MAX_DEPTH}
 * is refused at the line where it goes too deep (however wide a shallow document is), node kinds are
 * named in plain words, and syntax errors say where and what to do.
 */
class YamlTreeTest {

  private static String nestedFlow(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** {@code depth} block mappings, one per line, after two comment lines. */
  private static String nestedBlock(int depth) {
    StringBuilder text = new StringBuilder("# deep\n# deeper\n");
    for (int i = 0; i < depth; i++) {
      text.append("  ".repeat(i)).append("k:").append(i == depth - 1 ? " v" : "").append('\n');
    }
    return text.toString();
  }

  @Test
  void nestingUpToTheLimitIsRead() throws Exception {
    assertThat(YamlTree.compose(nestedFlow(YamlTree.MAX_DEPTH), "t")).map(YamlTree::describe).contains("a list");
    assertThat(YamlTree.compose(nestedBlock(YamlTree.MAX_DEPTH), "t")).map(YamlTree::describe).contains("a mapping");
  }

  @Test
  void nestingBeyondTheLimitIsRefusedWhereItGoesTooDeep() {
    assertThatThrownBy(() -> YamlTree.compose(nestedFlow(YamlTree.MAX_DEPTH + 1), "t"))
        .isInstanceOfSatisfying(YamlTree.SyntaxError.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage()).isEqualTo("lists and mappings nest more than 64 levels deep;"
              + " a registry or an IAM policy needs fewer than 10");
        });
    // two comment lines, then one mapping per line: the 65th starts on line 67
    assertThatThrownBy(() -> YamlTree.compose(nestedBlock(YamlTree.MAX_DEPTH + 1), "t"))
        .isInstanceOfSatisfying(YamlTree.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(67));
  }

  /**
   * The composer recurses once per level: a document nesting 200,000 levels is refused where it
   * goes too deep while the composer is still shallow, here on a thread of a 256 KB stack (the
   * composer recursing to the end overflows it).
   */
  @Test
  void nestingFarBeyondTheLimitIsRefusedBeforeTheComposerGoesDeep() throws Exception {
    for (String text : new String[] {nestedFlow(200_000), "k:\n" + "- ".repeat(200_000) + "v\n",
        "{a: ".repeat(200_000) + "1" + "}".repeat(200_000)}) {
      Throwable[] thrown = new Throwable[1];
      Thread reader = new Thread(null, () -> {
        try {
          YamlTree.compose(text, "t");
        } catch (Throwable t) {
          thrown[0] = t;
        }
      }, "yaml", 256 * 1024);
      reader.start();
      reader.join();
      assertThat(thrown[0]).isInstanceOf(YamlTree.SyntaxError.class)
          .hasMessageStartingWith("lists and mappings nest more than 64 levels deep");
    }
  }

  @Test
  void aWideShallowDocumentIsNotDeep() throws Exception {
    String wide = "[" + "{a: [1]}, ".repeat(500) + "{}]";
    assertThat(YamlTree.compose(wide, "t")).map(YamlTree::describe).contains("a list");
    assertThat(YamlTree.compose(("- " + nestedFlow(YamlTree.MAX_DEPTH - 1) + "\n").repeat(50), "t")).isPresent();
  }

  @Test
  void aTextWithoutContentHasNoRoot() throws Exception {
    assertThat(YamlTree.compose("# only a comment\n\n", "t")).isEmpty();
    assertThat(YamlTree.compose("", "t")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "~        | no value",
      "null     | no value",
      "'~'      | a string",
      "True     | a boolean",
      "3        | a number",
      "-2.5     | a number",
      "true     | a boolean",
      "x        | a string",
      "'3'      | a string",
      "[a]      | a list",
      "{a: 1}   | a mapping"})
  void nodeKindsInWords(String text, String words) throws Exception {
    assertThat(YamlTree.compose(text, "t")).map(YamlTree::describe).contains(words);
  }

  @Test
  void linesOfNodesAreOneBased() throws Exception {
    org.snakeyaml.engine.v2.nodes.Node root = YamlTree.compose("\n\nkey: value\n", "t").orElseThrow();
    assertThat(YamlTree.line(root)).isEqualTo(3);
    // null and (as YAML 1.2's core schema reads it) ~ are null; quoted, each is a string
    assertThat(YamlTree.isNull(YamlTree.compose("null", "t").orElseThrow())).isTrue();
    assertThat(YamlTree.isNull(YamlTree.compose("~", "t").orElseThrow())).isTrue();
    assertThat(YamlTree.isNull(YamlTree.compose("'null'", "t").orElseThrow())).isFalse();
    assertThat(YamlTree.isNull(YamlTree.compose("'~'", "t").orElseThrow())).isFalse();
    assertThat(YamlTree.isNull(root)).isFalse();
  }

  /**
   * Issue 17: a composed node keeps its position and nothing of the text around it. The engine's marks
   * held the reader's window (the whole text, an int per character, when the buffer holds it) and every
   * node two lists of its comments: a 3.4 MB registry composed into 65 MB of nodes, 14 MB of them
   * windows and 8 MB empty lists. Lines and columns below are counted by hand in the text.
   */
  @Test
  void nodesKeepTheirPositionsButNotTheText() throws Exception {
    String text = "# a registry\n"
        + "roles:   # the roles\n"
        + "  - arn: &r arn:aws:iam::1:role/R  # inline\n"
        + "    allow: {s3_read: [\"s3://a/\", s3://b/]}\n"
        + "  - *r\n"
        + "# the end\n";
    MappingNode root = (MappingNode) YamlTree.compose(text, "t").orElseThrow();
    SequenceNode roles = (SequenceNode) root.getValue().get(0).getValueNode();
    MappingNode first = (MappingNode) roles.getValue().get(0);
    Node arn = first.getValue().get(0).getValueNode();
    MappingNode allow = (MappingNode) first.getValue().get(1).getValueNode();
    SequenceNode prefixes = (SequenceNode) allow.getValue().get(0).getValueNode();
    Node b = prefixes.getValue().get(1);

    assertThat(List.of(root, roles, first, arn, allow, prefixes, b)).extracting(YamlTree::line)
        .containsExactly(2, 3, 3, 3, 4, 4, 4);
    assertThat(roles.getValue().get(1)).as("the alias is its anchor's node").isSameAs(arn);
    Mark at = b.getStartMark().orElseThrow();
    assertThat(at.getColumn()).isEqualTo(33);
    assertThat(at.getIndex()).isEqualTo(text.indexOf("s3://b/"));

    List<Node> nodes = new ArrayList<>();
    everyNode(root, nodes);
    assertThat(nodes).hasSize(13); // 4 keys, 4 scalar values (the alias visits its anchor's node again), 2 lists, 3 mappings
    for (Node node : nodes) {
      assertThat(node.getStartMark()).isPresent().get().extracting(m -> m.getBuffer().length).isEqualTo(0);
      assertThat(node.getEndMark()).isPresent().get().extracting(m -> m.getBuffer().length).isEqualTo(0);
      assertThat(node.getBlockComments()).as("no list of its own").isSameAs(List.of());
      assertThat(node.getInLineComments()).as("no list of its own").isSameAs(List.of());
    }
  }

  private static void everyNode(Node node, List<Node> into) {
    into.add(node);
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        everyNode(tuple.getKeyNode(), into);
        everyNode(tuple.getValueNode(), into);
      }
    } else if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(item -> everyNode(item, into));
    }
  }

  /**
   * Probe 24c F9: scalars are typed by the JSON schema, except the nulls and booleans of YAML 1.2's core schema
   * that JSON does not spell so (unquoted ~, Null, NULL, True, TRUE, False, FALSE); the core schema's numbers are
   * not taken (an account id 012345678901 stays its digits), nor YAML 1.1's yes, no, on, off.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // text            | tag   | boolean | what YAML reads it as, where JSON reads text
      "~                 | null  |         | YAML's null",
      "Null              | null  |         | YAML's null",
      "NULL              | null  |         | YAML's null",
      "null              | null  |         | ",
      "nULL              | str   |         | ",
      "True              | bool  | true    | YAML's boolean true",
      "TRUE              | bool  | true    | YAML's boolean true",
      "False             | bool  | false   | YAML's boolean false",
      "FALSE             | bool  | false   | YAML's boolean false",
      "true              | bool  | true    | ",
      "false             | bool  | false   | ",
      "tRUE              | str   |         | ",
      "yes               | str   |         | ",
      "No                | str   |         | ",
      "on                | str   |         | ",
      "'~'               | str   |         | ",
      "\"True\"          | str   |         | ",
      "!!str True        | str   |         | ",
      "012345678901      | str   |         | ",
      "123456789012      | int   |         | ",
      "0x1F              | str   |         | ",
      "0o17              | str   |         | ",
      "+12               | str   |         | ",
      "-1.5e3            | float |         | ",
      ".inf              | float |         | "})
  void scalarsAreTypedAsJsonReadsThemWithYamlsNullsAndBooleans(String text, String tag, Boolean bool, String reading)
      throws Exception {
    org.snakeyaml.engine.v2.nodes.Node node = YamlTree.compose(text, "t").orElseThrow();
    assertThat(node.getTag().getValue()).isEqualTo("tag:yaml.org,2002:" + tag);
    assertThat(YamlTree.isNull(node)).isEqualTo(tag.equals("null"));
    assertThat(YamlTree.bool(node)).isEqualTo(java.util.Optional.ofNullable(bool));
    assertThat(YamlTree.yamlReading(node)).isEqualTo(java.util.Optional.ofNullable(reading));
  }

  /**
   * Keys stay text: JSON has string keys only, every key is a name, and IAM's condition operator Null is
   * written unquoted as a key; only JSON's null (and an empty key) is no key.
   */
  @Test
  void keysThatOnlyYamlReadsAsNullsOrBooleansAreText() throws Exception {
    org.snakeyaml.engine.v2.nodes.MappingNode map = (org.snakeyaml.engine.v2.nodes.MappingNode)
        YamlTree.compose("Null: ~\nTrue: True\n~: 1\nnull: 2\ntrue: 3\n", "t").orElseThrow();
    assertThat(map.getValue()).map(t -> t.getKeyNode().getTag().getValue() + " " + t.getValueNode().getTag().getValue())
        .containsExactly("tag:yaml.org,2002:str tag:yaml.org,2002:null", "tag:yaml.org,2002:str tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:str tag:yaml.org,2002:int", "tag:yaml.org,2002:null tag:yaml.org,2002:int",
            "tag:yaml.org,2002:bool tag:yaml.org,2002:int");
    // an alias key is a name, and the anchored value stays the null it is
    org.snakeyaml.engine.v2.nodes.MappingNode aliased = (org.snakeyaml.engine.v2.nodes.MappingNode)
        YamlTree.compose("a: &n Null\n*n : b\n", "t").orElseThrow();
    assertThat(YamlTree.isNull(aliased.getValue().get(0).getValueNode())).isTrue();
    assertThat(YamlTree.isNull(aliased.getValue().get(1).getKeyNode())).isFalse();
  }

  /** The values of a composed document (as an import keeps a registry's sections) are typed as its nodes. */
  @Test
  void valuesAreTypedAsTheNodes() throws Exception {
    Object values = YamlTree.values(YamlTree.compose(
        "a: TRUE\nb: False\nc: ~\nd: 012345678901\ne: 'True'\nf: yes\ng: 0x1F\nNull: 1\n", "t").orElseThrow());
    java.util.Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("a", true);
    expected.put("b", false);
    expected.put("c", null);
    expected.put("d", "012345678901");
    expected.put("e", "True");
    expected.put("f", "yes");
    expected.put("g", "0x1F");
    expected.put("Null", 1);
    assertThat(values).isEqualTo(expected);
  }

  /** Each message checked against the text: the line and column of the problem, and of where its construct starts. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "||", quoteCharacter = '`', value = {
      "a: 1\\n- b\\n || 2 || at line 2, column 1: a list item (-) where the mapping (it starts at line 1, column 1)"
          + " expects another key: indent the list under its key",
      "- a\\nb: 1\\n || 2 || at line 2, column 1: a key where the list (it starts at line 1, column 1) expects another"
          + " item (- ...): indent the key as far as the other keys of its mapping",
      "a: |\\n  x\\n y\\n || 3 || at line 3, column 2: this line is indented differently from the entries before it"
          + " (it starts at line 1, column 1): line it up with them, or indent it under a key",
      "a: b: c\\n || 1 || at line 1, column 5: a colon where a plain value is expected: put a key on a line of"
          + " its own, indented under its parent, or put a value that holds \": \" in quotes",
      "a: @x\\n || 1 || at line 1, column 4: a value cannot start with '@' unless it is in quotes",
      "a:\\n\\t- x\\n || 2 || at line 2, column 1: a tab character; YAML indents with spaces only",
      "a: [x, y\\n || 2 || at line 2, column 1: the list opened by [ (it starts at line 1, column 4) is not closed:"
          + " a ] (or a comma between its items) is missing",
      "{a: 1\\n || 2 || at line 2, column 1: the mapping opened by { (it starts at line 1, column 1) is not"
          + " closed: a } (or a comma between its entries) is missing",
      "a: 'x\\n || 2 || at line 2, column 1: the quoted value (it starts at line 1, column 4) is never closed:"
          + " a closing quote is missing",
      "a: *nope\\n || 1 || at line 1, column 4: *nope refers to an anchor (&nope) that is not defined before it",
      "&a &b x\\n || 1 || at line 1, column 4: the text cannot be read as YAML here (expected the start of a"
          + " document, but found anchor)",
      "a: 1\\n...\\nb: 2\\n || 3 || at line 3, column 1: the text cannot be read as YAML here (expected the start of a"
          + " document, but found an indented mapping)",
      "--- a\\n--- b\\n || 2 || at line 2, column 1: the text cannot be read as YAML here (but found another document,"
          + " expected a single document in the stream)"})
  void syntaxErrorsSayWhereAndWhat(String text, int line, String message) {
    String yaml = text.replace("\\n", "\n").replace("\\t", "\t");
    assertThatThrownBy(() -> YamlTree.compose(yaml, "t")).isInstanceOfSatisfying(YamlTree.SyntaxError.class, e -> {
      assertThat(e.line()).isEqualTo(line);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void theParsersContextIsKeptInWordsWithoutQuotes() {
    assertThatThrownBy(() -> YamlTree.compose("- !<tag\n", "t")).isInstanceOfSatisfying(YamlTree.SyntaxError.class,
        e -> assertThat(e.getMessage()).startsWith("at line 1, column 8: the text cannot be read as YAML here (expected >,"
            + " but found").endsWith(", while scanning a tag)").doesNotContain("'"));
  }
}
