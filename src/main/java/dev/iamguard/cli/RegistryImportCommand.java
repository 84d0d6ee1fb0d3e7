package dev.iamguard.cli;

import dev.iamguard.policy.awscli.ImportException;
import dev.iamguard.policy.awscli.RegistryImport;
import dev.iamguard.sql.LineText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard registry import}: a registry from what the AWS CLI prints. With {@code --out DIR}
 * the registry and its policy files are written there; without, the registry (documents embedded)
 * goes to standard output. Notes go to standard error.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Builds a registry from aws iam get-account-authorization-details, aws redshift describe-clusters,"
        + " aws redshift-serverless get-namespace/get-workgroup and an SVV_IAM_PRIVILEGES CSV export.")
final class RegistryImportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--iam", arity = "1..*", required = true, paramLabel = "FILE",
      description = "aws iam get-account-authorization-details output (one or more files; pages may be concatenated)")
  List<Path> iam = new ArrayList<>();

  @Option(names = "--redshift", arity = "1..*", paramLabel = "FILE", description = "aws redshift describe-clusters output")
  List<Path> redshift = new ArrayList<>();

  @Option(names = "--serverless", arity = "1..*", paramLabel = "FILE",
      description = "aws redshift-serverless get-namespace and get-workgroup output")
  List<Path> serverless = new ArrayList<>();

  @Option(names = "--grants", paramLabel = "FILE", description = "CSV export of SVV_IAM_PRIVILEGES (with a header row)")
  Path grants;

  @Option(names = "--keep", paramLabel = "FILE",
      description = "a registry whose aliases, chains, grants, users, db_roles, external_schemas and policy are kept")
  Path keep;

  @Option(names = "--all-roles", description = "every role of the exports, not only those Redshift can reach")
  boolean allRoles;

  @Option(names = "--out", paramLabel = "DIR",
      description = "write DIR/" + RegistryImport.REGISTRY_FILE + " and its policy files (iam/...) there")
  Path out;

  @Override
  public Integer call() {
    RegistryImport.Layout layout = out != null ? RegistryImport.Layout.FILES : RegistryImport.Layout.EMBEDDED;
    if (keep != null && !Files.isRegularFile(keep)) {
      throw new CliException(keep + ": no such registry file (--keep)");
    }
    RegistryImport.Request request = new RegistryImport.Request(inputs(iam, "--iam"), inputs(redshift, "--redshift"),
        inputs(serverless, "--serverless"), Optional.ofNullable(grants).map(g -> input(g, "--grants")),
        Optional.ofNullable(keep), allRoles, layout);
    RegistryImport.Result result;
    try {
      result = RegistryImport.run(request);
    } catch (ImportException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("iamguard: registry import failed; nothing was written:");
      e.problems().forEach(p -> err.println(LineText.escape(p)));
      return ExitCodes.ERROR;
    }
    PrintWriter err = spec.commandLine().getErr();
    result.notes().forEach(n -> err.println("iamguard: note: " + n));
    if (out == null) {
      spec.commandLine().getOut().print(result.registry());
      return ExitCodes.OK;
    }
    write(result, err);
    return ExitCodes.OK;
  }

  /**
   * Puts the registry and its policy files in place all or none ({@link AtomicFile#replaceAll}): the
   * registry names its documents by path, so new documents beside an old registry (or the reverse)
   * would describe roles that exist nowhere. The registry goes last; on a failure every file is as it
   * was and the folders made for the documents are removed again.
   */
  private void write(RegistryImport.Result result, PrintWriter err) {
    Map<String, String> contents = new LinkedHashMap<>(result.files());
    contents.put(RegistryImport.REGISTRY_FILE, result.registry());
    List<Path> madeFolders = new ArrayList<>();
    Map<Path, Path> staged = new LinkedHashMap<>();
    Map<Path, String> whats = new java.util.HashMap<>(); // a target (through a link: the file it names) to what it is
    List<String> stale;
    try {
      stale = stale(result);
      for (Map.Entry<String, String> file : contents.entrySet()) {
        Path target = out.resolve(file.getKey());
        makeFolders(target.getParent(), madeFolders);
        if (Files.isDirectory(target)) {
          throw new CliException(target + ": cannot write " + what(file.getKey()) + ": it is a folder; nothing was"
              + " written");
        }
        Path temporary = AtomicFile.temporaryBeside(target, what(file.getKey()));
        Path content = AtomicFile.contentOf(target, what(file.getKey()));
        staged.put(temporary, content);
        whats.put(content, what(file.getKey()));
        Files.writeString(temporary, file.getValue(), StandardCharsets.UTF_8);
      }
      AtomicFile.replaceAll(staged, whats::get);
    } catch (IOException | CliException e) {
      staged.keySet().forEach(AtomicFile::delete);
      removeFolders(madeFolders);
      throw e instanceof CliException cli ? cli : new CliException(out + ": cannot write the imported registry: "
          + e.getClass().getSimpleName() + " " + e.getMessage() + "; nothing was written");
    }
    for (String file : stale) {
      err.println("iamguard: note: " + file + " is no longer named by the registry; delete it if nothing else uses it");
    }
    err.println("iamguard: wrote " + out.resolve(RegistryImport.REGISTRY_FILE) + " and " + result.files().size()
        + " policy files");
  }

  private static String what(String file) {
    return file.equals(RegistryImport.REGISTRY_FILE) ? "the imported registry" : "an imported policy document";
  }

  /** Makes {@code folder} and the folders above it that are missing, recording each one made. */
  private static void makeFolders(Path folder, List<Path> made) throws IOException {
    if (folder == null || Files.isDirectory(folder)) {
      return;
    }
    makeFolders(folder.getParent(), made);
    Files.createDirectory(folder);
    made.add(folder);
  }

  /** Removes the folders an import that failed made, deepest first; one that holds a file stays. */
  private static void removeFolders(List<Path> made) {
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(made.get(i));
      } catch (IOException ignored) {
        // not empty (something else wrote there meanwhile): it is kept
      }
    }
  }

  /** Policy files of an earlier import in the same folder that this one no longer names. */
  private List<String> stale(RegistryImport.Result result) throws IOException {
    Path iamFolder = out.resolve("iam");
    if (!Files.isDirectory(iamFolder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(iamFolder)) {
      return files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !result.files().containsKey(p)).sorted().toList();
    }
  }

  private static List<RegistryImport.Input> inputs(List<Path> files, String option) {
    return files.stream().map(f -> input(f, option)).toList();
  }

  private static RegistryImport.Input input(Path file, String option) {
    return new RegistryImport.Input(file.toString(), InputFiles.read(file, option + " file"));
  }
}
