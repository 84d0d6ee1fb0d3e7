package dev.iamguard.policy.yaml;

import dev.iamguard.sql.ShortReadReader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Issue 17: the lean marks ({@link LeanEvents}) and the shared comment lists change what a composed
 * node holds, never what it says. On documents assembled from fragments (anchors and aliases,
 * block and flow collections, literal and folded text, comments, document markers, and broken
 * lines that make syntax errors), {@link YamlTree#compose} gives the tree the engine's own composer
 * gives (each node's kind, value, line and column, a collection's end), or fails at the line the
 * engine's error names; {@link YamlTree#load} gives the engine's own values or the same error.
 */
class LeanEventsProperties {
  static final List<String> MAPPING = List.of(
      "a: 1\n", "b: &x [1, 2, {c: d}]\n", "e: *x\n", "f: |\n  line one\n  line two\n", "g: >\n  folded\n  text\n",
      "# comment\n", "h: 'quoted # not' # comment\n", "i:\n  - 1\n  - 2\n", "j: {a: [b, c], d: e}\n",
      "k: \"dq \\u00e9\"\n", "l: ~\n", "m: True\n", "n:\n", "? complex\n: value\n", "<<: *x\n", "t: !!str 12\n",
      "v: 2026-01-01\n", "w:  x  \n", "&z z: *z\n", "x: s3://lake/a/\n", "y: [arn:aws:iam::1:role/R, 'arn:aws:iam::1:role/S']\n",
      "nested:\n  inner: &n value\n  deeper:\n    - *n\n    - {p: q}\n", "\n");
  static final List<String> SEQUENCE = List.of(
      "- item\n", "- &y {k: v}\n", "- *y\n", "- [1, [2, [3]]]\n", "- key: value\n  other: 2\n", "# comment\n",
      "- |\n  text\n", "- \n", "- - inner\n  - *y\n");
  /** Fragments that break a document somewhere: unclosed, misindented, a tab, an undefined alias, a second document. */
  static final List<String> BROKEN = List.of(
      "o: [\n", "]\n", "p: @bad\n", "q: *undefined\n", "---\n", "...\n", "r: \"unterminated\n", "\t- tab\n",
      "s: a: b\n", "u: [a, b\n", "  - deep\n", "    deeper: 1\n", "- item\n", "a: 1\n");

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.oneOf(document(MAPPING), document(SEQUENCE));
  }

  /** Up to eight fragments of a kind, one in thirteen a broken one. */
  private static Arbitrary<String> document(List<String> fragments) {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(fragments)), Tuple.of(1, Arbitraries.of(BROKEN)))
        .list().ofMinSize(1).ofMaxSize(8).map(parts -> String.join("", parts));
  }

  @Property(tries = 2000)
  void composingSaysWhatTheEnginesComposerSays(@ForAll("documents") String text) {
    Optional<Node> engine;
    int engineLine;
    try {
      engine = new Compose(settings(text)).composeReader(ShortReadReader.of(text));
      engineLine = -1;
    } catch (MarkedYamlEngineException e) {
      engine = null;
      engineLine = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
    } catch (YamlEngineException e) {
      engine = null;
      engineLine = 0;
    }
    try {
      Optional<Node> lean = YamlTree.compose(text, "t");
      assertThat(engine).as("the engine fails at line %d", engineLine).isNotNull();
      assertThat(lean.isPresent()).isEqualTo(engine.isPresent());
      if (lean.isPresent()) {
        assertSame(lean.get(), engine.get(), Collections.newSetFromMap(new IdentityHashMap<>()));
      }
    } catch (YamlTree.SyntaxError e) {
      assertThat(engine).as("the engine composes it").isNull();
      assertThat(e.line()).isEqualTo(engineLine);
    }
  }

  @Property(tries = 2000)
  void bothOutcomesAreReached(@ForAll("documents") String text) {
    boolean composed;
    try {
      YamlTree.compose(text, "t");
      composed = true;
    } catch (YamlTree.SyntaxError e) {
      composed = false;
    }
    // about half and half (46% composed in a run of 2,000)
    Statistics.label("composed").collect(composed).coverage(c -> {
      c.check(true).percentage(p -> p > 20);
      c.check(false).percentage(p -> p > 20);
    });
  }

  @Property(tries = 1000)
  void loadingGivesTheEnginesValues(@ForAll("documents") String text) throws Exception {
    Object engine;
    String engineError;
    try {
      engine = new Load(settings(text)).loadFromReader(ShortReadReader.of(text));
      engineError = null;
    } catch (YamlEngineException e) {
      engine = null;
      engineError = e.getClass().getName() + (e instanceof MarkedYamlEngineException m
          ? m.getProblemMark().or(m::getContextMark).map(Mark::getLine).orElse(-1) : -1);
    }
    try {
      Object lean = YamlTree.load(text, settings(text));
      assertThat(engineError).isNull();
      assertThat(lean).isEqualTo(engine);
    } catch (YamlEngineException e) {
      assertThat(e.getClass().getName() + (e instanceof MarkedYamlEngineException m
          ? m.getProblemMark().or(m::getContextMark).map(Mark::getLine).orElse(-1) : -1)).isEqualTo(engineError);
    }
  }

  private static LoadSettings settings(String text) {
    return LoadSettings.builder().setLabel("t").setCodePointLimit(YamlTree.MAX_CODE_POINTS)
        .setBufferSize(YamlTree.bufferSize(text)).build();
  }

  /** Kind, value (a key's too: only its tag may differ), start, and a collection's end and children. */
  private static void assertSame(Node lean, Node engine, Set<Node> seen) {
    assertThat(lean.getNodeType()).isEqualTo(engine.getNodeType());
    assertThat(position(lean.getStartMark())).isEqualTo(position(engine.getStartMark()));
    if (!seen.add(lean)) {
      return; // an alias: its anchor's node was compared where it stands
    }
    if (lean instanceof ScalarNode scalar) {
      assertThat(scalar.getValue()).isEqualTo(((ScalarNode) engine).getValue());
      return;
    }
    assertThat(position(lean.getEndMark())).isEqualTo(position(engine.getEndMark()));
    if (lean instanceof SequenceNode sequence) {
      List<Node> others = ((SequenceNode) engine).getValue();
      assertThat(sequence.getValue()).hasSameSizeAs(others);
      for (int i = 0; i < others.size(); i++) {
        assertSame(sequence.getValue().get(i), others.get(i), seen);
      }
    } else {
      List<NodeTuple> others = ((MappingNode) engine).getValue();
      List<NodeTuple> tuples = ((MappingNode) lean).getValue();
      assertThat(tuples).hasSameSizeAs(others);
      for (int i = 0; i < others.size(); i++) {
        assertSame(tuples.get(i).getKeyNode(), others.get(i).getKeyNode(), seen);
        assertSame(tuples.get(i).getValueNode(), others.get(i).getValueNode(), seen);
      }
    }
  }

  private static String position(Optional<Mark> mark) {
    return mark.map(m -> m.getLine() + ":" + m.getColumn() + ":" + m.getIndex()).orElse("none");
  }
}
