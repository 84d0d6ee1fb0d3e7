package dev.iamguard.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Counts decisions and findings on a Micrometer registry: {@value #DECISIONS} (tags
 * {@code decision}, {@code mode}, {@code command}, {@code source}) once per decided statement, and
 * {@value #FINDINGS} (tags {@code rule}, {@code decision}, {@code source}) once per rule of its
 * findings. Only auth-carrying statements are decided, so statements without an auth clause are not
 * counted. The one class that names Micrometer, loaded only when it is present
 * ({@link AuditSinks#micrometerPresent()}).
 */
final class MicrometerAuditSink implements AuditSink {
  /** Decisions on statements. */
  static final String DECISIONS = "iamguard.decisions";
  /** Findings, by rule. */
  static final String FINDINGS = "iamguard.findings";

  private final MeterRegistry registry;

  MicrometerAuditSink(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void record(AuditEvent event) {
    String source = event.source() == null ? "default" : event.source();
    Counter.builder(DECISIONS).description("iamguard decisions on auth-carrying statements")
        .tag("decision", event.decision()).tag("mode", event.mode()).tag("command", event.command())
        .tag("source", source).register(registry).increment();
    for (String rule : event.rules()) {
      Counter.builder(FINDINGS).description("iamguard findings by rule")
          .tag("rule", rule).tag("decision", event.decision()).tag("source", source).register(registry).increment();
    }
  }

  /** The sink on Micrometer's global registry, which Spring Boot adds its own registries to. */
  static AuditSink global() {
    return Global.SINK;
  }

  /** Made on first use, so that Micrometer's classes load only then. */
  private static final class Global {
    static final AuditSink SINK = new MicrometerAuditSink(Metrics.globalRegistry);
  }
}
