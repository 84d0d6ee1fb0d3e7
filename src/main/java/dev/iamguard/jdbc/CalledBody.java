package dev.iamguard.jdbc;

import java.util.List;

/**
 * The body of a procedure a {@code CALL} runs, as the server's catalog holds it, written back as
 * the {@code CREATE PROCEDURE} text the guard reads bodies from.
 */
final class CalledBody {
  private CalledBody() {}

  /**
   * {@code CREATE PROCEDURE name() AS $tag$body$tag$ LANGUAGE plpgsql}, with a dollar-quote tag the
   * body does not hold, so that the body is read whole and as written.
   */
  static String asProcedure(List<String> name, String body) {
    String tag = "$iamguard_body$";
    for (int n = 0; body.contains(tag); n++) {
      tag = "$iamguard_body" + n + "$";
    }
    StringBuilder text = new StringBuilder(body.length() + 80).append("CREATE PROCEDURE ");
    for (int i = 0; i < name.size(); i++) {
      text.append(i == 0 ? "" : ".").append('"').append(name.get(i).replace("\"", "\"\"")).append('"');
    }
    return text.append("() AS ").append(tag).append(body).append(tag).append(" LANGUAGE plpgsql").toString();
  }
}
