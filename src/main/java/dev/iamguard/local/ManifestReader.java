package dev.iamguard.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a COPY manifest ({@code {"entries": [{"url": "s3://...", "mandatory": true}, ...]}}, UTF-8
 * JSON). Each url names one object, not a prefix. A missing entry is skipped unless it is
 * mandatory (the default is false; a {@code mandatory} that is no JSON boolean fails the load); extra keys such as UNLOAD's {@code meta} are ignored; and,
 * whatever the mandatory flags, finding no file at all fails the load.
 */
final class ManifestReader {
  /** Far more than a manifest needs, far less than would exhaust a thread's stack. */
  private static final int MAX_DEPTH = 64;
  /**
   * The longest manifest read, in bytes: AWS documents no limit, and an S3 key has at most 1,024
   * bytes, so 16 MB holds over 14,000 entries of the longest urls and about 190,000 of ordinary ones,
   * and is read, checked and loaded in a 256 MB heap; more is a load error naming the manifest.
   */
  static final int MAX_BYTES = 16 << 20;
  /** The longest string, number or word of a manifest: a url of the longest key, escaped, is well below. */
  static final int MAX_SCALAR = 16 * 1024;

  private ManifestReader() {}

  /** The files {@code manifest} lists; an entry {@code readable} refuses (when given) fails the load with 42501. */
  static List<ObjectStore.StoredObject> read(ObjectStore store, S3Uri manifest, Predicate<String> readable)
      throws SQLException {
    Path file = store.pathToRead(manifest);
    if (!Files.isRegularFile(file)) {
      throw SqlStates.io("COPY manifest " + manifest + " does not exist (local S3 folder " + store.root() + ")", null);
    }
    Object document;
    try {
      String text = text(manifest, file);
      refuseHostileShape(manifest, text);
      String malformed = JsonSyntax.problem(text);
      if (malformed != null) { // YAML reads more than JSON: Redshift refuses such a manifest
        throw SqlStates.io("COPY manifest " + manifest + " is not JSON: " + malformed, null);
      }
      // no limit of the engine's own (3 MB of text): MAX_BYTES bounds the text
      LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
      document = new Load(settings).loadFromReader(dev.iamguard.sql.ShortReadReader.of(text));
    } catch (IOException | YamlEngineException e) {
      throw SqlStates.io("COPY manifest " + manifest + " cannot be read as JSON: " + firstLine(e.getMessage()), e);
    }
    if (!(document instanceof Map<?, ?> root) || !(root.get("entries") instanceof List<?> entries)) {
      throw SqlStates.io("COPY manifest " + manifest + " has no \"entries\" array", null);
    }
    List<ObjectStore.StoredObject> objects = new ArrayList<>();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> fields) || !(fields.get("url") instanceof String url)) {
        throw SqlStates.io("COPY manifest " + manifest + " has an entry without a \"url\" string", null);
      }
      Object mandatory = fields.get("mandatory");
      if (fields.containsKey("mandatory") && !(mandatory instanceof Boolean)) {
        // read as false, a missing file the script called mandatory was skipped without a word
        throw SqlStates.io("COPY manifest " + manifest + " gives \"mandatory\" of " + url + " as "
            + (mandatory instanceof String ? "the string \"" + mandatory + "\"" : String.valueOf(mandatory))
            + "; it takes the JSON boolean true or false", null);
      }
      S3Uri uri = S3Uri.parse(url);
      if (readable != null && !readable.test(url)) {
        throw SqlStates.notPermitted("COPY manifest " + manifest + " lists " + uri + ", which the role (or keys) the"
            + " COPY acts as may not read under the registry; the guard checked the manifest, and AWS would refuse"
            + " the entry when the COPY runs, so the local S3 emulation does too");
      }
      // a key ending in '/' names a folder marker, which no file of the local S3 folder holds: an entry
      // not there, skipped unless mandatory (its path would have an empty last segment, which is refused)
      boolean folderMarker = uri.key().endsWith("/");
      Path data = folderMarker ? null : store.pathToRead(uri);
      if (data != null && Files.isRegularFile(data)) {
        objects.add(new ObjectStore.StoredObject(uri, data));
      } else if (Boolean.TRUE.equals(fields.get("mandatory"))) {
        throw SqlStates.io("COPY manifest " + manifest + " lists mandatory file " + uri
            + ", which does not exist (local S3 folder " + store.root() + ")"
            + (folderMarker ? "; a key ending in '/' is a folder marker, which the local S3 folder cannot hold" : ""),
            null);
      }
    }
    if (objects.isEmpty()) {
      throw SqlStates.io("COPY manifest " + manifest + " lists no file that exists", null);
    }
    return objects;
  }

  /**
   * The manifest's text, refused beyond {@link #MAX_BYTES} before more is read (the size is asked
   * first, and the read stops after the limit whatever the file grew to since), and refused when it
   * is no UTF-8.
   */
  private static String text(S3Uri manifest, Path file) throws IOException, SQLException {
    long size = Files.size(file);
    byte[] bytes;
    if (size <= MAX_BYTES) {
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      size = Math.max(size, bytes.length);
    } else {
      bytes = null;
    }
    if (size > MAX_BYTES) {
      throw SqlStates.io("COPY manifest " + manifest + " is " + size + " bytes, more than the " + MAX_BYTES
          + " bytes (16 MB) a manifest may have in the local S3 emulation; a manifest lists objects, about"
          + " 100 bytes an entry (an S3 key has at most 1,024), so split the load into several manifests", null);
    }
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }

  /**
   * One linear pass over the text before any parser sees it. Nesting is bounded: the syntax check
   * and the loader build nested values recursively, so thousands of levels would overflow the stack
   * (a manifest has two). So is every string, number or word: SnakeYAML's scanner takes seconds per
   * megabyte of one scalar (a 10 MB string took 70 s, then exhausted the heap), while a manifest's
   * longest is a url. Strings are read as JSON writes them, so what lies in one is never counted as
   * structure; the syntax check that follows fails at the first place where text is no JSON, before
   * anything past it counts.
   */
  private static void refuseHostileShape(S3Uri manifest, String text) throws SQLException {
    int depth = 0;
    int scalar = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '"') {
          inString = false;
          continue;
        }
        if (c == '\\') {
          i++; // the escaped character: an escaped quote ends nothing
          scalar++;
        }
        scalar++;
      } else if (c == '"') {
        inString = true;
        scalar = 0;
      } else if (c == '{' || c == '[') {
        scalar = 0;
        if (++depth > MAX_DEPTH) {
          throw SqlStates.io("COPY manifest " + manifest + " nests more than " + MAX_DEPTH
              + " levels of objects or arrays; a manifest has two", null);
        }
      } else if (c == '}' || c == ']') {
        scalar = 0;
        depth--;
      } else {
        scalar = c == ',' || c == ':' || Character.isWhitespace(c) ? 0 : scalar + 1;
      }
      if (scalar > MAX_SCALAR) {
        throw SqlStates.io("COPY manifest " + manifest + " holds a string or value longer than " + MAX_SCALAR
            + " characters (at character " + i + "); a manifest's longest is a url, whose S3 key has at most"
            + " 1,024 bytes", null);
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
