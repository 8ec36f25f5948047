"""The deposits' flows (issue 17): the drawdown of a project's wage guarantee deposit on a case (started when
the inspector draws; the bank's payment, then the top-up: the case's assigned inspector) and the emergency
wage fund's advance (started when the inspector asks; the leader of the case's office approves)."""
