"""Scheduling selectors (reads), one module per sub-domain: forecasting, requests, rosters
(visibility, series, shifts), the solver's input (roster_problem, roster_demand, roster_people),
the rules' view of a roster (roster_rules), diffs, working time and the review."""
