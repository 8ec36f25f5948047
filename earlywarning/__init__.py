"""Early warning (欠薪预警): the monthly wage check of every project under construction and the other
sources of warning signals (complaint clusters, listed units, stopped projects, signals entered by hand).
Sits above projects and below the flows (workflows.earlywarning turns signals into work)."""
