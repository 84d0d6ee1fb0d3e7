package dev.iamguard.policy;

import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.CommandKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RuleId#ARN_MALFORMED}: every role of the chain (and of CATALOG_ROLE) must be a valid role
 * ARN or, with {@code rewrite_aliases}, a registry alias or chain name, which is then rewritten to
 * its ARNs. {@code 'SESSION'} is accepted only where Redshift accepts it.
 */
final class DenyMalformedArn implements Rule {
  @Override
  public void check(Inspection in) {
    List<String> written = in.command.auth().roles();
    if (in.command.auth().isSession() && in.command.auth().form() == AuthForm.IAM_ROLE) {
      if (acceptsSession(in.command.kind())) {
        in.sessionIdentity = true;
      } else {
        in.add(RuleId.ARN_MALFORMED, "SESSION", "IAM_ROLE 'SESSION' is accepted only by CREATE/ALTER "
            + "EXTERNAL SCHEMA and CREATE DATABASE, not by " + in.command.kind(), "name a role ARN");
      }
    } else if (!written.isEmpty()) {
      List<RoleArn> chain = resolve(in, written, true);
      if (chain != null) {
        in.chain = chain;
      }
    }
    List<String> catalog = in.command.catalogRoles();
    if (!catalog.isEmpty() && !(catalog.size() == 1 && "SESSION".equalsIgnoreCase(catalog.get(0)))) {
      List<RoleArn> chain = resolve(in, catalog, false);
      if (chain != null) {
        in.catalogChain = chain;
      }
    }
  }

  private static boolean acceptsSession(CommandKind kind) {
    return kind == CommandKind.CREATE_EXTERNAL_SCHEMA || kind == CommandKind.ALTER_EXTERNAL_SCHEMA
        || kind == CommandKind.CREATE_DATABASE;
  }

  /** The chain as ARNs, or null (with findings) when an element is neither an ARN nor a name. */
  private static List<RoleArn> resolve(Inspection in, List<String> written, boolean rewritable) {
    boolean aliases = in.registry.settings().rewriteAliases();
    List<RoleArn> chain = new ArrayList<>(written.size());
    boolean renamed = false;
    boolean ok = true;
    for (String element : written) {
      RoleArn.Parsed parsed = RoleArn.parse(element);
      if (parsed.arn().isPresent()) {
        chain.add(parsed.arn().get());
        continue;
      }
      List<RoleArn> named = aliases ? byName(in.registry, element, written.size()) : null;
      if (named != null) {
        chain.addAll(named);
        renamed = true;
      } else {
        ok = false;
        in.add(RuleId.ARN_MALFORMED, element, "'" + element + "' is not a role ARN ("
                + parsed.problem().orElse("malformed") + ")" + (aliases ? " and no alias or chain in the registry has that name" : ""),
            "write arn:aws:iam::<12-digit account>:role/<name>" + (aliases ? ", or add the alias to " + in.registryFile()
                : "; aliases are rewritten only with policy.rewrite_aliases: true"));
      }
    }
    if (ok && renamed) {
      ok = rewrite(in, chain, rewritable, String.join(",", written));
    }
    return ok ? chain : null;
  }

  private static List<RoleArn> byName(Registry registry, String name, int elements) {
    Optional<ChainConfig> chain = elements == 1 ? registry.chain(name) : Optional.empty();
    if (chain.isPresent()) {
      return chain.get().roles();
    }
    return registry.roleByAlias(name).map(role -> List.of(role.arn())).orElse(null);
  }

  /** Aliases can be rewritten only in an IAM_ROLE literal the guard can replace in place. */
  private static boolean rewrite(Inspection in, List<RoleArn> chain, boolean authClause, String subject) {
    String why = !authClause ? "aliases are not rewritten in CATALOG_ROLE"
        : in.command.auth().form() != AuthForm.IAM_ROLE ? "aliases are rewritten only in IAM_ROLE clauses, not in CREDENTIALS"
        : !in.statement.rewritable() ? "it stands in a single-quoted procedure body or in the text of EXECUTE, "
            + "which cannot be rewritten in place"
        : null;
    if (why != null) {
      in.add(RuleId.ARN_MALFORMED, subject, "'" + subject + "' names a registry alias but " + why,
          "write the role ARNs");
      return false;
    }
    in.rewrite = "'" + String.join(",", chain.stream().map(RoleArn::toString).toList()) + "'";
    return true;
  }
}
