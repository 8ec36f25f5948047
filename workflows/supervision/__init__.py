"""挂牌督办 (SPEC §4.3): SupervisionFlow and SupervisionAlertFlow — flow (routing), forms, steps, starts.

Routing only: each step maps its form to one service of cases.supervision. The process's `region` is the
office that acts on the current step — the supervising office (confirm, close_review) or the case's office
(acknowledge, report) — and each step service moves it, as IntakeFlow does on transfer:

    start (by hand) ───────────────────────────────▶ acknowledge ─▶ report ─▶ route_report
    start_proposal ─▶ confirm ─▶ route_confirm ─(confirmed)─┘                    │  ▲
                                     └─(declined)─▶ declined        apply_close  │  └─ wait_report (Timer:
                                                                         ▼       │     the next interval)
                    closed ◀─(approved)─ route_close ◀─ close_review ◀───┘       └──────(report)──┘
                                              └─(returned)─▶ report

Every human step needs Right.APPROVE (a leader, at its own office) in the process's region:
- confirm, close_review: the supervising office's leader (a city or province leader over the case).
- acknowledge, report (and the closure application, a choice of the report step): the case office's leader.
  The progress report is the office's written report to its superior (书面报告), so its leader signs it;
  the inspectors' work reaches the superior through the case itself (records, ledger, documents), which the
  supervising office reads while the supervision runs. An inspector right would also leave the step with no
  one to take it on a case not (yet) assigned.

SupervisionAlertFlow gives a leader a task when the sweep finds a supervision clock out: a missed report
(the case office's leader: 催报), still missing after one more interval (the supervising office's leader),
an overdue supervision (the next level up: the supervising office's superior, or the province itself).

A supervision is proposed by the minute sweep (workflows.wiring.PERIODIC_CHECKS): every open case whose
province's rules hold (cases.supervision.supervision_rules) and that was never proposed or supervised gets
a proposal for the leader of its office's superior. This needs no hook in the code that files cases or
changes their totals (intake, ledger), and a change by any path is picked up within a minute.
"""
