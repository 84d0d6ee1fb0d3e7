package dev.iamguard.cli;

import dev.iamguard.policy.registry.RegistrySchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code iamguard registry schema}: prints the registry's JSON Schema, for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Prints the JSON Schema of the registry format (for editors: completion and checks).")
final class RegistrySchemaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(RegistrySchema.text());
    return ExitCodes.OK;
  }
}
