"""The report: finding it, parsing its checklist, detecting its template edition."""
