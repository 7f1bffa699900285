"""`make bench-registers`: the registers at national volume on PostgreSQL (issue 4 "Performance")."""
