"""Accounts: the waitlist, invites, sign-up, sign-in, sessions, password reset and profiles."""
