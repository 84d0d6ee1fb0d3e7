package dev.iamguard.policy.registry;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Checks of the registry's value types, each reporting what is wrong with one value. */
final class RegistryValues {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@+=-]{0,63}");
  private static final Pattern DB_USER = Pattern.compile(
      "arn:aws(-[a-z]+)*:redshift:[a-z0-9-]+:[0-9]{12}:dbuser:[^/\\s]+/\\S+");
  /** Words that mean something else where a role name may stand in SQL. */
  private static final List<String> RESERVED = List.of("default", "session", "all", "public");

  private final Problems problems;

  RegistryValues(Problems problems) {
    this.problems = problems;
  }

  Optional<RoleArn> roleArn(Problems.Item item) {
    RoleArn.Parsed parsed = RoleArn.parse(item.text());
    parsed.problem().ifPresent(why -> problems.add(item.node(), item.path(),
        "\"" + item.text() + "\" is not a role ARN: " + why));
    return parsed.arn();
  }

  Optional<RoleArn> roleArn(Node node, String path) {
    return problems.text(node, path).flatMap(t -> roleArn(new Problems.Item(t, node, path)));
  }

  Optional<String> account(Node node, String path) {
    Optional<String> account = problems.text(node, path);
    String why = account.map(RoleArn::accountProblem).orElse(null);
    if (why != null) {
      problems.add(node, path, why);
      return Optional.empty();
    }
    return account;
  }

  Optional<String> region(Problems.Item item) {
    if (!dev.iamguard.policy.iam.AwsResourceArns.isRegionName(item.text())) {
      problems.add(item.node(), item.path(),
          "region \"" + item.text() + "\" is not a region name like us-west-2");
    } else if (!AwsRegions.known(item.text())) {
      problems.add(item.node(), item.path(), "region \"" + item.text() + "\" is not an AWS region"
          + AwsRegions.nearest(item.text()).map(r -> "; did you mean \"" + r + "\"?").orElse(""));
    } else {
      return Optional.of(item.text());
    }
    return Optional.empty();
  }

  Optional<String> region(Node node, String path) {
    return problems.text(node, path).flatMap(t -> region(new Problems.Item(t, node, path)));
  }

  /** A name SQL may use for a role or a chain: not an ARN, no comma, not a keyword. */
  Optional<String> name(Problems.Item item, String what) {
    String text = item.text();
    if (RESERVED.contains(text.toLowerCase(Locale.ROOT))) {
      problems.add(item.node(), item.path(), what + " \"" + text + "\" is reserved; choose another");
    } else if (text.startsWith("arn:") || !NAME.matcher(text).matches()) {
      problems.add(item.node(), item.path(), what + " \"" + text + "\" must be 1-64 letters,"
          + " digits or _ . @ + = -, starting with a letter or digit");
    } else {
      return Optional.of(text);
    }
    return Optional.empty();
  }

  Optional<S3Prefix> s3(Problems.Item item) {
    S3Prefix.Parsed parsed = S3Prefix.parse(item.text());
    parsed.problem().ifPresent(why -> problems.add(item.node(), item.path(),
        "invalid S3 location" + (S3Prefix.mayHoldUserInfo(item.text()) ? "" : " \"" + item.text() + "\"") + ": " + why
            + " (expected s3://bucket or s3://bucket/prefix)"));
    return parsed.location();
  }

  Optional<String> dbUser(Problems.Item item) {
    if (DB_USER.matcher(item.text()).matches()) {
      return Optional.of(item.text());
    }
    problems.add(item.node(), item.path(), "\"" + item.text() + "\" is not a database user ARN"
        + " like arn:aws:redshift:us-west-2:123456789012:dbuser:my-cluster/user1");
    return Optional.empty();
  }

  /** A Lambda function, Glue database, user or group name: non-empty, no spaces. */
  Optional<String> word(Problems.Item item, String what) {
    if (!item.text().isEmpty() && item.text().chars().noneMatch(Character::isWhitespace)) {
      return Optional.of(item.text());
    }
    problems.add(item.node(), item.path(),
        what + " \"" + item.text() + "\" must be non-empty without spaces");
    return Optional.empty();
  }
}
