package dev.iamguard.cli;

import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code iamguard access}: the access a registry grants, as a table (text, JSON) or an HTML page with a graph. */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = "Lists the access the registry grants: user or group -> role or chain -> command -> S3 locations,"
        + " Lambda functions, Glue databases; every line is a statement the guard allows.")
final class AccessCommandLine implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--registry", defaultValue = "registry.yaml", paramLabel = "FILE",
      description = "the role registry (default: ${DEFAULT-VALUE})")
  Path registry;

  @Option(names = "--format", defaultValue = "text", description = "text, json or html (default: ${DEFAULT-VALUE})")
  AccessFormat format;

  @Option(names = "--policy-files-outside",
      description = "let the registry's policy_files lie outside its folder (absolute paths, .., links)")
  boolean policyFilesOutside;

  @Override
  public Integer call() {
    Registry loaded = RegistryFiles.load(registry, policyFilesOutside);
    java.io.PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case text -> AccessReports.text(loaded, out);
      case json -> AccessReports.json(loaded, out);
      case html -> AccessHtml.page(loaded, out);
    }
    return ExitCodes.OK;
  }
}
