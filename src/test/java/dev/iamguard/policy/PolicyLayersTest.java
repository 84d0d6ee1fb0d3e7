package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the policy packages point only down, read from the compiled classes' constant
 * pools (every class, method and field a class uses is named there, whatever the source imports):
 * policy.suggest (least privilege from scripts) over policy.access (the access table, registry
 * validate and diff: they ask the guard) over policy.awscli (registry import) over Guard (the
 * facade) over policy.rules over the API types of policy over policy.registry over policy.iam over
 * policy.yaml. Nothing below the facade uses it, the registry never reaches into
 * the rules or the API, IAM documents never into the registry, and the faces (jdbc, cli, local,
 * audit) use only the suggestion, the facade, the API and the registry. A new upward arrow or cycle
 * fails here.
 */
class PolicyLayersTest {
  /** The layers, top first; a class may use its own layer and those below it. */
  static final List<String> LAYERS =
      List.of("suggest", "access", "awscli", "facade", "rules", "api", "registry", "iam", "yaml");

  private static final Pattern NAME = Pattern.compile("dev/iamguard/[A-Za-z0-9_/$]+");
  /** Each compiled class of the project, by internal name, with the project classes it names. */
  static Map<String, Set<String>> uses;

  @BeforeAll
  static void readClasses() throws IOException, URISyntaxException {
    Path root = Path.of(Guard.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(root).as("compiled classes folder").isDirectory();
    uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("dev/iamguard"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('\\', '/').replaceFirst("\\.class$", "");
        Set<String> named = new TreeSet<>();
        for (String text : utf8Constants(file)) {
          Matcher m = NAME.matcher(text);
          while (m.find()) {
            named.add(m.group());
          }
        }
        named.remove(name);
        uses.put(name, named);
      }
    }
  }

  /** The layer of a policy class, or null for a class outside the policy packages. */
  static String layer(String internalName) {
    if (!internalName.startsWith("dev/iamguard/policy/")) {
      return null;
    }
    String rest = internalName.substring("dev/iamguard/policy/".length());
    if (!rest.contains("/")) {
      return rest.equals("Guard") || rest.startsWith("Guard$") ? "facade" : "api";
    }
    return rest.substring(0, rest.indexOf('/'));
  }

  @Test
  void everyPolicyClassIsInALayer() {
    assertThat(uses.keySet().stream().map(PolicyLayersTest::layer).filter(l -> l != null).distinct())
        .allMatch(LAYERS::contains).containsAll(LAYERS);
  }

  @Test
  void policyArrowsPointOnlyDown() {
    List<String> upward = new ArrayList<>();
    uses.forEach((from, named) -> {
      String fromLayer = layer(from);
      if (fromLayer == null) {
        return;
      }
      for (String to : named) {
        String toLayer = layer(to);
        if (toLayer != null && LAYERS.indexOf(toLayer) < LAYERS.indexOf(fromLayer)) {
          upward.add(from + " (" + fromLayer + ") -> " + to + " (" + toLayer + ")");
        }
      }
    });
    assertThat(upward).as("arrows from a lower layer to a higher one").isEmpty();
  }

  @Test
  void policyKnowsNoJdbcCliOrLocalTarget() {
    List<String> outward = new ArrayList<>();
    uses.forEach((from, named) -> {
      if (layer(from) != null) {
        named.stream().filter(to -> layer(to) == null && !to.startsWith("dev/iamguard/sql/"))
            .forEach(to -> outward.add(from + " -> " + to));
      }
    });
    assertThat(outward).as("policy uses only itself and sql").isEmpty();
  }

  @Test
  void facesUseOnlyTheFacadeTheApiAndTheRegistry() {
    List<String> inward = new ArrayList<>();
    uses.forEach((from, named) -> {
      if (layer(from) == null) {
        named.stream().filter(to -> List.of("rules", "iam", "yaml").contains(String.valueOf(layer(to))))
            .forEach(to -> inward.add(from + " -> " + to));
      }
    });
    assertThat(inward).as("faces reaching past the registry into policy internals").isEmpty();
  }

  @Test
  void thePolicyPackagesHaveNoCycle() {
    Map<String, Set<String>> graph = new LinkedHashMap<>();
    uses.forEach((from, named) -> {
      String fromLayer = layer(from);
      if (fromLayer != null) {
        Set<String> targets = graph.computeIfAbsent(fromLayer, l -> new TreeSet<>());
        named.stream().map(PolicyLayersTest::layer).filter(l -> l != null && !l.equals(fromLayer))
            .forEach(targets::add);
      }
    });
    for (String start : graph.keySet()) {
      assertThat(reaches(graph, start, start, new TreeSet<>())).as("a cycle through " + start + ": " + graph).isFalse();
    }
  }

  private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
    for (String next : graph.getOrDefault(from, Set.of())) {
      if (next.equals(target) || seen.add(next) && reaches(graph, next, target, seen)) {
        return true;
      }
    }
    return false;
  }

  /** The CONSTANT_Utf8 entries of a class file (JVMS 4.4), where every name it uses is spelled. */
  static List<String> utf8Constants(Path classFile) throws IOException {
    List<String> texts = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
      in.readInt(); // magic
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> texts.add(in.readUTF());
          case 7, 8, 16, 19, 20 -> in.skipBytes(2);
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            i++; // a long or double takes two entries
          }
          default -> throw new IOException(classFile + ": unknown constant pool tag " + tag + " at entry " + i);
        }
      }
    }
    return texts;
  }
}
