"""欠薪预警处置: every warning signal becomes work (issue 16 item 3).

start (a signal opened: the sweep starts one flow per open signal without one)
  → triage (an inspector of the signal's region):
      dismiss (with the reason) → end
      explain (the unit explains within the province's working days) → explanation (recorded) → triage
      interview (约谈, its record) → end
      case (a proactive case through FilingFlow, the signal's evidence in the proposal; the leader files it,
            the ledger is pre-filled from the shortfall and the case's timeline names the signal) → end
SignalEscalationFlow: a red signal not handled by its due day → its office's leader (the sweep).
"""
