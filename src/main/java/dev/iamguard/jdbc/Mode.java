package dev.iamguard.jdbc;

import java.util.Locale;

/** How the driver acts on decisions. */
public enum Mode {
  /** A denied statement is not sent: the call throws an SQLException with SQLState 42501. */
  ENFORCE,
  /** Decisions are logged; every statement is sent (rewritten when the decision says so). */
  AUDIT,
  /** No inspection: the driver only delegates. */
  OFF;

  /** The mode a registry's {@code policy.mode} names. */
  static Mode of(dev.iamguard.policy.registry.PolicySettings.Mode mode) {
    return switch (mode) {
      case ENFORCE -> ENFORCE;
      case AUDIT -> AUDIT;
      case OFF -> OFF;
    };
  }

  static Mode parse(String text) {
    for (Mode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.strip())) {
        return mode;
      }
    }
    return null;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
