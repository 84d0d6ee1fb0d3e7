package dev.iamguard.policy.yaml;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingEndEvent;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.events.SequenceEndEvent;
import org.snakeyaml.engine.v2.events.SequenceStartEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * The parser's events with marks that keep a position and nothing else, for the events the composer
 * turns into nodes. The engine's mark holds the reader's window of the text (an {@code int} per
 * character, the whole text when it fits the buffer {@link YamlTree#bufferSize} sets), and every
 * node keeps its marks: a composed 3.4 MB registry held 14 MB of such windows and 336,000 marks.
 * Problems name a node's line (its start mark) and nothing reads a scalar's end, so a scalar's end
 * mark is its start mark (one object); a list's or mapping's end keeps its own position. Events of
 * other kinds pass unchanged: an alias's mark, the one a composer error names, still shows its text.
 */
final class LeanEvents {
  private static final int[] NO_TEXT = new int[0];

  private LeanEvents() {}

  /** {@code event} with lean marks, when it becomes (part of) a node; otherwise itself. */
  static Event of(Event event) {
    if (event instanceof ScalarEvent scalar) {
      Optional<Mark> start = lean(scalar.getStartMark()); // the engine wants both marks or neither
      return new ScalarEvent(scalar.getAnchor(), scalar.getTag(), scalar.getImplicit(), scalar.getValue(),
          scalar.getScalarStyle(), start, start);
    }
    if (event instanceof MappingStartEvent start) {
      return new MappingStartEvent(start.getAnchor(), start.getTag(), start.isImplicit(), start.getFlowStyle(),
          lean(start.getStartMark()), lean(start.getEndMark()));
    }
    if (event instanceof SequenceStartEvent start) {
      return new SequenceStartEvent(start.getAnchor(), start.getTag(), start.isImplicit(), start.getFlowStyle(),
          lean(start.getStartMark()), lean(start.getEndMark()));
    }
    if (event instanceof MappingEndEvent end) {
      return new MappingEndEvent(lean(end.getStartMark()), lean(end.getEndMark()));
    }
    if (event instanceof SequenceEndEvent end) {
      return new SequenceEndEvent(lean(end.getStartMark()), lean(end.getEndMark()));
    }
    return event;
  }

  /** The same position (name, index, line, column) without the text around it. */
  static Optional<Mark> lean(Optional<Mark> mark) {
    return mark.map(m -> new Mark(m.getName(), m.getIndex(), m.getLine(), m.getColumn(), NO_TEXT, 0));
  }
}
