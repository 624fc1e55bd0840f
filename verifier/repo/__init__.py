"""The repository under test, read-only: file listing, bounded reads, shared parse caches."""
