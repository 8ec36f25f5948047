"""投诉受理 (SPEC §4.1): IntakeFlow and EscalationFlow — flow (routing), forms, steps, starts."""
