"""The report's answers: split into questions, format checks, and statements the repository
contradicts."""
