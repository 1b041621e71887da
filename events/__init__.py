"""Expo events, delegations, meeting requests and the interpreter-aware scheduler."""
