package dev.iamguard.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a COPY manifest ({@code {"entries": [{"url": "s3://...", "mandatory": true}, ...]}}, UTF-8
 * JSON). Each url names one object, not a prefix. A missing entry is skipped unless it is
 * mandatory (the default is false); extra keys such as UNLOAD's {@code meta} are ignored; and,
 * whatever the mandatory flags, finding no file at all fails the load.
 */
final class ManifestReader {
  /** Far more than a manifest needs, far less than would exhaust a thread's stack. */
  private static final int MAX_DEPTH = 64;

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
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // no limit of the engine's own (3 MB of text): a manifest of 20,000 files is about as long
      LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
      refuseDeepNesting(manifest, text, settings);
      String malformed = JsonSyntax.problem(text);
      if (malformed != null) { // YAML reads more than JSON: Redshift refuses such a manifest
        throw SqlStates.io("COPY manifest " + manifest + " is not JSON: " + malformed, null);
      }
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
   * A manifest is two levels deep; the loader builds nested values recursively, so thousands of
   * levels would overflow the stack. The event parser is not recursive: it counts the depth first.
   */
  private static void refuseDeepNesting(S3Uri manifest, String text, LoadSettings settings) throws SQLException {
    int depth = 0;
    for (Iterator<Event> events = new Parse(settings).parseReader(dev.iamguard.sql.ShortReadReader.of(text)).iterator(); events.hasNext(); ) {
      Event event = events.next();
      if (event instanceof CollectionStartEvent) {
        if (++depth > MAX_DEPTH) {
          throw SqlStates.io("COPY manifest " + manifest + " nests more than " + MAX_DEPTH
              + " levels of objects or arrays; a manifest has two", null);
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
