package dev.iamguard.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    return withStdin("", args);
  }

  static CliRun withStdin(String stdin, String... args) {
    InputStream saved = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
      return new CliRun(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  /** Standard output read as JSON (YAML 1.2 reads JSON). */
  Map<String, Object> json() {
    return json(out);
  }

  /** A JSON text read (YAML 1.2 reads JSON). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) new Load(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build()).loadFromString(text);
  }
}
