"""The rules of early help work, with no I/O: references, dates and ages, families,
thresholds and the profile schema, assessments, plans, panels, consent, due,
reporting arithmetic, retention, outcome frameworks."""
