"""立案调查 (SPEC §4.2): InvestigationFlow, FilingFlow (立案审批), ExtensionFlow (延期) — flow, forms, steps."""
