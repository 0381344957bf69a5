"""The organisation, below every other app: sites, teams, queues, employees and what they share."""
