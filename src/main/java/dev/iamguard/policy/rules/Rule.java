package dev.iamguard.policy.rules;

/**
 * One check of the guard: reads the {@link Inspection} and adds the findings of the rule it is
 * named for. Rules run in a fixed order; a rule that needs what an earlier one could not
 * establish (a known role, a resolved chain) does nothing.
 */
interface Rule {
  void check(Inspection in);
}
