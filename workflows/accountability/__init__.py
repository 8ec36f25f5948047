"""Flows of SPEC §4.5: credit listing (ListingFlow), early removal from the list (RemovalFlow) and official
accountability (AccountabilityFlow) — flow (routing), forms, steps, starts.

Who acts on each step (cases.scope rights, checked by HumanStep on the process's region):

ListingFlow (process region = the case's handling office, which decides: DL2021 "谁执法、谁认定")
  start          an inspector assigned to the case (startable "listing": case_no + responsible persons);
                 refused with the criteria's reasons (400) unless accountability.listing.listing_criteria holds.
                 The proposal and the numbered notice (LISTING_NOTICE) are made in the start.
  defence        Timer: the defence window ("listing.defence", the province's listing_defence_wd working days);
                 the employer submits on the public page meanwhile.
  close_defence  Function: the window is closed, the proposal goes to legal review.
  legal_review   Right.LEGAL_REVIEW at the office; not passed → not listed (no decision without it).
  decision       Right.APPROVE (the office's leader) → LISTING_DECISION, listed and published for 3 years.
RemovalFlow (started by an application on the public page: accountability.listing.on_removal_applied, connected
               in workflows.wiring)
  legal_review   Right.LEGAL_REVIEW at the deciding office; not passed → refused.
  decision       Right.APPROVE at the deciding office → REMOVED_EARLY, or refused.
AccountabilityFlow (process region = the deciding office, the level above the office held to account)
  start          automatic (overdue supervision, case overdue, group incident) or startable "accountability":
                 a city / province leader on a case of an office below (Right.SUPERVISE on the case).
  fact_finding   Right.APPROVE at the deciding office: its leader. Not an auditor: SPEC §2 makes auditors
                 read-only ("every write is refused"); not the deciding office's legal reviewer: its scope is
                 its own office's cases, not the office below.
  decision       Right.APPROVE at the deciding office → ACCOUNTABILITY_DECISION issued in its name.
  notice         Right.APPROVE at the deciding office: the service of the decision (送达) is recorded.
"""
