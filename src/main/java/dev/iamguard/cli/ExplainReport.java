package dev.iamguard.cli;

import dev.iamguard.sql.SecretText;
import dev.iamguard.sql.AuthClause;
import dev.iamguard.sql.LineText;
import dev.iamguard.sql.Problem;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.Resources;
import dev.iamguard.sql.S3Location;
import dev.iamguard.sql.SqlStatement;
import java.util.List;

/**
 * Writes what the SQL front end found, in the JSON of CLI.md ({@code explain --format json}) or as
 * one line per statement for people. No key or token value is ever written: the model does not
 * hold them.
 */
final class ExplainReport {
  private ExplainReport() {}

  /** Writes one statement's object; nested procedure statements reuse it. */
  static void statement(JsonWriter json, String file, SqlStatement statement) {
    RedshiftCommand command = statement.command();
    json.beginObject();
    location(json, file, statement);
    ContractCommand.write(json, command.kind());
    auth(json, command.auth());
    json.stringArray("catalog_roles", command.catalogRoles());
    resources(json, command.resources());
    json.name("tables").beginObject()
        .field("target", command.targetTable())
        .stringArray("reads", command.query() == null ? List.of() : command.query().reads())
        .endObject();
    extras(json, file, statement);
    json.endObject();
  }

  static void location(JsonWriter json, String file, SqlStatement statement) {
    json.field("file", file)
        .field("index", statement.index())
        .field("line", statement.line())
        .field("column", statement.column());
  }

  private static void auth(JsonWriter json, AuthClause auth) {
    json.name("auth").beginObject()
        .field("form", auth.form().name())
        .field("default", auth.isDefault())
        .stringArray("roles", auth.roles())
        .field("session_token", auth.sessionToken())
        .endObject();
  }

  private static void resources(JsonWriter json, Resources resources) {
    json.name("resources").beginObject().name("s3").beginArray();
    for (S3Location location : resources.s3()) {
      json.value(SecretText.masked(location.uri()));
    }
    json.endArray()
        .field("lambda", resources.lambda())
        .field("sagemaker", resources.sagemaker())
        .field("catalog_database", resources.catalogDatabase())
        .field("secret_arn", resources.secretArn())
        .field("region", resources.region())
        .endObject();
  }

  /** Keys beyond the contract (CLI.md allows extra keys): problems, object, procedure body. */
  private static void extras(JsonWriter json, String file, SqlStatement statement) {
    RedshiftCommand command = statement.command();
    if (command.objectName() != null) {
      json.field("object", command.objectName());
    }
    if (command.kind() == dev.iamguard.sql.CommandKind.SET_SESSION_AUTHORIZATION) {
      json.field("session_user", command.sessionUser());
    }
    resourceDetails(json, command);
    if (command.grant() != null) {
      json.name("grant").beginObject()
          .stringArray("roles", command.grant().roles())
          .field("default", command.grant().onDefault())
          .field("all", command.grant().onAll())
          .stringArray("grantees", command.grant().grantees().stream().map(Object::toString).toList())
          .stringArray("commands", command.grant().commands())
          .endObject();
    }
    json.name("problems").beginArray();
    List<Problem> problems = command.problems();
    int[][] lineColumns = statement.lineAndColumns(problems.stream().mapToInt(Problem::offset).toArray());
    for (int i = 0; i < problems.size(); i++) {
      Problem problem = problems.get(i);
      int[] lineColumn = lineColumns[i];
      json.beginObject()
          .field("kind", problem.kind().name())
          .field("line", lineColumn[0])
          .field("column", lineColumn[1])
          .field("reason", problem.reason())
          .endObject();
    }
    json.endArray();
    if (!command.body().isEmpty() || !command.dynamicAuth().isEmpty()) {
      json.name("body").beginArray();
      for (SqlStatement nested : command.body()) {
        statement(json, file, nested);
      }
      json.endArray().field("dynamic_auth", command.dynamicAuth().size());
    }
  }

  /** Each S3 location with how it is touched, and the non-S3 resources: extra keys (CLI.md allows them). */
  private static void resourceDetails(JsonWriter json, RedshiftCommand command) {
    Resources resources = command.resources();
    if (!resources.s3().isEmpty()) {
      json.name("s3_locations").beginArray();
      for (S3Location location : resources.s3()) {
        json.beginObject().field("uri", SecretText.masked(location.uri())).field("access", location.access().name())
            .field("purpose", location.purpose().name()).field("key_prefix", location.purpose().keyPrefix())
            .endObject();
      }
      json.endArray();
    }
    if (resources.otherSource() != null) {
      json.field("other_source", SecretText.masked(resources.otherSource()));
    }
    if (resources.catalogId() != null) {
      json.field("catalog_id", resources.catalogId());
    }
    if (resources.catalogArn() != null) {
      json.field("catalog_arn", resources.catalogArn());
    }
    dev.iamguard.sql.CommandOption job = command.kind() == dev.iamguard.sql.CommandKind.COPY ? command.option("JOB") : null;
    if (job != null && !job.values().isEmpty()) {
      json.name("copy_job").beginObject().field("action", job.values().get(0))
          .field("name", job.values().size() > 1 ? job.values().get(1) : null).endObject();
    }
  }

  /** The text line of one statement (and of the statements of its procedure body). */
  static void text(StringBuilder out, String file, SqlStatement statement) {
    textLine(out, file, statement, "");
  }

  private static void textLine(StringBuilder out, String file, SqlStatement statement, String indent) {
    RedshiftCommand command = statement.command();
    AuthClause auth = command.auth();
    StringBuilder line = new StringBuilder();
    line.append(file).append(':').append(statement.line()).append(':')
        .append(statement.column()).append(": ").append(command.kind());
    if (auth.form() != dev.iamguard.sql.AuthForm.NONE) {
      line.append(" auth=").append(auth.form());
      if (auth.isDefault()) {
        line.append(" default");
      }
      if (!auth.roles().isEmpty()) {
        line.append(" roles=").append(String.join(",", masked(auth.roles())));
      }
      if (auth.sessionToken()) {
        line.append(" session_token");
      }
    }
    for (S3Location location : command.resources().s3()) {
      line.append(location.access() == S3Location.Access.READ ? " reads=" : " writes=").append(SecretText.masked(location.uri()));
    }
    for (Problem problem : command.problems()) {
      line.append(" [").append(problem.kind()).append(": ").append(problem.reason()).append(']');
    }
    // roles, locations and file names come from outside: one statement is always one line, and
    // what they quote is masked as every report masks it
    out.append(indent).append(LineText.escape(SecretText.masked(line.toString()))).append('\n');
    for (SqlStatement nested : command.body()) {
      textLine(out, file, nested, indent + "  ");
    }
  }

  /**
   * Role texts as reports print them: a value the parser kept as a role may still hold a key pair
   * joined in ways no separator cuts (probe 23d F4: {@code 'AKIA...::wJalr...'}, a secret with a
   * {@code .} after it), so each goes through the last mask.
   */
  private static List<String> masked(List<String> roles) {
    return roles.stream().map(SecretText::masked).toList();
  }
}
