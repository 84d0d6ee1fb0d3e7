package dev.iamguard.cli;

import dev.iamguard.sql.ShortReadReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads a baseline file as a stream of YAML events, keeping only what it accepts (file ->
 * fingerprint -> count): loading the document whole built a node and an object for every value of
 * every entry, about 34 bytes of heap per byte of file, so a baseline of 80,000 findings (9 MB) ran
 * a 256 MB heap out of memory whatever the script. Values are typed as loading types them (the
 * schema's resolver and constructor, one scalar at a time), so the same files are accepted and
 * refused with the same messages; a file holding an alias, which no baseline written by
 * {@code check} holds, is refused.
 */
final class BaselineReader {
  private final Path file;
  private final LoadSettings settings;
  private final StandardConstructor constructor;
  private Iterator<Event> events;
  private Event pending;

  private BaselineReader(Path file) {
    this.file = file;
    this.settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
    this.constructor = new StandardConstructor(settings);
  }

  /** What the baseline {@code file} accepts; refusing, as {@link Baseline#load} says, what is not one. */
  static Map<String, Map<String, Integer>> read(Path file) {
    BaselineReader reader = new BaselineReader(file);
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      reader.events = new Parse(reader.settings).parseReader(new ShortReadReader(in)).iterator();
      return reader.document();
    } catch (IOException | YamlEngineException e) {
      throw new CliException(file + ": cannot read the baseline: " + firstLine(e));
    }
  }

  private static String firstLine(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
  }

  private Map<String, Map<String, Integer>> document() {
    next(); // the stream's start
    Map<String, Map<String, Integer>> accepted = new HashMap<>();
    Object version = null;
    boolean findings = false;
    int invalid = -1;
    if (peek().getEventId() == Event.ID.DocumentStart) {
      next();
      if (peek().getEventId() == Event.ID.MappingStart) {
        next();
        Set<Object> keys = new HashSet<>();
        while (peek().getEventId() != Event.ID.MappingEnd) {
          Object key = scalarOrSkip();
          distinct(keys, key);
          if ("iamguard_baseline".equals(key)) {
            version = scalarOrSkip();
          } else if ("findings".equals(key) && peek().getEventId() == Event.ID.SequenceStart) {
            findings = true;
            invalid = entries(accepted);
          } else {
            skip();
          }
        }
        next();
      } else {
        skip();
      }
      next(); // the document's end
    }
    if (peek().getEventId() != Event.ID.StreamEnd) {
      throw new CliException(file + ": cannot read the baseline: expected a single document in the stream");
    }
    if (!Integer.valueOf(Baseline.VERSION).equals(version) || !findings) {
      throw new CliException(file + ": not an iamguard baseline (version " + Baseline.VERSION
          + "): write one with check --write-baseline");
    }
    if (invalid >= 0) {
      throw new CliException(file + ": findings[" + invalid + "] needs file, fingerprint and a count of at least 1");
    }
    return accepted;
  }

  /** Reads the findings into {@code accepted}; returns the index of the first invalid one, or -1. */
  private int entries(Map<String, Map<String, Integer>> accepted) {
    next();
    int invalid = -1;
    for (int n = 0; peek().getEventId() != Event.ID.SequenceEnd; n++) {
      if (peek().getEventId() != Event.ID.MappingStart) {
        skip();
        invalid = invalid < 0 ? n : invalid;
        continue;
      }
      next();
      Map<Object, Object> entry = new HashMap<>();
      while (peek().getEventId() != Event.ID.MappingEnd) {
        Object key = scalarOrSkip();
        if (key != NOT_A_SCALAR && entry.containsKey(key)) {
          throw duplicate(key);
        }
        entry.put(key, scalarOrSkip());
      }
      next();
      if (entry.get("file") instanceof String name && entry.get("fingerprint") instanceof String fingerprint
          && entry.get("count") instanceof Integer count && count >= 1) {
        if (invalid < 0) {
          accepted.computeIfAbsent(name, k -> new HashMap<>()).merge(fingerprint, count, Integer::sum);
        }
      } else {
        invalid = invalid < 0 ? n : invalid;
      }
    }
    next();
    return invalid;
  }

  /** A mapping's key once: loading refuses a key given twice. */
  private void distinct(Set<Object> keys, Object key) {
    if (!keys.add(key) && key != NOT_A_SCALAR) {
      throw duplicate(key);
    }
  }

  private CliException duplicate(Object key) {
    return new CliException(file + ": cannot read the baseline: found duplicate key " + key);
  }

  /** Stands for a collection where a scalar was expected: equal to no value a scalar makes. */
  private static final Object NOT_A_SCALAR = new Object();

  /** The next node's value when it is a scalar (typed as loading types it); else skips it. */
  private Object scalarOrSkip() {
    Event event = peek();
    if (event.getEventId() != Event.ID.Scalar) {
      skip();
      return NOT_A_SCALAR;
    }
    next();
    ScalarEvent scalar = (ScalarEvent) event;
    Optional<String> tag = scalar.getTag();
    Tag type = tag.isEmpty() || tag.get().equals("!")
        ? settings.getSchema().getScalarResolver().resolve(scalar.getValue(), scalar.getImplicit().canOmitTagInPlainScalar())
        : new Tag(tag.get());
    return constructor.constructSingleDocument(Optional.of(new ScalarNode(type, scalar.getValue(), scalar.getScalarStyle())));
  }

  /** Skips the next node, with everything inside it. */
  private void skip() {
    int depth = 0;
    do {
      Event event = next();
      switch (event.getEventId()) {
        case MappingStart, SequenceStart -> depth++;
        case MappingEnd, SequenceEnd -> depth--;
        default -> { }
      }
    } while (depth > 0);
  }

  private Event peek() {
    if (pending == null) {
      pending = advance();
    }
    return pending;
  }

  private Event next() {
    Event event = peek();
    pending = null;
    return event;
  }

  /** The next event other than a comment; an alias is refused. */
  private Event advance() {
    while (true) {
      Event event = events.next();
      if (event.getEventId() == Event.ID.Alias) {
        throw new CliException(file + ": cannot read the baseline: it holds an alias (*), which a baseline does not");
      }
      if (event.getEventId() != Event.ID.Comment) {
        return event;
      }
    }
  }
}
