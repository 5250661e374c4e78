"""The pure habit engine: standard library only, no Qt, no storage, no network."""
