"""The worker's own Gongyou: phone sign-in and self-service pages."""
