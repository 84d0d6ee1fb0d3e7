package dev.iamguard.policy.awscli;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds a registry from what the AWS CLI prints ({@code aws iam get-account-authorization-details},
 * {@code aws redshift describe-clusters}, {@code aws redshift-serverless get-namespace} /
 * {@code get-workgroup}) and a CSV export of {@code SVV_IAM_PRIVILEGES}: clusters with their in-sync
 * roles and default role, the roles Redshift can reach with their real IAM documents, and the
 * ASSUMEROLE grants. What AWS does not know (aliases, named chains, users, external schemas, the
 * {@code policy} settings) can be taken from a hand-kept registry ({@link Request#keep}).
 *
 * <p>The output is stable: clusters, roles, lists and files are sorted, documents keep AWS's key
 * order, nothing depends on time or on where the files were, so a new import of an unchanged
 * account gives the same bytes. It is loaded before it is handed back: an import either gives a
 * registry that loads or fails naming every problem, never half a registry.
 */
public final class RegistryImport {
  /** Where the documents go. */
  public enum Layout {
    /** In files beside the registry ({@code iam/...}), named by {@code policy_files}. */
    FILES,
    /** Inside the registry itself ({@code policy_files} mappings): one self-contained file. */
    EMBEDDED
  }

  /** A file given on the command line: its name (for messages) and its text. */
  public record Input(String name, String text) {}

  /**
   * What to import.
   *
   * @param iam the {@code get-account-authorization-details} outputs
   * @param redshift the {@code describe-clusters} outputs
   * @param serverless the {@code get-namespace} / {@code get-workgroup} outputs
   * @param grants the {@code SVV_IAM_PRIVILEGES} CSV export; empty = no grants section (or the kept one)
   * @param keep a registry whose aliases, chains, users, db_roles, external_schemas, policy (and grants,
   *     without {@code grants}) are taken over
   * @param allRoles every role of the exports, not only those Redshift can reach
   * @param layout where the documents go
   */
  public record Request(List<Input> iam, List<Input> redshift, List<Input> serverless, Optional<Input> grants,
      Optional<Path> keep, boolean allRoles, Layout layout) {
    public Request {
      iam = List.copyOf(iam);
      redshift = List.copyOf(redshift);
      serverless = List.copyOf(serverless);
    }
  }

  /**
   * An imported registry.
   *
   * @param registry the registry YAML
   * @param files the policy files it names, by path relative to it (empty when embedded)
   * @param notes what the import decided that its user should know (roles not in sync, roles
   *     missing from the exports, ...), also written as comments at the top of the registry
   */
  public record Result(String registry, Map<String, String> files, List<String> notes) {
    public Result {
      files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
      notes = List.copyOf(notes);
    }
  }

  /** The file name of the registry {@link Layout#FILES} writes into the output folder. */
  public static final String REGISTRY_FILE = "registry.yaml";

  private RegistryImport() {}

  /** Imports; throws naming every problem of every input. */
  public static Result run(Request request) throws ImportException {
    List<String> problems = new ArrayList<>();
    if (request.iam().isEmpty()) {
      problems.add("no --iam file: give the output of aws iam get-account-authorization-details");
    }
    if (request.redshift().isEmpty() && request.serverless().isEmpty()) {
      problems.add("no --redshift or --serverless file: give the output of aws redshift describe-clusters or"
          + " aws redshift-serverless get-namespace and get-workgroup");
    }
    IamAccountReader iam = new IamAccountReader(problems);
    for (Input input : request.iam()) {
      readAll(input, problems, iam::read);
    }
    iam.requireLastPage();
    RedshiftReader redshift = new RedshiftReader(problems);
    for (Input input : concat(request.redshift(), request.serverless())) {
      readAll(input, problems, redshift::read);
    }
    List<ImportedCluster> clusters = problems.isEmpty() ? redshift.clusters() : List.of();
    List<ImportedGrant> grants = request.grants()
        .map(g -> PrivilegesCsv.read(g.text(), g.name(), problems)).orElse(null);
    Optional<KeptRegistry> kept = request.keep().map(path -> KeptRegistry.read(path, problems));
    if (!problems.isEmpty()) {
      throw new ImportException(problems);
    }
    Set<String> selected = request.allRoles() ? iam.roles().keySet() : RoleSelection.select(iam.roles(),
        iam.policies(), named(clusters, grants, kept));
    RegistryWriter writer = new RegistryWriter(request.layout());
    Result result = writer.write(sources(request), clusters, selected, iam.roles(), iam.policies(),
        grants, kept.orElse(null), problems);
    if (!problems.isEmpty()) {
      throw new ImportException(problems);
    }
    verify(result, writer.places());
    return result;
  }

  private interface DocumentReader {
    void read(AwsJson.Document document, String label);
  }

  private static void readAll(Input input, List<String> problems, DocumentReader reader) {
    try {
      List<AwsJson.Document> documents = AwsJson.read(input.text(), input.name());
      for (AwsJson.Document document : documents) {
        reader.read(document, document.label(documents.size()));
      }
    } catch (ImportException e) {
      problems.addAll(e.problems());
    }
  }

  private static List<Input> concat(List<Input> a, List<Input> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  /** The file names the registry's header names: base names, sorted, so the header does not depend on folders. */
  private static List<String> sources(Request request) {
    Set<String> names = new java.util.TreeSet<>();
    Stream.of(request.iam(), request.redshift(), request.serverless(), request.grants().stream().toList())
        .flatMap(List::stream).forEach(i -> names.add(baseName(i.name())));
    return List.copyOf(names);
  }

  private static String baseName(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(slash + 1);
  }

  /** The roles the clusters, grants and kept registry name. */
  private static Set<String> named(List<ImportedCluster> clusters, List<ImportedGrant> grants,
      Optional<KeptRegistry> kept) {
    Set<String> named = new LinkedHashSet<>();
    for (ImportedCluster cluster : clusters) {
      named.addAll(cluster.attached());
      named.addAll(cluster.pending());
      cluster.defaultRole().ifPresent(named::add);
    }
    if (grants != null) {
      grants.stream().filter(g -> g.on().startsWith("arn:")).forEach(g -> named.addAll(RoleArn.splitChain(g.on())));
    }
    kept.ifPresent(k -> named.addAll(k.namedRoles()));
    return named;
  }

  /**
   * Loads the result as the guard will: an import never hands out a registry that does not load. A
   * problem there names a place of a registry that is not written: each is said with the role and
   * document of the export it holds ({@code places}).
   */
  private static void verify(Result result, Map<String, String> places) throws ImportException {
    Path folder = null;
    try {
      folder = Files.createTempDirectory("iamguard-import");
      for (Map.Entry<String, String> file : result.files().entrySet()) {
        Path path = folder.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
      Path registry = folder.resolve(REGISTRY_FILE);
      Files.writeString(registry, result.registry(), StandardCharsets.UTF_8);
      RegistryLoader.load(registry);
    } catch (RegistryException e) {
      List<String> problems = new ArrayList<>();
      problems.add("the imported registry does not load; nothing was written:");
      String where = String.valueOf(folder);
      e.problems().forEach(p -> problems.add("  " + inExport(p.toString().replace(where, "<output>"), places)));
      throw new ImportException(problems);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the imported registry in a temporary folder", e);
    } finally {
      delete(folder);
    }
  }

  /** A document's place in the registry as a load problem names it (an ARN holds no space). */
  private static final java.util.regex.Pattern PLACE = java.util.regex.Pattern.compile(
      " (roles\\[\\d+]\\.policy_files\\.(?:trust|permissions\\[\\d+])|managed_policies\\.[^ ]+?): ");

  /** {@code problem} with the registry place it names followed by what that place holds in the export. */
  private static String inExport(String problem, Map<String, String> places) {
    java.util.regex.Matcher m = PLACE.matcher(problem);
    String export = m.find() ? places.get(m.group(1)) : null;
    return export == null ? problem : problem.substring(0, m.end(1)) + " (" + export + ")" + problem.substring(m.end(1));
  }

  private static void delete(Path folder) {
    if (folder == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind holds only what was written to standard output or --out
    }
  }

  /** Lower-case keys compare roles as IAM does (names are unique per account ignoring case). */
  static String key(String arn) {
    return arn.toLowerCase(Locale.ROOT);
  }

  static <K, V> Map<K, V> ordered() {
    return new LinkedHashMap<>();
  }
}
