package dev.iamguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code iamguard registry}: import, validate, schema and diff of the role registry. */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "Builds, checks and compares role registries.",
    subcommands = {RegistryImportCommand.class, RegistryValidateCommand.class, RegistrySchemaCommand.class,
        RegistryDiffCommand.class})
final class RegistryCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: import, validate, schema or diff");
  }
}
