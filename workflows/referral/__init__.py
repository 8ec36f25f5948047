"""涉嫌拒不支付劳动报酬犯罪移送 (SPEC §4.4): ReferralFlow — flow (routing), forms, steps, starts.

Started by hand by an inspector assigned to the case (startable "referral"): the case must be
eligible (cases.referral.referral_eligibility), or the start answers 400 with the reasons.

    legal_review (法制审核) ─ approved → approve (负责人, 3 days) ─ approved → transfer (24 hours)
        │ returned → amend (承办人) → legal_review / withdrawn        └ not approved → not_approved
        └ ended → ended
    transfer → police_decision (police: 3 days)
        filed     → handover (3 days) → outcome → concluded
        not filed → reconsideration_request (3 days) ─ requested → reconsideration_answer (police: 3 days)
                        └ not requested → not_filed_accepted        filed → handover …
                                                                     upheld → procuratorate_request (3 days) → concluded

The flow routes; each step maps its form to one cases.referral service, which starts and closes
the deadlines (shown on the case page with every other deadline; the sweep marks a missed one
overdue and records "deadline.overdue" on the case timeline). The administrative case goes on
meanwhile: the investigation flow and this one never touch each other.
"""
