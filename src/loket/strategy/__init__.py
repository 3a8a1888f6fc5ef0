"""The strategy document per organisation: goals and KPIs, profiles and their roles, service hours,
response norms, tone of voice, approval, routing and escalation rules, crisis playbook, retention
and the pre-election period; its schema, inheritance from central templates, and the
business-hours clock that response norms are measured in."""
